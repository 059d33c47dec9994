package fr.creneau.slot;

import java.time.Instant;

/**
 * Time as the index stores it: whole minutes since 2020-01-01T00:00Z in an {@code int} (good until
 * the year 6000), and one-hour buckets numbered from the same epoch.
 */
public final class Minutes {
    /** 2020-01-01T00:00:00Z in epoch seconds. */
    public static final long EPOCH_SECOND = 1_577_836_800L;
    /**
     * End (exclusive) of the instants the index accepts: 2100-01-01T00:00:00Z. Minutes fit an
     * {@code int} far beyond it; the bound keeps every sum of a minute and a 48-hour window (or
     * a bucket and the ring) far from overflow, and makes a year-9999 {@code now} an error.
     */
    public static final long LAST_EPOCH_SECOND = 4_102_444_800L;
    /** Width of a time bucket. */
    public static final int BUCKET_MINUTES = 60;

    private Minutes() {
    }

    /** Minute containing the instant (rounded down). */
    public static int floor(final Instant instant) {
        return Math.toIntExact(Math.floorDiv(instant.getEpochSecond() - EPOCH_SECOND, 60L));
    }

    /** First minute boundary at or after the instant (rounded up). */
    public static int ceil(final Instant instant) {
        final long seconds = instant.getEpochSecond() - EPOCH_SECOND;
        return Math.toIntExact(Math.floorDiv(seconds + 59 + (instant.getNano() > 0 ? 1 : 0), 60L));
    }

    /** The instant of a minute. */
    public static Instant toInstant(final int minute) {
        return Instant.ofEpochSecond(EPOCH_SECOND + 60L * minute);
    }

    /** {@code true} when the index can represent the instant: in [2020-01-01, 2100-01-01) UTC. */
    public static boolean supported(final Instant instant) {
        return instant.getEpochSecond() >= EPOCH_SECOND && instant.getEpochSecond() < LAST_EPOCH_SECOND;
    }

    /** Bucket of a minute. */
    public static int bucket(final int minute) {
        return Math.floorDiv(minute, BUCKET_MINUTES);
    }
}
