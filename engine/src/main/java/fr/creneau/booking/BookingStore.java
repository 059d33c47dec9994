package fr.creneau.booking;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;

import fr.creneau.slot.SlotId;

/**
 * Where the truth about holds, bookings, outcomes and messages is kept: the seam between
 * {@link BookingService} and durable storage. Two implementations: the journal (the default,
 * embedded, one process: a service opened without a store uses it) and PostgreSQL (module
 * {@code creneau-store-postgres}: several processes, each with its own index, over one database).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #write} returns {@link Outcome#DONE} only once the record is durable; any other
 *       answer means the change did not happen and the service refuses the operation with a typed
 *       reason: {@link Outcome#TAKEN} (a {@link BookingRecord.Hold} met another process's standing
 *       claim on the slot, whatever this process's index shows), {@link Outcome#EXPIRED} (the
 *       store's clock says the hold ran out; the store ended it), {@link Outcome#UNAVAILABLE} (the
 *       store cannot be reached, or the outcome of the write could not be learnt: nothing the
 *       caller may rely on was made). A fault that is not the store's absence (a full disk under
 *       the journal) throws, as {@link JournalWriteException} does.</li>
 *   <li>The service calls {@link #write} for one claim at a time under that claim's monitor, and
 *       from any number of threads for different claims: implementations are thread-safe.</li>
 *   <li>{@link Opener#open} replays, before returning and on the calling thread, every record
 *       needed to rebuild this process's standing claims, the recent outcomes and the
 *       unacknowledged messages, in the order they were written.</li>
 *   <li>A store shared by several processes tells the {@link ClaimListener} given at open of the
 *       other processes' claims, within a bound it documents, so that this process's index stops
 *       proposing them; the journal has no others and tells nothing.</li>
 * </ul>
 */
public interface BookingStore extends AutoCloseable {

    /** What became of a write. */
    enum Outcome {
        /** Durable. */
        DONE,
        /** A hold refused: another process holds or booked the slot. */
        TAKEN,
        /** Refused: the hold ran out by the store's clock (and the store ended it). */
        EXPIRED,
        /** The store could not be reached or could not say: nothing changed that may be relied on. */
        UNAVAILABLE
    }

    /**
     * The answer to a write.
     *
     * @param heldAt       for a hold made: when the store dated it ({@code null}: as written)
     * @param expiresAt    for a hold made: when it runs out by the store's clock ({@code null}: as written);
     *                     for {@link Outcome#TAKEN}: when the other claim's hold runs out
     * @param holder       for {@link Outcome#TAKEN}: the other claim's token, if the store knows it
     * @param holderBooked for {@link Outcome#TAKEN}: the other claim is a booking
     * @param detail       why, for a refusal ({@code null} otherwise)
     */
    record Answer(Outcome outcome, Instant heldAt, Instant expiresAt, HoldToken holder, boolean holderBooked,
                  String detail) {
        private static final Answer DONE = new Answer(Outcome.DONE, null, null, null, false, null);

        public Answer {
            Objects.requireNonNull(outcome, "outcome");
        }

        /** Durable, as written. */
        public static Answer recorded() {
            return DONE;
        }

        /** A hold made, dated by the store. */
        public static Answer held(final Instant heldAt, final Instant expiresAt) {
            return new Answer(Outcome.DONE, heldAt, expiresAt, null, false, null);
        }

        /** A hold refused: {@code holder} (maybe {@code null}) stands on the slot. */
        public static Answer taken(final HoldToken holder, final boolean booked, final Instant expiresAt) {
            return new Answer(Outcome.TAKEN, null, expiresAt, holder, booked, null);
        }

        public static Answer expired() {
            return new Answer(Outcome.EXPIRED, null, null, null, false, null);
        }

        public static Answer unavailable(final String detail) {
            return new Answer(Outcome.UNAVAILABLE, null, null, null, false, detail);
        }

        public boolean done() {
            return outcome == Outcome.DONE;
        }
    }

