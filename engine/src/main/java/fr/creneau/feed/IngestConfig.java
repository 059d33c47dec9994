package fr.creneau.feed;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds the ingestion applies. Immutable.
 *
 * @param horizon       how far ahead slots are kept: a slot must start before {@code now + horizon}
 *                      (the SAS aggregates 48 hours)
 * @param maxSlotLength a longer slot is bad data, not an agenda ({@link RejectReason#TOO_LONG});
 *                      12 h by default, long enough for a home-visit round
 */
public record IngestConfig(Duration horizon, Duration maxSlotLength) {
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
    }
}
