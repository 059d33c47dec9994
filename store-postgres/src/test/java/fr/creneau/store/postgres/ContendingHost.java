package fr.creneau.store.postgres;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import fr.creneau.slot.SlotId;
import fr.creneau.store.postgres.PostgresClaimStore.Answer;
import fr.creneau.store.postgres.PostgresClaimStore.Message;
import fr.creneau.store.postgres.PostgresClaimStore.Outcome;
import fr.creneau.store.postgres.PostgresClaimStore.State;

/**
 * One host of {@link MultiProcessContentionTest}, in its own JVM: holds random slots of a shared
 * set, confirms or releases them, cancels some bookings, and prints each booking and cancellation
 * only once the store acknowledged it ({@code BOOKED token}, {@code CANCELLED token}). A request
 * the store refused for unavailability is retried later; one in doubt is read back by token.
 *
 * <p>Arguments: jdbcUrl hostId rounds slots seed.
 */
public final class ContendingHost {
    /** Answers STORE_UNAVAILABLE met (the database was away). */
    private static int unavailable;

    private ContendingHost() {
    }

    /** Counts a refusal for unavailability; the first is said, for the test restarts the database then. */
    private static void metUnavailable() {
        if (unavailable++ == 0) {
            System.out.println("UNAVAILABLE");
            System.out.flush();
        }
    }

    public static void main(final String[] args) throws Exception {
        final String url = args[0];
        final String host = args[1];
        final int rounds = Integer.parseInt(args[2]);
        final int slots = Integer.parseInt(args[3]);
        final Random random = new Random(Long.parseLong(args[4]));
        final PostgresClaimStore store = PostgresClaimStore.open(
            new PostgresClaimStore.Config(url, host, 2, Duration.ofMillis(500), null));
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        for (int r = 0; r < rounds; r++) {
            final SlotId slot = new SlotId("doctolib", 10_000_000_017L, 3_000_000 + 15 * random.nextInt(slots));
            final UUID token = UUID.randomUUID();
            final Answer held = settle(store, token, store.hold(token, slot, "op-" + host, "case-" + r,
                Duration.ofMillis(300 + random.nextInt(700)), List.of(), null), State.HELD);
            if (held.outcome() != Outcome.DONE) {
                continue;
            }
            if (random.nextInt(10) < 3) {
                settle(store, token, store.release(token, List.of(), null), State.ENDED);
                continue;
            }
            if (settle(store, token, store.beginConfirm(token, null), State.CONFIRMING).outcome() != Outcome.DONE) {
                continue;
            }
            final Message m = new Message(host + "_" + token, "CreateAppointment", "{\"token\":\"" + token + "\"}");
            Answer booked;
            do {
                booked = settle(store, token, store.completeConfirm(token, "REF-" + token, List.of(m), null),
                    State.BOOKED);
            } while (booked.outcome() == Outcome.STORE_UNAVAILABLE);
            if (booked.outcome() == Outcome.DONE) {
                System.out.println("BOOKED " + token);
                System.out.flush();
                if (random.nextInt(4) == 0 && settle(store, token, store.beginCancel(token, null), State.CANCELLING).done()) {
                    Answer cancelled;
                    do {
                        cancelled = settle(store, token, store.completeCancel(token, List.of(), null), State.ENDED);
                    } while (cancelled.outcome() == Outcome.STORE_UNAVAILABLE);
                    if (cancelled.done()) {
                        System.out.println("CANCELLED " + token);
                        System.out.flush();
                    }
                }
            }
        }
        store.close();
        System.out.println("DONE unavailable=" + unavailable);
    }

    /**
     * An answer in doubt is read back by token until the database answers; never guessed. No
     * pause between attempts: an unreachable database answers after the pool's connection
     * timeout (500 ms here), which paces them.
     */
    private static Answer settle(final PostgresClaimStore store, final UUID token, final Answer a,
                                 final State intended) {
        if (a.outcome() == Outcome.STORE_UNAVAILABLE) {
            metUnavailable();
            return a;
        }
        if (a.outcome() != Outcome.IN_DOUBT) {
            return a;
        }
        while (true) {
            try {
                final Optional<PostgresClaimStore.Claim> c = store.claim(token);
                final boolean happened = c.isPresent() && c.get().state() == intended;
                // Not there: the commit did not happen, nothing changed, as when unreachable (the
                // caller retries a completion; it used to stop on WRONG_STATE and leave a booking
                // CANCELLING or CONFIRMING).
                return new Answer(happened ? Outcome.DONE : Outcome.STORE_UNAVAILABLE, c.orElse(null));
            } catch (final StoreUnavailableException e) {
                metUnavailable();
            }
        }
    }
}
