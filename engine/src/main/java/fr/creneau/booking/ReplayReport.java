package fr.creneau.booking;

/**
 * What the booking service found in its journal at start. Immutable.
 *
 * @param records             good records read
 * @param tornBytesDropped    bytes of a torn last record dropped (the file was truncated to the last good record)
 * @param standingHolds       holds still standing after replay
 * @param standingBookings    bookings standing after replay
 * @param holdsExpiredAtStart holds whose time to live had run out by the clock at start: ended (and journaled)
 * @param orphanRecords       records about a token the journal no longer holds (after a compaction
 *                            dropped it); ignored
 * @param droppedTailKeptIn   the file beside the journal that keeps the torn tail replay dropped,
 *                            or {@code null} when none was dropped (a read-only replay ignores a
 *                            torn tail without dropping it)
 * @param confirmationsInDoubt holds whose confirmation had reached the vendor with no recorded
 *                            answer: never expired, driven to an outcome with the same idempotency
 *                            key by {@link BookingService#resolveInDoubt()}
 * @param cancellationsInDoubt bookings whose cancellation had reached the vendor with no recorded
 *                            answer: cancelled again (same reference) by {@link BookingService#resolveInDoubt()}
 */
public record ReplayReport(long records, long tornBytesDropped, int standingHolds, int standingBookings,
                           int holdsExpiredAtStart, int orphanRecords, java.nio.file.Path droppedTailKeptIn,
                           int confirmationsInDoubt, int cancellationsInDoubt) {
    /** A service without journal. */
    static final ReplayReport NONE = new ReplayReport(0, 0, 0, 0, 0, 0, null, 0, 0);
}
