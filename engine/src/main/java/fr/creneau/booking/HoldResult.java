package fr.creneau.booking;

import java.time.Instant;
import java.util.Objects;

import fr.creneau.slot.SlotId;
import fr.creneau.rank.BookingMethod;

/**
 * The outcome of {@link BookingService#hold}: a token, or a typed refusal. Immutable.
 *
 * @param slot      the slot asked for
 * @param token     the hold, or {@code null} when refused
 * @param expiresAt when the hold ends unless confirmed, or {@code null} when refused
 * @param method    how a booking of this slot is finished, or {@code null} when refused
 * @param retried   {@code true} when the same operator already held this slot: the token is the
 *                  one issued then, with its original expiry
 * @param refusal   why not, or {@code null} when held
 */
public record HoldResult(SlotId slot, HoldToken token, Instant expiresAt, BookingMethod method, boolean retried,
                         Refusal refusal) {
    public HoldResult {
        Objects.requireNonNull(slot, "slot");
        if ((token == null) == (refusal == null)) {
            throw new IllegalArgumentException("a hold result has either a token or a refusal");
        }
    }

    static HoldResult held(final Claim c, final boolean retried) {
        return new HoldResult(c.facts.slot(), c.token, c.expiresAt, c.facts.method(), retried, null);
    }

    static HoldResult refused(final SlotId slot, final Refusal refusal) {
        return new HoldResult(slot, null, null, null, false, refusal);
    }

    /** {@code true} when the slot is held for the caller. */
    public boolean isHeld() {
        return token != null;
    }
}