    /** Receives the records of a replay (the opener's thread, before the service is shared). */
    @FunctionalInterface
    interface Replayer {
        /**
         * @param position where the record was read (a byte offset in the journal; an ordinal
         *                 elsewhere), for error messages
         */
        void replayed(BookingRecord r, long position);
    }

    /** A claim of another process, as a shared store announces it. */
    record ForeignClaim(SlotId slot, HoldToken token, boolean booked, Instant expiresAt) {
        public ForeignClaim {
            Objects.requireNonNull(slot, "slot");
            Objects.requireNonNull(token, "token");
        }
    }

    /**
     * Told of other processes' claims by a shared store, on the store's own thread, one call at a
     * time. Implementations must not block for long.
     */
    interface ClaimListener {
        /** A claim of another process stands on a slot (held or booked), or changed. */
        void claimed(ForeignClaim claim);

        /** A claim ended (released, expired, cancelled), whoever made it. */
        void ended(SlotId slot, HoldToken token);

        /**
         * After each (re)connection: every claim of other processes standing now; any other that
         * was announced before has ended.
         */
        void resynced(Collection<ForeignClaim> standing);

        /**
         * An outcome another process recorded (a row a case declined, a patient refused...): this
         * process's next searches for the case leave it out too. None by default.
         */
        default void outcome(final BookingRecord.OutcomeRecord outcome) {
        }

        /**
         * Whether this process delivers messages to the LRM (its service's outbox is drained by a
         * delivery loop, not kept for another process to read): only such a process is given the
         * messages of a host gone silent ({@link #adopted}). {@code false} by default.
         */
        default boolean deliversMessages() {
            return false;
        }

        /**
         * Messages a host gone silent left undelivered, which the store has durably made this
         * process's (oldest first): pending here from now on, delivered and acknowledged like
         * this process's own. Called only when {@link #deliversMessages()}. None by default.
         */
        default void adopted(final java.util.List<fr.creneau.booking.outbox.OutboxMessage> messages) {
        }
    }

    /** Opens a store for one service. */
    @FunctionalInterface
    interface Opener {
        /**
         * Opens the store, replays into {@code replayer} before returning, then tells
         * {@code others} of other processes' claims.
         */
        BookingStore open(Replayer replayer, ClaimListener others);
    }

    /** What a replay read. */
    record Replayed(long records, long tornBytes, Path keptIn) {
        public static final Replayed NONE = new Replayed(0, 0, null);
    }

    /**
     * Makes {@code r} durable (see the contract above).
     *
     * @throws JournalException the journal cannot be written (nothing changed, unless it says so)
     */
    Answer write(BookingRecord r);

    /** What the replay at open read. */
    Replayed replayed();

    /**
     * The clock holds are dated and judged by when the store has one for every process (the
     * database's); {@code null}: the service's own.
     */
    default Clock clock() {
        return null;
    }

    /**
     * Called by every sweep of the service ({@link BookingService#expireHolds()}): a shared store
     * ends the holds run out by its clock, whoever made them; the journal compacts when it has
     * grown past {@code compactAboveBytes}, dropping what ended before {@code horizonMinute}.
     */
    default void sweep(final int horizonMinute, final long compactAboveBytes) {
    }

    /** Labels the store in messages and the CLI ({@code journal DIR}, {@code postgresql://...}). */
    String describe();

    /** Counters, for {@link BookingStats}; zero where a store has no such thing. */
    default long appends() {
        return 0;
    }

    default long forces() {
        return 0;
    }

    default long size() {
        return 0;
    }

    default long compactions() {
        return 0;
    }

    default long writeFailures() {
        return 0;
    }

    /** The store refuses every write until the process restarts (a journal after a failed force). */
    default boolean stopped() {
        return false;
    }

    /** Releases what the store holds (the journal's lock, a pool). Idempotent. */
    @Override
    void close();
}
