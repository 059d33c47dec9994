package fr.creneau.booking;

import java.util.Map;

/**
 * Counters of the booking service since it started (replayed records are not counted, expiries
 * applied at start are), and its current content. Immutable snapshot; counters taken one by one
 * while operations run may not add up to the same instant.
 *
 * @param holds             holds granted (a retried hold returning the same token is not one)
 * @param retriedHolds      holds asked again by the operator holding the slot: same token returned
 * @param confirms          bookings confirmed
 * @param repeatedConfirms  confirmations of an already confirmed token (same booking returned)
 * @param releases          holds and bookings released (cancellations included)
 * @param cancellations     of which confirmed bookings cancelled
 * @param expiries          holds whose time to live ran out
 * @param refusals          refused holds, confirmations and releases, by reason (every reason present)
 * @param listenerFailures  exceptions thrown by appointment listeners
 * @param standingHolds     holds now standing (not confirmed)
 * @param standingBookings  bookings now standing
 * @param unplaced          standing holds and bookings whose slot is not in the index (yet)
 * @param journalAppends    records appended since start (0 without journal)
 * @param journalForces     forces ({@code fdatasync}) since start
 * @param journalBytes      journal size, bytes
 * @param compactions       journal compactions since start
 * @param journalWriteFailures journal writes or forces that failed since start (each also told to
 *                          the {@link JournalFailureListener}s)
 * @param journalFailed     {@code true} once the journal takes no more records: every hold,
 *                          confirm and release throws until a restart
 * @param messagesPending   outbox messages not yet acknowledged by the host (journaled, delivered
 *                          again until acknowledged)
 */
public record BookingStats(long holds, long retriedHolds, long confirms, long repeatedConfirms, long releases,
                           long cancellations, long expiries, Map<Refusal, Long> refusals, long listenerFailures,
                           int standingHolds, int standingBookings, int unplaced, long journalAppends,
                           long journalForces, long journalBytes, long compactions, long journalWriteFailures,
                           boolean journalFailed, int messagesPending) {
    public BookingStats {
        refusals = Map.copyOf(refusals);
    }

    /** All refusals, whatever the reason. */
    public long refusalsTotal() {
        long n = 0;
        for (final long v : refusals.values()) {
            n += v;
        }
        return n;
    }
}
