package fr.creneau.booking;

import fr.creneau.slot.SlotId;

/**
 * Asks a slot's source, before a hold, whether the slot is still free there: the live pull's
 * <i>check at hold</i> ({@code fr.creneau.pull.Puller} registers one with
 * {@link BookingService#holdCheck}). Aggregators' users most often complain of slots that no
 * longer exist; an answer older than a bound (60 s by default) is asked again for that one slot.
 *
 * <p>Called by {@link BookingService#hold} on the operator's thread, before any claim is made and
 * with no Créneau lock held; it may take as long as one vendor request (its timeout). It must be
 * thread-safe. When it returns {@link Outcome#GONE} it has already made the index forget the
 * slot, and the hold is refused {@link Refusal#GONE}.
 */
@FunctionalInterface
public interface HoldCheck {
    /** What the check found; {@link HoldResult#check()} carries it to the host. */
    enum Outcome {
        /** Not checked: a manual slot, a vendor not pulled, a slot already held or booked here, or no check registered. */
        NOT_CHECKED,
        /** The vendor's last answer is recent enough (within the bound): not asked again. */
        FRESH,
        /** Asked again: the vendor still lists the slot free. */
        STILL_FREE,
        /** Asked again: the vendor no longer lists it; the hold is refused {@link Refusal#GONE}. */
        GONE,
        /**
         * The vendor could not be asked (timeout, connection, HTTP error, malformed answer,
         * breaker open): the hold goes ahead on the last answer, which is within the freshness
         * bound, and says so; the booking itself (on the vendor's agenda, or by phone) settles it.
         */
        UNREACHABLE
    }

    Outcome check(SlotId slot);
}
