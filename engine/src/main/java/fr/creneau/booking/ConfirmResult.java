package fr.creneau.booking;

import java.util.Objects;

/**
 * The outcome of {@link BookingService#confirm}: the booking, or a typed refusal. Immutable.
 *
 * @param token    the token given
 * @param booking  the booking, or {@code null} when refused
 * @param repeated {@code true} when the token was already confirmed: {@link #booking} is that
 *                 booking, unchanged (no second booking, no second message)
 * @param refusal  why not, or {@code null} when booked
 * @param detail   the vendor's words for {@link Refusal#VENDOR_REFUSED} and
 *                 {@link Refusal#VENDOR_UNAVAILABLE}, else {@code null}
 */
public record ConfirmResult(HoldToken token, Booking booking, boolean repeated, Refusal refusal, String detail) {
    public ConfirmResult {
        Objects.requireNonNull(token, "token");
        if ((booking == null) == (refusal == null)) {
            throw new IllegalArgumentException("a confirm result has either a booking or a refusal");
        }
    }

    static ConfirmResult booked(final Booking booking, final boolean repeated) {
        return new ConfirmResult(booking.token(), booking, repeated, null, null);
    }

    static ConfirmResult refused(final HoldToken token, final Refusal refusal, final String detail) {
        return new ConfirmResult(token, null, false, refusal, detail);
    }

    /** {@code true} when the slot is booked. */
    public boolean isBooked() {
        return booking != null;
    }
}
