package fr.creneau.booking;

import java.time.Instant;
import java.util.Objects;

import fr.creneau.slot.SlotId;
import fr.creneau.rank.BookingMethod;

/**
 * A confirmed booking and how to finish it: {@link BookingMethod#ONLINE} carries the vendor's
 * confirmation number, {@link BookingMethod#PHONE} the number to call and what to say. Immutable;
 * confirming the same token again returns an equal value.
 *
 * @param token           the hold that became this booking (also the RS-SAS-RDV appointment id)
 * @param slot            the slot
 * @param operator        who booked
 * @param bookedAt        when the confirmation was journaled
 * @param start           slot start
 * @param end             slot end
 * @param method          how the booking is finished
 * @param vendorReference the vendor's confirmation number (ONLINE), else {@code null}
 * @param phone           whom to call and what to say (PHONE), else {@code null}
 * @param caseRef         the LRM case it was booked for (id, modality, MT), or {@code null}
 */
public record Booking(HoldToken token, SlotId slot, Operator operator, Instant bookedAt, Instant start, Instant end,
                      BookingMethod method, String vendorReference, PhoneInstructions phone, CaseRef caseRef) {
    public Booking {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(bookedAt, "bookedAt");
        Objects.requireNonNull(method, "method");
        if (method == BookingMethod.ONLINE ? vendorReference == null : phone == null) {
            throw new IllegalArgumentException(method + " booking without its "
                + (method == BookingMethod.ONLINE ? "vendor reference" : "phone instructions"));
        }
    }
}
