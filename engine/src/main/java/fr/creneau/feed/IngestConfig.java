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
 */
public record IngestConfig(Duration horizon, Duration maxSlotLength) {
    /** Longest horizon and longest slot: the 48 hours the SAS aggregates and the index keeps. */
    public static final Duration MAX = Duration.ofHours(48);
    /** 48 h horizon, 12 h maximum slot length. */
    public static final IngestConfig DEFAULTS = new IngestConfig(Duration.ofHours(48), Duration.ofHours(12));

    public IngestConfig {
        Objects.requireNonNull(horizon, "horizon");
        Objects.requireNonNull(maxSlotLength, "maxSlotLength");
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("horizon must be positive: " + horizon);
        }
        if (maxSlotLength.isNegative() || maxSlotLength.isZero()) {
            throw new IllegalArgumentException("maxSlotLength must be positive: " + maxSlotLength);
        }
        // The index keeps 48 hours ahead (a longer horizon would count slots as accepted that it
        // cannot hold), and "now" plus these must stay inside fr.creneau.SupportedTime.
        if (horizon.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("horizon must be at most " + MAX + ": " + horizon);
        }
        if (maxSlotLength.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("maxSlotLength must be at most " + MAX + ": " + maxSlotLength);
        }
    }
}
