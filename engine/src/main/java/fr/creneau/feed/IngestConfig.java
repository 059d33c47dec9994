package fr.creneau.feed;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds the ingestion applies. Immutable.
 *
 * @param horizon       how far ahead slots are kept: a slot must start before {@code now + horizon}
 *                      (the SAS aggregates 48 hours); at most {@link #MAX}
 * @param maxSlotLength a longer slot is bad data, not an agenda ({@link RejectReason#TOO_LONG});
 *                      12 h by default, long enough for a home-visit round; at most {@link #MAX}
 * @param maxClockSkew  how far ahead of the ingestor's clock a snapshot's {@code generatedAt} may
 *                      be ({@link FutureSnapshotException} beyond): vendors' clocks drift a little,
 *                      but a snapshot dated later than that would have every true snapshot refused
 *                      as stale until it is overtaken; 5 minutes by default, zero or more
 * @param maxFeedBytes  the largest input a parser reads, in bytes ({@link FeedTooLargeException}
 *                      beyond): what a parser keeps grows with the input, so this bounds the heap an
 *                      ingestion needs (at most about 1.5 times this, see the README); 256 MiB by default
 */
public record IngestConfig(Duration horizon, Duration maxSlotLength, Duration maxClockSkew, long maxFeedBytes) {
    /** Longest horizon and longest slot: the 48 hours the SAS aggregates and the index keeps. */
    public static final Duration MAX = Duration.ofHours(48);
    /** Default allowance for a vendor clock ahead of ours. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** Default largest input: 256 MiB, more than three times a national vendor's 48 h snapshot. */
    public static final long DEFAULT_MAX_FEED_BYTES = 256L << 20;

    /** 48 h horizon, 12 h maximum slot length, 5 min clock skew, 256 MiB inputs. */
    public static final IngestConfig DEFAULTS = new IngestConfig(Duration.ofHours(48), Duration.ofHours(12));

    public IngestConfig {
        Objects.requireNonNull(horizon, "horizon");
        Objects.requireNonNull(maxSlotLength, "maxSlotLength");
        Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("horizon must be positive: " + horizon);
        }
        if (maxSlotLength.isNegative() || maxSlotLength.isZero()) {
            throw new IllegalArgumentException("maxSlotLength must be positive: " + maxSlotLength);
        }
        // The index keeps 48 hours ahead (a longer horizon would count slots as accepted that it
        // cannot hold), and "now" plus these must stay inside fr.creneau.slot.SupportedTime.
        if (horizon.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("horizon must be at most " + MAX + ": " + horizon);
        }
        if (maxSlotLength.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("maxSlotLength must be at most " + MAX + ": " + maxSlotLength);
        }
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("maxClockSkew must not be negative: " + maxClockSkew);
        }
        if (maxFeedBytes <= 0) {
            throw new IllegalArgumentException("maxFeedBytes must be positive: " + maxFeedBytes);
        }
    }

    /** The given horizon and slot length, the default clock skew and input size. */
    public IngestConfig(final Duration horizon, final Duration maxSlotLength) {
        this(horizon, maxSlotLength, DEFAULT_MAX_CLOCK_SKEW, DEFAULT_MAX_FEED_BYTES);
    }

    /** This configuration with another clock-skew allowance. */
    public IngestConfig withMaxClockSkew(final Duration skew) {
        return new IngestConfig(horizon, maxSlotLength, skew, maxFeedBytes);
    }

    /** This configuration with another largest input. */
    public IngestConfig withMaxFeedBytes(final long bytes) {
        return new IngestConfig(horizon, maxSlotLength, maxClockSkew, bytes);
    }
}
