package fr.creneau.store.postgres;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import fr.creneau.Creneau;
import fr.creneau.booking.ConfirmResult;
import fr.creneau.booking.HoldResult;
import fr.creneau.booking.Operator;
import fr.creneau.booking.Refusal;
import fr.creneau.booking.ReleaseResult;
import fr.creneau.slot.SlotId;

/**
 * One host of {@link MultiHostCreneauTest}, in its own JVM: a whole Créneau (its own off-heap
 * index, loaded from the data set's files) over the PostgreSQL store. Each round searches its
 * own index, holds one of the rows at random, then releases it or confirms it, and cancels some
 * bookings; it prints a booking or a cancellation only once the service acknowledged it
 * ({@code BOOKED token}, {@code CANCELLED token}). A refusal for an unreachable store is retried
 * (same token) until the store answers.
 *
 * <p>Arguments: jdbcUrl hostId dataDir rounds seed.
 */
public final class CreneauHost {
    private CreneauHost() {
    }

    public static void main(final String[] args) throws Exception {
        final String url = args[0];
        final String host = args[1];
        final Path dir = Path.of(args[2]);
        final int rounds = Integer.parseInt(args[3]);
        final Random random = new Random(Long.parseLong(args[4]));
        final Operator operator = Fleet.operator("op-" + host);
        int unavailable = 0;
        int taken = 0;
        int holds = 0;
        try (Creneau c = Fleet.host(dir, Creneau.builder().clock(Clock.systemUTC()).expiryTimer(false).outbox(true)
            .bookingStore(PostgresBookingStore.opener(
                new PostgresClaimStore.Config(url, host, 2, Duration.ofMillis(500), null), Duration.ofDays(1))))) {
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            for (int r = 0; r < rounds; r++) {
                final List<SlotId> shown = Fleet.shown(c, Instant.now(), 10);
                if (shown.isEmpty()) {
                    continue;
                }
                final HoldResult held = c.bookings().hold(shown.get(random.nextInt(shown.size())), operator);
                if (!held.isHeld()) {
                    if (held.refusal() == Refusal.STORE_UNAVAILABLE) {
                        unavailable = said(unavailable);
                    } else if (held.refusal() == Refusal.ALREADY_HELD || held.refusal() == Refusal.ALREADY_BOOKED) {
                        taken++; // proposed by this index, claimed by another host meanwhile
                    }
                    continue;
                }
                holds++;
                if (random.nextInt(10) < 3) {
                    ReleaseResult rel;
                    while ((rel = c.bookings().release(held.token())).refusal() == Refusal.STORE_UNAVAILABLE) {
                        unavailable = said(unavailable);
                    }
                    continue;
                }
                ConfirmResult booked;
                while ((booked = c.bookings().confirm(held.token())).refusal() == Refusal.STORE_UNAVAILABLE) {
                    unavailable = said(unavailable);
                }
                if (!booked.isBooked()) {
                    continue; // expired meanwhile (the database was away for long)
                }
                System.out.println("BOOKED " + held.token());
                System.out.flush();
                if (random.nextInt(4) == 0) {
                    ReleaseResult cancel;
                    while ((cancel = c.bookings().release(held.token())).refusal() == Refusal.STORE_UNAVAILABLE) {
                        unavailable = said(unavailable);
                    }
                    if (cancel.released()) {
                        System.out.println("CANCELLED " + held.token());
                        System.out.flush();
                    }
                }
            }
        }
        System.out.println("DONE unavailable=" + unavailable + " taken=" + taken + " holds=" + holds);
        System.out.flush();
    }

    /**
     * Counts a refusal for unavailability; the first is said, for the test restarts the database
     * then. No pause is needed before the retry: a refusal comes after the pool's connection
     * timeout (500 ms here), which paces the retries.
     */
    private static int said(final int unavailable) {
        if (unavailable == 0) {
            System.out.println("UNAVAILABLE");
            System.out.flush();
        }
        return unavailable + 1;
    }
}
