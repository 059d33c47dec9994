package fr.creneau.booking;

import java.util.Objects;

import fr.creneau.slot.SlotId;

/**
 * What a vendor's Appointment (flux INT_R03) did here. Immutable.
 *
 * @param slot    the slot it names (vendor, RPPS, start)
 * @param status  the Appointment's status
 * @param outcome what it did, or why it matched nothing ({@link Outcome#isRejection()})
 * @param booking the booking it made, confirmed, cancelled or noted, or {@code null}
 */
public record AppointmentResult(SlotId slot, AppointmentStatus status, Outcome outcome, Booking booking) {
    public AppointmentResult {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** Counted by {@link BookingService#appointments(Outcome)}. */
    public enum Outcome {
        /** {@code booked}: the operator's hold on that slot became the booking (RS-SAS-RDV created). */
        HOLD_CONFIRMED,
        /** {@code booked}, nobody held it here: the slot is now BOOKED for the Appointment's operator (RS-SAS-RDV created). */
        BOOKED,
        /** {@code booked} again (the guide's conditional PUT repeats it), or {@code fulfilled}/{@code noshow}: the booking stands, unchanged. */
        ALREADY_BOOKED,
        /** {@code cancelled}: the booking here ended and the slot is free again (RS-SAS-RDV cancelled); the vendor is not called back. */
        CANCELLED,
        /** {@code cancelled} of a slot booked by nobody here: nothing to undo (a hold on it stands). */
        NOT_BOOKED,
        /** Rejected: no slot of that vendor, practitioner and start is indexed or booked here. */
        NO_MATCHING_SLOT;

        public boolean isRejection() {
            return this == NO_MATCHING_SLOT;
        }
    }
}
