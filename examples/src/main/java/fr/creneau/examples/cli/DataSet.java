package fr.creneau.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import fr.creneau.Creneau;
import fr.creneau.error.CreneauException;
import fr.creneau.pdsa.PdsaFormatException;
import fr.creneau.pdsa.PdsaLayer;
import fr.creneau.rank.ProtocolConfig;
import fr.creneau.booking.BookingClosedException;
import fr.creneau.booking.FsyncPolicy;
import fr.creneau.booking.JournalCorruptException;
import fr.creneau.booking.JournalException;
import fr.creneau.booking.JournalLockedException;
import fr.creneau.booking.RecordingBookingGateway;
import fr.creneau.examples.data.SampleDataSet;

/**
 * A data directory ({@code practitioners.json}, {@code feeds/*.json}, {@code manual/*.json}) loaded
 * into a {@link Creneau} whose clock is fixed at the command's "now"; or, without {@code --data},
 * the embedded sample generated for the current hour into the user's private cache directory
 * ({@link #privateCache()}), so that successive commands in the same hour see the same slots (and the
 * same bookings).
 */
final class DataSet {
    static final String PRACTITIONERS = "practitioners.json";
    /**
     * Format of the cached sample, in its directory name: a sample cached by an older build (no
     * sites, no structures.json, no pdsa/ layer) is not reused.
     */
    private static final String SAMPLE_FORMAT = "sites-pdsa";
    static final String FEEDS = "feeds";
    static final String MANUAL = "manual";
    static final String JOURNAL = "journal";
    static final String AUDIT = "audit";
    /** How long the command line keeps audit files: more than a year, for the yearly indicators. */
    static final Duration AUDIT_RETENTION = Duration.ofDays(400);
    /** Optional: {@code sectors.geojson} and {@code roster.json} of the PDSA. */
    static final String PDSA = "pdsa";

    private DataSet() {
    }

    /** The directory to use: {@code data} checked, or the embedded sample for {@code now}'s hour. */
    static Path directory(final Path data, final Instant now, final Progress progress) {
        if (data != null) {
            if (!Files.isRegularFile(data.resolve(PRACTITIONERS)) && !NationalDirectory.present(data)) {
                throw new UserError("no " + PRACTITIONERS + " (nor directory/annuaire.json) in " + data);
            }
            return data;
        }
        final Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        final Path dir = privateCache().resolve("creneau-sample-" + SAMPLE_FORMAT + "-" + hour.getEpochSecond() / 3600);
        final Path done = dir.resolve(".complete");
        if (!Files.exists(done)) {
            progress.show("generating the embedded sample (Paris and Lozère) for " + hour + " ...");
            try {
                final Path partial = Files.createTempDirectory(dir.getParent(), "creneau-sample-partial-");
                SampleDataSet.writeTo(partial, hour);
                Files.createFile(partial.resolve(".complete"));
                try {
                    Files.move(partial, dir);
                } catch (final IOException raced) {
                    // Another command generated it meanwhile: theirs is as good as ours.
                    deleteQuietly(partial);
                }
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot write the embedded sample: " + e.getMessage(), e);
            }
            progress.done();
        }
        return dir;
    }

