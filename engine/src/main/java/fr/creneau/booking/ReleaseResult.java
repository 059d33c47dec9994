package fr.creneau.booking;

import java.util.Objects;

/**
 * The outcome of {@link BookingService#release}: released (a hold ended, or a booking cancelled),
 * or a typed refusal. Immutable.
 *
 * @param token     the token given
 * @param released  {@code true} when the hold or booking no longer stands
 * @param cancelled {@code true} when what was released was a confirmed booking
 * @param repeated  {@code true} when it had already been released by this token: nothing changed
 * @param refusal   why not, or {@code null} when released
 * @param detail    the vendor's words for {@link Refusal#VENDOR_UNAVAILABLE}, else {@code null}
 */
public record ReleaseResult(HoldToken token, boolean released, boolean cancelled, boolean repeated, Refusal refusal,
                           String detail) {
    public ReleaseResult {
        Objects.requireNonNull(token, "token");
        if (released == (refusal != null)) {
            throw new IllegalArgumentException("a release result is either released or refused");
        }
    }

    static ReleaseResult released(final HoldToken token, final boolean cancelled, final boolean repeated) {
        return new ReleaseResult(token, true, cancelled, repeated, null, null);
    }

    static ReleaseResult refused(final HoldToken token, final Refusal refusal, final String detail) {
        return new ReleaseResult(token, false, false, false, refusal, detail);
    }
}
