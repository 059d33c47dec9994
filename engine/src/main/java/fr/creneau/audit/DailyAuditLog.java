package fr.creneau.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import fr.creneau.error.CreneauException;

/**
 * The audit log as files: {@code dir/audit-YYYY-MM-DD.jsonl}, one JSON object per line
 * ({@link AuditEvent#toJson()}), one file per civil day in Europe/Paris (the day of the event's
 * instant), appended and never rewritten. Files older than the retention (whole days before the
 * current one) are deleted when a new day's file is opened, and only then: nothing else ever
 * removes a line, and no compaction touches this directory.
 *
 * <p>Files: the directory is created {@code rwx------} and must not be a symbolic link; each file
 * is opened with {@code NOFOLLOW_LINKS} and created {@code rw-------}. Several processes may append
 * to one day's file (the command line runs one process per command): each line is one
 * {@code write} on a descriptor opened with {@code O_APPEND}, so lines never interleave on a local
 * file system. A line is forced to the device before {@link #append} returns when {@code force}.
 *
 * <p>Durability against the journal: the event is appended after the journal record of the change
 * it describes is durable; a crash in between loses the audit line (never the change, nor the
 * outbox message). A database store writes both in one transaction instead.
 *
 * <p>Thread-safety: {@link #append} is serialised on this object. A write failure (full disk) is
 * counted ({@link #failures()}) and does not propagate: the change it records already happened.
 */
public final class DailyAuditLog implements AuditLog {
    /** Days are civil days in Paris, as the SAS counts them. */
    public static final ZoneId ZONE = ZoneId.of("Europe/Paris");
    private static final Pattern NAME = Pattern.compile("audit-(\\d{4}-\\d{2}-\\d{2})\\.jsonl");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Duration retention;
    private final boolean force;
    private final LongAdder failures = new LongAdder();
    // ---- guarded by this ----
    private LocalDate day;
    private FileChannel channel;
    private boolean closed;

    private DailyAuditLog(final Path dir, final Duration retention, final boolean force) {
        this.dir = dir;
        this.retention = retention;
        this.force = force;
    }

    /**
     * Opens (creating it owner-only if absent) the audit directory.
     *
     * @param retention whole days kept before the current one (at least one day)
     * @param force     force each line to the device before returning
     * @throws CreneauException the directory is a link, not a directory, or cannot be created
     */
    public static DailyAuditLog open(final Path dir, final Duration retention, final boolean force) {
        Objects.requireNonNull(dir, "dir");
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("audit retention must be at least one day: " + retention);
        }
        ownDirectory(dir);
        return new DailyAuditLog(dir, retention, force);
    }

    static void ownDirectory(final Path dir) {
        try {
            if (Files.isSymbolicLink(dir)) {
                throw new CreneauException(dir + ": the audit directory is a symbolic link; give its real path");
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                if (dir.getParent() != null) {
                    Files.createDirectories(dir.getParent());
                }
                if (posix(dir)) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(dir);
                }
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new CreneauException(dir + ": the audit directory is not a directory");
            }
        } catch (final IOException e) {
            throw new CreneauException(dir + ": cannot open the audit directory: " + e.getMessage(), e);
        }
    }

    private static boolean posix(final Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The file of one day. */
    public static Path file(final Path dir, final LocalDate day) {
        return dir.resolve("audit-" + day + ".jsonl");
    }

    @Override
    public synchronized void append(final AuditEvent event) {
        if (closed) {
            return;
        }
        final byte[] line = (event.toJson().toString() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            final LocalDate d = event.at().atZone(ZONE).toLocalDate();
            if (!d.equals(day) || channel == null) {
                rotate(d);
            }
            final ByteBuffer b = ByteBuffer.wrap(line);
            // One write call: with O_APPEND the line lands whole at the end, whoever else appends.
            while (b.hasRemaining()) {
                channel.write(b);
            }
            if (force) {
                channel.force(false);
            }
        } catch (final IOException | RuntimeException e) {
            failures.increment();
        }
    }

    private void rotate(final LocalDate d) throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        final Path f = file(dir, d);
        final FileAttribute<?>[] attrs = posix(dir)
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];
        channel = FileChannel.open(f, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), attrs);
        if (posix(dir)) {
            Files.getFileAttributeView(f, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setPermissions(PosixFilePermissions.fromString("rw-------"));
        }
        day = d;
        purge(d);
    }

    /** Deletes the day files older than the retention before {@code today}. */
    private void purge(final LocalDate today) throws IOException {
        final LocalDate oldest = today.minusDays(retention.toDays());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "audit-*.jsonl")) {
            for (final Path p : files) {
                final Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && LocalDate.parse(m.group(1)).isBefore(oldest)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Lines that could not be written since open. */
    public long failures() {
        return failures.sum();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (channel != null) {
            try {
                channel.close();
            } catch (final IOException ignored) {
                // Every line was written (and forced, if asked) by its append.
            }
            channel = null;
        }
    }

    /**
     * The events of the days {@code from}..{@code to} (inclusive, Paris days), in file order. A
     * last line without its newline (an append in flight, or a crash) is ignored; any other line
     * that does not read is a {@link CreneauException} naming the file and line.
     */
    public static List<AuditEvent> read(final Path dir, final LocalDate from, final LocalDate to) {
        final List<AuditEvent> out = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            final Path f = file(dir, d);
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            final String text;
            try (FileChannel c = FileChannel.open(f, java.util.Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                final ByteBuffer b = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, c.size()));
                while (b.hasRemaining() && c.read(b) >= 0) {
                    // read to the size seen at open
                }
                text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
            } catch (final IOException e) {
                throw new UncheckedIOException(f + ": " + e.getMessage(), e);
            }
            final int end = text.lastIndexOf('\n');
            int lineNo = 0;
            for (final String line : text.substring(0, end + 1).split("\n")) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(AuditEvent.fromJson(JSON.readTree(line)));
                } catch (final IOException | IllegalArgumentException e) {
                    throw new CreneauException(f + ": line " + lineNo + " is not an audit event: " + e.getMessage(), e);
                }
            }
        }
        return out;
    }
}
