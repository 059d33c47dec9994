package fr.creneau.feed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson setup of every feed parser ({@link NativeFeedParser}, {@link FhirBundleParser},
 * {@link DirectoryLoader}), and field accessors. The mapper and its factory are immutable once
 * built and thread-safe; a {@link JsonParser} is created per input and used by one thread.
 */
final class Json {
    /** Longest string value read (characters): a booking URL or a FHIR narrative fits many times. */
    static final int MAX_STRING_LENGTH = 1_000_000;
    /** Deepest nesting of arrays and objects: a FHIR Bundle with extensions stays below 20. */
    static final int MAX_NESTING_DEPTH = 100;
    /** Longest number (characters): a coordinate needs about 20. */
    static final int MAX_NUMBER_LENGTH = 100;
    /** Longest field name (characters). */
    static final int MAX_NAME_LENGTH = 1_000;

    /**
     * <ul>
     *   <li>Duplicate keys in one object are an error: {@code {"start": a, "start": b}} has no honest
     *       reading.</li>
     *   <li>The source is never closed by Jackson: every {@code parse(label, in)} documents that the
     *       stream stays the caller's (a host may read a multipart body or reuse a connection);
     *       the {@code Path} overloads close what they opened themselves.</li>
     *   <li>Limits on one string, number, name and on nesting, so that a hostile file is a
     *       {@link FeedFormatException} instead of an exhausted heap or stack. The whole input's size
     *       is bounded in the parsers.</li>
     * </ul>
     * Trailing content is checked by each parser, since they stream.
     */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxNameLength(MAX_NAME_LENGTH)
            .build())
        .build());

    private Json() {
    }

    /**
     * A parser of {@code in} that reads at most {@code maxBytes} ({@link FeedTooLargeException}
     * beyond, named {@code label}) and never closes it.
     */
    static JsonParser parser(final java.io.InputStream in, final long maxBytes, final String label)
        throws java.io.IOException {
        return MAPPER.getFactory().createParser(new LimitedInput(in, maxBytes, label));
    }

    /**
     * Refuses a regular file larger than {@code maxBytes} before reading it; the stream's own
     * count still applies (a file may grow while read).
     */
    static void checkSize(final java.nio.file.Path file, final long maxBytes) {
        try {
            if (java.nio.file.Files.isRegularFile(file) && java.nio.file.Files.size(file) > maxBytes) {
                throw new FeedTooLargeException(file.toString(), maxBytes);
            }
        } catch (final java.io.IOException e) {
            // Not known: reading it will say, or the count will stop it.
        }
    }

    /**
     * Streams a top-level JSON array of entries, one tree at a time (never the whole file), each
     * counted as received in {@code report} and handed to {@code entry} with its position; the
     * caller rejects a bad entry by reason and goes on. The file's shape itself (not an array, cut,
     * trailing content) is a {@link FeedFormatException}.
     *
     * @param what what the entries are, for the message ("practitioners", "structures", ...)
     */
    static void eachArrayEntry(final java.io.InputStream in, final long maxBytes, final String label,
                               final String what, final IngestReport.Builder report,
                               final java.util.function.ObjIntConsumer<JsonNode> entry) {
        try (JsonParser p = parser(in, maxBytes, label)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                throw new FeedFormatException(label, "expected a JSON array of " + what + " at "
                    + p.currentLocation().offsetDescription());
            }
            int position = 0;
            com.fasterxml.jackson.core.JsonToken t;
            while ((t = p.nextToken()) != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new FeedFormatException(label, "unexpected end of input inside the array");
                }
                final JsonNode node = p.readValueAsTree();
                report.received(1);
                entry.accept(node, position++);
            }
            if (p.nextToken() != null) {
                throw new FeedFormatException(label, "trailing content after the array");
            }
        } catch (final java.io.IOException e) {
            throw unreadable(label, e);
        }
    }

    /** The typed error for an input that broke off or is not JSON, with where it went wrong. */
    static FeedFormatException unreadable(final String label, final java.io.IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            final com.fasterxml.jackson.core.JsonLocation at = json.getLocation();
            final String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return new FeedFormatException(label, "malformed JSON" + where + ": " + json.getOriginalMessage(), e);
        }
        // Same consequence for the host as a malformed body: nothing read, nothing applied.
        return new FeedFormatException(label, "cannot read: " + e.getMessage(), e);
    }

    /**
     * One instance of each equal string, for the values that repeat across a feed's slots (an RPPS
     * on each of its practitioner's slots, the same times on thousands of agendas): a parse keeps
     * each once instead of once per slot. Bounded: past {@link #MAX} distinct values new ones are
     * kept as they are. One per parse, one thread.
     */
    static final class Canon {
        /** About 10 MB of map at most; a national feed has ~100k RPPS and a few thousand times. */
        static final int MAX = 1 << 17;
        private final java.util.HashMap<String, String> seen = new java.util.HashMap<>();

        String of(final String value) {
            if (value == null) {
                return null;
            }
            final String known = seen.get(value);
            if (known != null) {
                return known;
            }
            if (seen.size() < MAX) {
                seen.put(value, value);
            }
            return value;
        }
    }

    /** Longest value quoted in a message, in characters. */
    static final int MAX_QUOTED = 80;
    /** Longest message of a {@link FeedFormatException}, in characters. */
    static final int MAX_MESSAGE = 1_000;

    /**
     * A whole message as {@link #quote} treats one value, without the quotes: control and format
     * characters escaped, cut after {@link #MAX_MESSAGE} characters. The net under every message
     * that may carry what an input held (Jackson's own quote a token as read, and a site that
     * forgot {@link #quote} would otherwise let a vendor forge a log line or fill it).
     */
    static String clean(final String message) {
        if (message == null) {
            return null;
        }
        final StringBuilder sb = new StringBuilder(Math.min(message.length(), MAX_MESSAGE) + 8);
        boolean escaped = false;
        for (int i = 0; i < message.length(); i++) {
            final char c = message.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                sb.append(String.format("\\u%04X", (int) c));
                escaped = true;
            } else {
                sb.append(c);
            }
            if (sb.length() > MAX_MESSAGE) {
                // The limit is on what is returned, escapes (six characters for one) and suffix
                // included: the bound a log line or a report can rely on.
                final String suffix = "... (" + message.length() + " characters)";
                sb.setLength(MAX_MESSAGE - suffix.length());
                return sb.append(suffix).toString();
            }
        }
        return escaped ? sb.toString() : message;
    }

    /**
     * {@code value} for a message: control and format characters escaped as Java escapes
     * (backslash, u, four hex digits), cut after {@link #MAX_QUOTED} characters. Messages reach logs and terminals; what a vendor sent
     * must not forge lines or fill them.
     */
    static String quote(final String value) {
        if (value == null) {
            return "null";
        }
        final StringBuilder sb = new StringBuilder(Math.min(value.length(), MAX_QUOTED) + 8).append('\'');
        for (int i = 0; i < value.length() && i < MAX_QUOTED; i++) {
            final char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (value.length() > MAX_QUOTED) {
            sb.append("... (").append(value.length()).append(" characters)");
        }
        return sb.append('\'').toString();
    }

    /**
     * Why a native slot id is unusable, or {@code null}: empty or blank, longer than
     * {@link NativeFeedParser#MAX_ID_LENGTH}, or holding a control or format character (the
     * schemas' {@code minLength}, {@code maxLength} and {@code pattern}).
     */
    static String idProblem(final String id) {
        if (id.isEmpty()) {
            return "is empty";
        }
        if (id.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c))) {
            return "is blank";
        }
        if (id.length() > NativeFeedParser.MAX_ID_LENGTH) {
            return "is longer than " + NativeFeedParser.MAX_ID_LENGTH + " characters";
        }
        for (int i = 0; i < id.length(); i++) {
            final char c = id.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                return "holds the control character U+" + String.format("%04X", (int) c);
            }
        }
        return null;
    }

    /** Text of a string field, or {@code null} when absent, null, or not a string. */
    static String text(final JsonNode node, final String field) {
        final JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** {@code true} when the field is present and not JSON null. */
    static boolean has(final JsonNode node, final String field) {
        final JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }
}
