package fr.creneau.booking;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the booking service. Immutable.
 *
 * @param journalDir          directory of the journal, or {@code null} for no journal (nothing
 *                            survives a restart: tests, benchmarks, demos)
 * @param fsync               when appends are forced to the device
 * @param holdTtl             default time to live of a hold
 * @param retention           how long ended holds are remembered (for a typed refusal rather than
 *                            {@link Refusal#UNKNOWN_TOKEN}) and bookings are kept after their slot
 *                            ended, in memory and in the journal
 * @param compactAboveBytes   the sweep compacts the journal once it is larger than this and more
 *                            than half dead
 * @param lockWait            how long opening waits for another owner to let the journal directory
 *                            go before {@link JournalLockedException} (zero: refuse at once)
 * @param readOnly            replay the journal without its lock and without writing anything (a
 *                            search next to the owner): holds, confirmations and releases throw
 *                            {@link JournalException}, expired holds end in memory only
 */
public record BookingConfig(Path journalDir, FsyncPolicy fsync, Duration holdTtl, Duration retention,
                            long compactAboveBytes, Duration lockWait, boolean readOnly) {
    /**
     * Longest hold: a hold is the minutes an operator needs to confirm with the patient on the
     * line; a day is far beyond that, and keeps {@code now + ttl} inside {@link fr.creneau.slot.SupportedTime}.
     */
    public static final Duration MAX_HOLD_TTL = Duration.ofHours(24);
    /** Longest retention: bookings are for the next 48 hours, a year of memory is plenty. */
    public static final Duration MAX_RETENTION = Duration.ofDays(366);

    /** No journal, GROUP, 5 minute holds, 24 h retention, compaction above 64 MiB, no lock wait, read-write. */
    public static final BookingConfig DEFAULTS = new BookingConfig(null, FsyncPolicy.GROUP, Duration.ofMinutes(5),
        Duration.ofHours(24), 64L << 20, Duration.ZERO, false);

    public BookingConfig {
        Objects.requireNonNull(fsync, "fsync");
        Objects.requireNonNull(lockWait, "lockWait");
        if (lockWait.isNegative()) {
            throw new IllegalArgumentException("lockWait must not be negative: " + lockWait);
        }
        checkTtl(holdTtl, "holdTtl");
        checkPositive(retention, "retention");
        checkAtMost(retention, MAX_RETENTION, "retention");
        if (compactAboveBytes < Journal.HEADER_BYTES) {
            throw new IllegalArgumentException("compactAboveBytes too small: " + compactAboveBytes);
        }
    }

    static void checkPositive(final Duration d, final String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** A hold's time to live: positive and at most {@link #MAX_HOLD_TTL}. */
    static void checkTtl(final Duration d, final String name) {
        checkPositive(d, name);
        checkAtMost(d, MAX_HOLD_TTL, name);
    }

    private static void checkAtMost(final Duration d, final Duration max, final String name) {
        if (d.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + max + ": " + d);
        }
    }

    public BookingConfig withJournal(final Path dir) {
        return new BookingConfig(dir, fsync, holdTtl, retention, compactAboveBytes, lockWait, readOnly);
    }

    public BookingConfig withFsync(final FsyncPolicy policy) {
        return new BookingConfig(journalDir, policy, holdTtl, retention, compactAboveBytes, lockWait, readOnly);
    }

    public BookingConfig withHoldTtl(final Duration ttl) {
        return new BookingConfig(journalDir, fsync, ttl, retention, compactAboveBytes, lockWait, readOnly);
    }

    public BookingConfig withRetention(final Duration d) {
        return new BookingConfig(journalDir, fsync, holdTtl, d, compactAboveBytes, lockWait, readOnly);
    }

    public BookingConfig withCompactAboveBytes(final long bytes) {
        return new BookingConfig(journalDir, fsync, holdTtl, retention, bytes, lockWait, readOnly);
    }

    public BookingConfig withLockWait(final Duration wait) {
        return new BookingConfig(journalDir, fsync, holdTtl, retention, compactAboveBytes, wait, readOnly);
    }

    public BookingConfig withReadOnly(final boolean on) {
        return new BookingConfig(journalDir, fsync, holdTtl, retention, compactAboveBytes, lockWait, on);
    }
}
