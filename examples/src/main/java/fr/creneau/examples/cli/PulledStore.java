package fr.creneau.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.creneau.Creneau;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.IngestReport;
import fr.creneau.pull.PulledAnswer;

/**
 * The answers {@code creneau pull} received, kept under {@code DIR/pulled/<vendor code>/}, one
 * file per batch: {@code {"vendor", "asked": [RPPS...], "requestedAt", "receivedAt", "pages":
 * [Bundle...]}}, the pages as the vendor sent them. File names start with the request's instant
 * (epoch milliseconds, zero-padded) so that the name order is the order they were asked in, which
 * is the order {@code search} and {@code book} apply them in (a later answer for a practitioner
 * wins; an older one is skipped as stale). Directories and files are the user's own (rwx------,
 * rw-------, as the journal's): they hold practitioners' agendas, never a patient's identity.
 *
 * <p>{@link #write} is thread-safe (each answer goes to its own temporary file, then is moved).
 */
final class PulledStore {
    static final String PULLED = "pulled";
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path root;

    PulledStore(final Path dataDir) {
        this.root = dataDir.resolve(PULLED);
    }

    /** Stores one answer; returns its file. */
    Path write(final PulledAnswer a) {
        try {
            final Path dir = ownDirectory(ownDirectory(root).resolve(VendorRegistry.code(a.vendor())));
            final String name = String.format("%013d-%06d", a.requestedAt().toEpochMilli(), SEQUENCE.incrementAndGet()
                % 1_000_000) + ".json";
            final Path tmp = dir.resolve("." + name + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE);
                 JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeStringField("vendor", a.vendor());
                g.writeArrayFieldStart("asked");
                for (final Long rpps : a.asked()) {
                    g.writeString(Rpps.format(rpps));
                }
                g.writeEndArray();
                g.writeStringField("requestedAt", a.requestedAt().toString());
                g.writeStringField("receivedAt", a.receivedAt().toString());
                g.writeArrayFieldStart("pages");
                for (final byte[] page : a.pages()) {
                    g.writeRawValue(new String(page, StandardCharsets.UTF_8));
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            final Path file = dir.resolve(name);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot store the answer of " + a.vendor() + ": " + e.getMessage(), e);
        }
    }

    private static Path ownDirectory(final Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } catch (final FileAlreadyExistsException e) {
            if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir)) {
                throw new IOException(dir + " is not a directory of its own");
            }
        }
        return dir;
    }

    /** The stored answers, every vendor, each vendor's in the order they were asked. */
    List<Path> files() {
        final List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (var vendors = Files.newDirectoryStream(root, Files::isDirectory)) {
            final List<Path> dirs = new ArrayList<>();
            vendors.forEach(dirs::add);
            dirs.sort(null);
            for (final Path d : dirs) {
                files.addAll(DataSet.jsonFiles(d));
            }
        } catch (final IOException e) {
            throw new UserError("cannot list " + root + ": " + e.getMessage());
        }
        return files;
    }

    /**
     * Applies one stored answer as the batch it was.
     *
     * @throws fr.creneau.error.CreneauException as {@link Creneau#ingestFhirBatch}
     */
    static IngestReport ingest(final Creneau creneau, final Path file) {
        final JsonNode stored;
        try {
            stored = MAPPER.readTree(file.toFile());
        } catch (final IOException e) {
            throw new UncheckedIOException("unreadable: " + e.getMessage(), e);
        }
        if (stored == null || !stored.path("vendor").isTextual() || !stored.path("asked").isArray()
            || !stored.path("requestedAt").isTextual() || !stored.path("pages").isArray()) {
            throw new UncheckedIOException(new IOException("not a stored pull answer"));
        }
        final List<Long> asked = new ArrayList<>();
        for (final JsonNode r : stored.get("asked")) {
            try {
                asked.add(Long.parseLong(r.asText()));
            } catch (final NumberFormatException e) {
                throw new UncheckedIOException(new IOException("not a stored pull answer: bad RPPS " + r));
            }
        }
        final List<InputStream> pages = new ArrayList<>();
        try {
            for (final JsonNode p : stored.get("pages")) {
                pages.add(new java.io.ByteArrayInputStream(MAPPER.writeValueAsBytes(p)));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return creneau.ingestFhirBatch(stored.get("vendor").asText(), asked, file.getFileName().toString(),
            Instant.parse(stored.get("requestedAt").asText()), pages);
    }
}
