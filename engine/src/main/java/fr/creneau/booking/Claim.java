package fr.creneau.booking;

import java.time.Instant;

import fr.creneau.index.SlotDescriptor;

/**
 * One hold and what became of it: the on-heap authority over one slot identity. A claim enters
 * {@code BookingService.bySlot} by {@code putIfAbsent} before the index record is touched, so two
 * operators can never both hold a slot, even while the index does not show it (after a restart,
 * before the feeds are back). Fields below the line are guarded by the claim's monitor; a thread
 * holds at most one claim's monitor at a time, and takes the journal's locks only inside it.
 *
 * <pre>
 *   PENDING ──journaled──▶ HELD ──confirm──▶ (BUSY: vendor call) ──▶ BOOKED
 *      │                    │ └──release / expiry──▶ ENDED              │
 *      └──refused, failed───┴──────────────────────▶ ENDED ◀──release───┘
 * </pre>
 */
final class Claim {
    enum Phase {
        /** Being created by the thread holding the monitor; never seen by others in this phase. */
        PENDING,
        HELD,
        /** A vendor call (book or cancel) is in flight without the monitor; others wait or refuse. */
        BUSY,
        BOOKED,
        ENDED
    }

    final HoldToken token;
    final Operator operator;
    final SlotFacts facts;
    /**
     * When the hold began and when it runs out: set once by {@link #start}, by the thread making
     * the hold, under the monitor and after the claim won its slot, before the claim leaves
     * PENDING; {@code null} until then. Volatile for the sweep's unlocked pre-check, which looks
     * under the monitor at a claim whose expiry it cannot read yet.
     */
    volatile Instant heldAt;
    volatile Instant expiresAt;
    /** Source id in this process's vendor registry (0 manual), or -1 when it no longer knows the vendor. */
    final int source;
    /** The case it was held for, or {@code null}: journaled with the hold. */
    final CaseRef caseRef;
    /**
     * Another process's claim, told by a shared store: it only hides the slot here and answers
     * holds on it (ALREADY_HELD, ALREADY_BOOKED). It is in {@code bySlot} but never in
     * {@code byToken}: no confirm, release or outcome goes through it, and it is never written.
     */
    final boolean foreign;

    // ---- guarded by this ----
    Phase phase = Phase.PENDING;
    Booking booking;
    Refusal endedAs;
    /**
     * A confirmation went to the vendor (its intent is journaled) and no answer is recorded: the
     * vendor may hold a booking under this token. Such a hold never expires; only an answer from
     * the vendor (same idempotency key) ends it.
     */
    boolean inDoubt;
    /**
     * A cancellation of this booking went to the vendor (its intent is journaled) and no answer
     * is recorded: the vendor may no longer hold the booking. It stands until the vendor answers.
     */
    boolean cancelInDoubt;
    Instant endedAt;
    /** A foreign claim that is a booking (a foreign claim has no {@link #booking}). */
    boolean foreignBooked;
    /** The index record showing this claim's state, or NIL while not placed. */
    int record = SlotDescriptor.NIL;
    /**
     * Directory index of the practitioner when {@link #record} was found: indices are stable
     * across directory reloads, and the practitioner may have left the directory since.
     */
    int practitioner = -1;

    Claim(final HoldToken token, final Operator operator, final SlotFacts facts, final int source) {
        this(token, operator, facts, source, null);
    }

    Claim(final HoldToken token, final Operator operator, final SlotFacts facts, final int source,
          final CaseRef caseRef) {
        this(token, operator, facts, source, caseRef, false);
    }

    private Claim(final HoldToken token, final Operator operator, final SlotFacts facts, final int source,
                  final CaseRef caseRef, final boolean foreign) {
        this.foreign = foreign;
        this.caseRef = caseRef;
        this.token = token;
        this.operator = operator;
        this.facts = facts;
        this.source = source;
    }

    /** Who a foreign claim names as its operator: nobody here (never shown, never written). */
    private static final Operator ELSEWHERE = new Operator("another-host", "", "", "");

    /** Another process's claim on {@code facts}' slot (see {@link #foreign}). */
    static Claim foreign(final HoldToken token, final SlotFacts facts, final int source, final boolean booked,
                         final java.time.Instant expiresAt) {
        final Claim c = new Claim(token, ELSEWHERE, facts, source, null, true);
        c.foreignBooked = booked;
        c.heldAt = expiresAt;
        c.expiresAt = expiresAt == null ? java.time.Instant.MAX : expiresAt;
        c.phase = booked ? Phase.BOOKED : Phase.HELD;
        return c;
    }

    /** Re-dates a hold the store dated by its own clock. Caller holds the monitor, the claim PENDING. */
    void redate(final Instant at, final Instant runsOut) {
        heldAt = at;
        expiresAt = runsOut;
    }

    /** Dates the hold (once). Caller holds the monitor, the claim PENDING or being replayed. */
    void start(final Instant at, final Instant runsOut) {
        if (expiresAt != null) {
            throw new IllegalStateException("claim " + token + " already started");
        }
        heldAt = at;
        expiresAt = runsOut;
    }

    /** Held or booked, i.e. it owns its slot. Caller holds the monitor. */
    boolean standing() {
        return phase == Phase.HELD || phase == Phase.BUSY || phase == Phase.BOOKED;
    }

    /** The state the index record must show. Caller holds the monitor. */
    int indexState() {
        return booking != null || foreignBooked ? SlotDescriptor.STATE_BOOKED : SlotDescriptor.STATE_HELD;
    }

    @Override
    public String toString() {
        return "Claim{" + token + ' ' + facts.slot() + ' ' + operator.id() + '}';
    }
}
