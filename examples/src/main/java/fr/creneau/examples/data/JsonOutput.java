package fr.creneau.examples.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.PrettyPrinter;

/**
 * Streaming JSON output: one {@link JsonGenerator} per file, one record per line (the elements of
 * the top-level arrays: practitioners, slots), compact inside a record. Files stay greppable and
 * diffable at any size and nothing is held in memory.
 *
 * <p>Stateless and thread-safe; each generator it opens is for one thread.
 */
final class JsonOutput {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final int BUFFER_BYTES = 1 << 16;

    private JsonOutput() {
    }

    /** A UTF-8 generator writing {@code file} (created or truncated), with parent directories. */
    static JsonGenerator open(final Path file) throws IOException {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        final OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES);
        final JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        g.setPrettyPrinter(new LinePerRecord());
        return g;
    }

    /** Degrees with exactly 6 decimals, plain notation ({@code 48.856614}). */
    static void writeDegrees(final JsonGenerator g, final String field, final double degrees) throws IOException {
        g.writeFieldName(field);
        g.writeNumber(BigDecimal.valueOf(Math.round(degrees * 1e6), 6).toPlainString());
    }

    /**
     * ISO-8601 local date-time with offset, seconds always present: {@code 2025-03-29T09:15:00+01:00}.
     * Built by hand: at the stress scale this runs 40 million times.
     */
    static String isoOffset(final LocalDateTime t, final ZoneOffset offset) {
        final int year = t.getYear();
        if (year < 1000 || year > 9999) {
            throw new IllegalArgumentException("year out of 1000..9999: " + t);
        }
        final char[] c = new char[25];
        put(c, 0, year / 100);
        put(c, 2, year % 100);
        c[4] = '-';
        put(c, 5, t.getMonthValue());
        c[7] = '-';
        put(c, 8, t.getDayOfMonth());
        c[10] = 'T';
        put(c, 11, t.getHour());
        c[13] = ':';
        put(c, 14, t.getMinute());
        c[16] = ':';
        put(c, 17, t.getSecond());
        final int total = offset.getTotalSeconds();
        if (total % 60 != 0) {
            throw new IllegalArgumentException("offset with seconds: " + offset);
        }
        final int abs = Math.abs(total) / 60;
        c[19] = total < 0 ? '-' : '+';
        put(c, 20, abs / 60);
        c[22] = ':';
        put(c, 23, abs % 60);
        return new String(c);
    }

    private static void put(final char[] c, final int at, final int twoDigits) {
        c[at] = (char) ('0' + twoDigits / 10);
        c[at + 1] = (char) ('0' + twoDigits % 10);
    }

    /**
     * Compact JSON with a line break before each element of an array at depth 1 (the root array)
     * or 2 (an array field of the root object), and before the closing bracket of a non-empty one.
     * Not thread-safe; stateless in practice, one per generator.
     */
    static final class LinePerRecord implements PrettyPrinter {
        private static boolean recordArray(final JsonGenerator g) {
            int depth = 0;
            for (JsonStreamContext c = g.getOutputContext(); c != null && !c.inRoot(); c = c.getParent()) {
                depth++;
            }
            return depth <= 2;
        }

        @Override
        public void writeRootValueSeparator(final JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeStartObject(final JsonGenerator g) throws IOException {
            g.writeRaw('{');
        }

        @Override
        public void writeEndObject(final JsonGenerator g, final int nrOfEntries) throws IOException {
            g.writeRaw('}');
        }

        @Override
        public void writeObjectEntrySeparator(final JsonGenerator g) throws IOException {
            g.writeRaw(',');
        }

        @Override
        public void writeObjectFieldValueSeparator(final JsonGenerator g) throws IOException {
            g.writeRaw(':');
        }

        @Override
        public void writeStartArray(final JsonGenerator g) throws IOException {
            g.writeRaw('[');
        }

        @Override
        public void writeEndArray(final JsonGenerator g, final int nrOfValues) throws IOException {
            if (nrOfValues > 0 && recordArray(g)) {
                g.writeRaw('\n');
            }
            g.writeRaw(']');
        }

        @Override
        public void writeArrayValueSeparator(final JsonGenerator g) throws IOException {
            g.writeRaw(',');
            if (recordArray(g)) {
                g.writeRaw('\n');
            }
        }

        @Override
        public void beforeArrayValues(final JsonGenerator g) throws IOException {
            if (recordArray(g)) {
                g.writeRaw('\n');
            }
        }

        @Override
        public void beforeObjectEntries(final JsonGenerator g) {
            // compact
        }
    }
}