    /**
     * The user's own cache directory for the embedded sample: {@code -Dcreneau.cache=DIR}, else
     * {@code $XDG_CACHE_HOME/creneau}, else {@code ~/.cache/creneau}. Created owner-only, and
     * refused when it is a link, someone else's, or open to others: a name anyone can predict in
     * a shared temporary directory would let another user plant the slots and journal a command
     * then trusts.
     */
    static Path privateCache() {
        final String configured = System.getProperty("creneau.cache");
        final String xdg = System.getenv("XDG_CACHE_HOME");
        final Path root = configured != null ? Path.of(configured)
            : xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg, "creneau")
            : Path.of(System.getProperty("user.home"), ".cache", "creneau");
        try {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(root.getParent());
                try {
                    Files.createDirectory(root, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                } catch (final FileAlreadyExistsException raced) {
                    // another command created it: checked below like any existing one
                }
            }
            if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                throw new UserError("cache " + root + " is not a directory (or is a link): remove it or set"
                    + " -Dcreneau.cache");
            }
            final UserPrincipal me = root.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
            if (!Files.getOwner(root, LinkOption.NOFOLLOW_LINKS).equals(me)) {
                throw new UserError("cache " + root + " belongs to another user: remove it or set -Dcreneau.cache");
            }
            final Set<PosixFilePermission> perms = Files.getPosixFilePermissions(root, LinkOption.NOFOLLOW_LINKS);
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new UserError("cache " + root + " is writable by others (" + PosixFilePermissions.toString(perms)
                    + "): chmod 700 it or set -Dcreneau.cache");
            }
        } catch (final UnsupportedOperationException notPosix) {
            // Not a POSIX file system (Windows): the user's profile directory is private already.
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot prepare the cache " + root + ": " + e.getMessage(), e);
        }
        return root;
    }

    /** How long a command that writes the journal waits for another command to let it go. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(10);

    /**
     * Loads everything in {@code dir} into a new Créneau with its clock fixed at {@code now}, its
     * booking journal in {@code dir/journal} (so that a slot booked by one command stays booked for
     * the next) and the reference gateway recording online bookings in {@code journal/vendor-requests.jsonl}.
     * It owns the journal: it waits up to {@link #LOCK_WAIT} for another command to let it go. Changes
     * and searches made for a case are audited in {@code dir/audit} (one file a day).
     */
    static Creneau open(final Path dir, final Instant now, final Progress progress) {
        return open(dir, now, progress, false, LOCK_WAIT, null);
    }

    /** As {@link #open(Path, Instant, Progress)}, waiting up to {@code lockWait} for the journal. */
    static Creneau open(final Path dir, final Instant now, final Progress progress, final Duration lockWait) {
        return open(dir, now, progress, false, lockWait, null);
    }

    /**
     * As {@link #open(Path, Instant, Progress, Duration)} over {@code store} when it is given
     * ({@code --store URL}: holds, bookings, outcomes and messages in PostgreSQL, shared with other
     * hosts; the journal directory is not used), else the journal.
     */
    static Creneau open(final Path dir, final Instant now, final Progress progress, final Duration lockWait,
                        final StoreOption store) {
        return open(dir, now, progress, false, lockWait, store);
    }

    /** As {@link #openReadOnly}, or, with {@code store}, a host over it (which may write the expiry of its own holds). */
    static Creneau openToRead(final Path dir, final Instant now, final Progress progress, final StoreOption store) {
        return store == null ? openReadOnly(dir, now, progress) : open(dir, now, progress, false, Duration.ZERO, store);
    }

    /**
     * As {@link #open(Path, Instant, Progress)} for a command that only reads (search, ingest):
     * the journal is replayed without its lock and nothing is written (no journal created, no
     * expiry appended), so any number of them run beside the one that books, and a full disk
     * does not stop them.
     */
    static Creneau openReadOnly(final Path dir, final Instant now, final Progress progress) {
        return open(dir, now, progress, true, Duration.ZERO, null);
    }

    private static Creneau open(final Path dir, final Instant now, final Progress progress, final boolean readOnly,
                                final Duration lockWait, final StoreOption store) {
        final Path journal = dir.resolve(JOURNAL);
        final ProtocolConfig protocol = ProtocolConfig.builder().pdsa(pdsa(dir, now, progress)).build();
        final Creneau creneau;
        try {
            creneau = Creneau.builder().clock(Clock.fixed(now, ZoneOffset.UTC)).expiryTimer(false).protocolConfig(protocol)
                .journal(journal).fsync(FsyncPolicy.ALWAYS).readOnlyJournal(readOnly).journalLockWait(lockWait)
                // No sink in a one-shot process: messages wait in the journal for `creneau messages`.
                .outbox(true).audit(dir.resolve(AUDIT), AUDIT_RETENTION)
                .bookingGateway(new RecordingBookingGateway(journal.resolve("vendor-requests.jsonl")))
                .bookingStore(store == null ? null : store.opener(now))
                .build();
        } catch (final fr.creneau.store.postgres.StoreUnavailableException e) {
            throw new Refused(e.getMessage()); // the database is away: try again later
        } catch (final JournalLockedException e) {
            throw new Refused(e.getMessage()); // busy, not wrong: try again later
        } catch (final JournalCorruptException e) {
            throw new UserError(e.getMessage() + "; see: creneau journal repair --data " + dir);
        } catch (final CreneauException e) {
            throw new UserError(e.getMessage());
        }
        try {
            // Without its directory no slot can be validated: searching "the rest" would search
            // nothing, so a bad practitioners.json stays a failure of the command (exit 2).
            if (!Files.isRegularFile(dir.resolve(PRACTITIONERS)) && NationalDirectory.present(dir)) {
                NationalDirectory.load(creneau, dir, progress);
            } else {
                progress.show("loading " + dir.resolve(PRACTITIONERS));
                creneau.loadDirectory(dir.resolve(PRACTITIONERS));
            }
        } catch (final CreneauException e) {
            progress.done();
            creneau.close();
            throw new UserError(e.getMessage());
        }
        try {
            seedExposure(creneau, dir, now);
        } catch (final CreneauException | UncheckedIOException e) {
            progress.done();
            creneau.close();
            throw new UserError(e.getMessage());
        }
        // Each file is all or nothing in the library; here one bad file (unparsable, unknown or
        // stale vendor) must not take the other sources down with it: it is skipped, named on
        // stderr, and the command goes on with the rest. A journal failure is no file's fault and
        // still fails the command.
        try {
            final List<Path> feeds = jsonFiles(dir.resolve(FEEDS));
            for (int i = 0; i < feeds.size(); i++) {
                progress.show("ingesting " + feeds.get(i).getFileName() + " (" + (i + 1) + "/" + feeds.size() + ")");
                ingestOrSkip(dir, feeds.get(i), progress, creneau::ingestVendorFeed);
            }
            // Answers of `creneau pull`, after the snapshots: each replaces its batch's practitioners.
            for (final Path pulled : new PulledStore(dir).files()) {
                progress.show("ingesting " + dir.relativize(pulled));
                ingestOrSkip(dir, pulled, progress, f -> PulledStore.ingest(creneau, f));
            }
            // The pull's freshness bound, from the stored instants and the command's "now".
            creneau.expireStaleAnswers(fr.creneau.pull.Puller.DEFAULT_FRESHNESS);
            for (final Path manual : jsonFiles(dir.resolve(MANUAL))) {
                progress.show("ingesting " + manual.getFileName());
                ingestOrSkip(dir, manual, progress, creneau::ingestManual);
            }
        } catch (final JournalException | BookingClosedException | UserError e) {
            creneau.close();
            throw new UserError(e.getMessage());
        } catch (final RuntimeException | Error e) {
            creneau.close();
            throw e;
        } finally {
            progress.done();
        }
        return creneau;
    }

    /** Days of audit a command reads to seed the fairness counters (one process per command). */
    static final int EXPOSURE_DAYS = 7;

    /**
     * The fairness rotation's counts, from the audit log's last {@link #EXPOSURE_DAYS} days: rows
     * shown by `search --case`, bookings made. A long-lived host counts as it goes; a command line
     * process would otherwise start every search from zero and never rotate. An unreadable audit
     * line is a usage error like any damaged input.
     */
    private static void seedExposure(final Creneau creneau, final Path dir, final Instant now) {
        final java.time.LocalDate today = now.atZone(fr.creneau.audit.DailyAuditLog.ZONE).toLocalDate();
        final fr.creneau.directory.Directory d = creneau.directory();
        for (final fr.creneau.audit.AuditEvent e : fr.creneau.audit.DailyAuditLog.read(dir.resolve(AUDIT),
            today.minusDays(EXPOSURE_DAYS), today)) {
            if (e.at().isAfter(now)) {
                continue;
            }
            if (e.type() == fr.creneau.audit.AuditEvent.Type.SEARCH) {
                e.proposed().forEach(r -> creneau.exposure().proposed(d, r));
            } else if (e.type() == fr.creneau.audit.AuditEvent.Type.CONFIRM) {
                creneau.exposure().taken(d, e.rpps());
            }
        }
    }

    private static void ingestOrSkip(final Path dir, final Path file, final Progress progress,
                                     final Consumer<Path> ingest) {
        try {
            ingest.accept(file);
        } catch (final JournalException | BookingClosedException e) {
            throw e;
        } catch (final CreneauException | UncheckedIOException e) {
            // Parse errors name the file already (by its file name): say it once.
            final String why = String.valueOf(e.getMessage());
            final String label = file.getFileName() + ": ";
            progress.warn("skipped " + dir.relativize(file) + ": " + (why.startsWith(label) ? why.substring(label.length()) : why));
        }
    }

    /** The {@code *.json} files of a directory, sorted by name; none when it does not exist. */
    /**
     * The PDSA layer of {@code dir/pdsa} ({@code sectors.geojson}, {@code roster.json}), or none. Like a
     * bad feed, a file that cannot be read is skipped with a warning: the slots still answer.
     */
    private static PdsaLayer pdsa(final Path dir, final Instant now, final Progress progress) {
        final Path pdsa = dir.resolve(PDSA);
        if (!Files.isDirectory(pdsa, LinkOption.NOFOLLOW_LINKS)) {
            return PdsaLayer.EMPTY;
        }
        try {
            final PdsaLayer layer = PdsaLayer.load(pdsa, now);
            if (layer.report().rejected() > 0) {
                progress.warn("pdsa: " + layer.report().rejected() + " rejected ("
                    + Text.field(String.join("; ", layer.report().messages().subList(0,
                        Math.min(3, layer.report().messages().size())))) + ")");
            }
            return layer;
        } catch (final PdsaFormatException e) {
            progress.warn("skipped the PDSA layer: " + Text.field(e.getMessage()));
            return PdsaLayer.EMPTY;
        }
    }

    static List<Path> jsonFiles(final Path dir) {
        final List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.json")) {
            for (final Path p : stream) {
                files.add(p);
            }
        } catch (final IOException e) {
            throw new UserError("cannot list " + dir + ": " + e.getMessage());
        }
        files.sort(null);
        return files;
    }

    private static void deleteQuietly(final Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (final IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }
}
