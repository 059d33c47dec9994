package fr.creneau.booking;

import java.time.Instant;
import java.util.Objects;

import fr.creneau.slot.SlotId;
import fr.creneau.rank.BookingMethod;

/**
 * The outcome of {@link BookingService#hold}: a token, or a typed refusal. Immutable.
 *
 * @param slot       the slot asked for
 * @param token      the hold, or {@code null} when refused
 * @param expiresAt  when the hold ends unless confirmed, or {@code null} when refused
 * @param method     how a booking of this slot is finished, or {@code null} when refused
 * @param retried    {@code true} when the same operator already held this slot: the token is the
 *                   one issued then, with its original expiry
 * @param refusal    why not, or {@code null} when held
 * @param check      what the check at hold found ({@link HoldCheck}); never {@code null}
 * @param bookingUrl for a held ONLINE slot, the deep link to book it on the vendor's agenda (the
 *                   guide's {@code Slot.comment}, with the platform's {@code origin} parameter),
 *                   or {@code null} when the vendor gave none
 */
public record HoldResult(SlotId slot, HoldToken token, Instant expiresAt, BookingMethod method, boolean retried,
                         Refusal refusal, HoldCheck.Outcome check, String bookingUrl) {
    public HoldResult {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(check, "check");
        if ((token == null) == (refusal == null)) {
            throw new IllegalArgumentException("a hold result has either a token or a refusal");
        }
    }

    /** A result without check nor deep link (as before the live pull). */
    public HoldResult(final SlotId slot, final HoldToken token, final Instant expiresAt, final BookingMethod method,
                      final boolean retried, final Refusal refusal) {
        this(slot, token, expiresAt, method, retried, refusal, HoldCheck.Outcome.NOT_CHECKED, null);
    }

    static HoldResult held(final Claim c, final boolean retried) {
        return new HoldResult(c.facts.slot(), c.token, c.expiresAt, c.facts.method(), retried, null);
    }

    static HoldResult refused(final SlotId slot, final Refusal refusal) {
        return new HoldResult(slot, null, null, null, false, refusal);
    }

    /** This result with the check's outcome and, for a held ONLINE slot, its deep link. */
    HoldResult with(final HoldCheck.Outcome outcome, final String url) {
        return new HoldResult(slot, token, expiresAt, method, retried, refusal, outcome,
            token != null && method == BookingMethod.ONLINE ? url : null);
    }

    /** {@code true} when the slot is held for the caller. */
    public boolean isHeld() {
        return token != null;
    }
}
