package fr.creneau.booking;

/**
 * Why a hold, confirmation or release did not happen. These are expected outcomes of a busy call
 * centre, returned in the results, never thrown.
 */
public enum Refusal {
    /** Another operator holds the slot (a hold by the same operator returns its token again). */
    ALREADY_HELD,
    /** The slot is booked. */
    ALREADY_BOOKED,
    /**
     * The slot is not in the index: unknown source or practitioner, never listed, removed by its
     * source, ended, or not re-ingested yet after a restart.
     */
    GONE,
    /** The hold's time to live ran out before it was confirmed or released. */
    EXPIRED,
    /** The hold was released (or its booking cancelled): confirming it again is refused. */
    RELEASED,
    /** No hold has this token (never issued, or forgotten after the retention period). */
    UNKNOWN_TOKEN,
    /** The end-to-end vendor refused the booking; the hold was ended and the slot freed. */
    VENDOR_REFUSED,
    /**
     * The vendor gateway failed (timeout, error): nothing changed, the hold (or booking) stands;
     * retry with the same token, which the vendor receives as an idempotency key.
     */
    VENDOR_UNAVAILABLE,
    /**
     * The booking store shared by several hosts (PostgreSQL) cannot be reached, or could not say
     * whether the change was made: nothing changed that may be relied on; the hold (or booking)
     * stands as it was. Retry, with the same token; searches go on from the local index.
     */
    STORE_UNAVAILABLE
}
