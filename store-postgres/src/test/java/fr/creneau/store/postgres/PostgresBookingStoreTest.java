package fr.creneau.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.booking.BookingStore;
import fr.creneau.booking.ConfirmResult;
import fr.creneau.booking.HoldResult;
import fr.creneau.booking.Refusal;
import fr.creneau.booking.outbox.OutboxMessage;
import fr.creneau.outcome.Outcome;
import fr.creneau.outcome.OutcomeResult;
import fr.creneau.outcome.RowRef;
import fr.creneau.slot.SlotId;

/**
 * Créneau hosts, each with its own index, over one real PostgreSQL through {@link PostgresBookingStore}:
 * what one host holds the others stop proposing, the database refuses what an index does not know,
 * an unreachable database refuses holds while searches go on, a restarted host comes back from
 * the database alone, and a hold run out by the database's clock ends on every host.
 */
class PostgresBookingStoreTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static LocalPostgres pg;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        pg = LocalPostgres.start("hosts");
    }

    @AfterAll
    static void stopServer() {
        pg.close();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        try (PostgresClaimStore s = PostgresClaimStore.open(config("setup", null))) {
            assertNotNull(s);
        }
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE creneau_claim, creneau_outbox, creneau_audit, creneau_outcome, creneau_hosts");
        }
    }

    private static PostgresClaimStore.Config config(final String host, final Clock clock) {
        return new PostgresClaimStore.Config(pg.jdbcUrl(), host, 4, Duration.ofSeconds(2), clock);
    }

    /** What a host's store told its service, in order; optionally not passed on (a host that hears nothing). */
    static final class Notices implements BookingStore.ClaimListener {
        private final BookingStore.ClaimListener inner;
        private final boolean deaf;
        private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();

        Notices(final BookingStore.ClaimListener inner, final boolean deaf) {
            this.inner = inner;
            this.deaf = deaf;
        }

        @Override
        public void claimed(final BookingStore.ForeignClaim claim) {
            if (!deaf) {
                inner.claimed(claim);
            }
            heard.add((claim.booked() ? "booked " : "held ") + claim.token());
        }

        @Override
        public void ended(final SlotId slot, final fr.creneau.booking.HoldToken token) {
            if (!deaf) {
                inner.ended(slot, token);
            }
            heard.add("ended " + token);
        }

        @Override
        public void outcome(final fr.creneau.booking.BookingRecord.OutcomeRecord outcome) {
            if (!deaf) {
                inner.outcome(outcome);
            }
            heard.add("outcome " + outcome.caseId() + " " + outcome.result());
        }

        @Override
        public void resynced(final Collection<BookingStore.ForeignClaim> standing) {
            if (!deaf) {
                inner.resynced(standing);
            }
            heard.add("resynced " + standing.size());
        }

        @Override
        public boolean deliversMessages() {
            final boolean delivers = inner.deliversMessages();
            heard.add("delivers " + delivers);
            return delivers;
        }

        @Override
        public void adopted(final java.util.List<OutboxMessage> messages) {
            if (!deaf) {
                inner.adopted(messages);
            }
            heard.add("adopted " + messages.stream().map(m -> m.id().toString()).toList());
        }

        /** Waits until {@code what} is heard (after everything heard before it was passed on). */
        void await(final String what) throws InterruptedException {
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                final String s = heard.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (s == null) {
                    fail("never heard '" + what + "'");
                }
                if (s.equals(what)) {
                    return;
                }
            }
        }
    }

    private static BookingStore.Opener opener(final String host, final Clock clock, final boolean deaf,
                                              final AtomicReference<Notices> notices) {
        return (replayer, others) -> {
            final Notices n = new Notices(others, deaf);
            notices.set(n);
            return PostgresBookingStore.opener(config(host, clock), Duration.ofDays(7)).open(replayer, n);
        };
    }

    /** A host that looks for silent hosts' messages every 100 ms (the first time 100 ms after it opens), a host being silent after a minute. */
    private static BookingStore.Opener adoptingOpener(final String host, final AtomicReference<Notices> notices) {
        return adoptingOpener(host, notices, Duration.ZERO);
    }

    /** The same, adopting only once its own feed has been connected for {@code settle}. */
    private static BookingStore.Opener adoptingOpener(final String host, final AtomicReference<Notices> notices,
                                                      final Duration settle) {
        return (replayer, others) -> {
            final Notices n = new Notices(others, false);
            notices.set(n);
            return PostgresBookingStore.opener(config(host, null), Duration.ofDays(7), Duration.ofMinutes(1),
                Duration.ofMillis(100), settle).open(replayer, n);
        };
    }

    @Test
    void theMessagesOfAHostGoneSilentAreDeliveredByAnother() throws Exception {
        final Fleet fleet = new Fleet(dir, Instant.now(), 2, 2);
        final java.util.UUID message;
        try (Creneau a = fleet.host(opener("a", null, false, new AtomicReference<>()), Clock.systemUTC())) {
            final HoldResult held = a.bookings().hold(fleet.slots.get(0), Fleet.operator("op-a"),
                new fr.creneau.booking.CaseRef("case-9", fr.creneau.feed.Modality.OFFICE, false));
            assertTrue(a.bookings().confirm(held.token()).isBooked());
            message = a.bookings().pendingMessages().get(0).id(); // no sink: never delivered by A
        }
        try (PostgresClaimStore probe = PostgresClaimStore.open(config("probe", null))) {
            assertTrue(probe.adoptMessages(Duration.ofMinutes(1)).isEmpty(), "a message a minute old stays its host's");
            sql("UPDATE creneau_outbox SET created_at = created_at - interval '1 hour' WHERE host = 'a'");
            assertTrue(probe.adoptMessages(Duration.ofMinutes(1)).isEmpty(),
                "an old message of a host seen within the minute (A's feed wrote its heartbeat) stays its host's");
        }
        sql("UPDATE creneau_hosts SET seen_at = seen_at - interval '1 hour' WHERE host = 'a'");
        // A has been silent for an hour. A host whose outbox waits for another process to read it
        // (no sink, as a one-shot command's) would not deliver it: it takes nothing.
        final AtomicReference<Notices> heardByC = new AtomicReference<>();
        try (Creneau c = fleet.host(adoptingOpener("c", heardByC), Clock.systemUTC())) {
            heardByC.get().await("delivers false");
            heardByC.get().await("delivers false"); // a whole pass after the first
            assertEquals("a", sqlString("SELECT host FROM creneau_outbox WHERE id = '" + message + "'"));
            assertTrue(c.bookings().pendingMessages().isEmpty());
        }
        // D delivers, but its feed has not been connected long enough to tell a silent host from
        // one still reconnecting after an outage: it takes nothing either.
        final AtomicReference<Notices> heardByD = new AtomicReference<>();
        try (Creneau d = Fleet.host(dir, Creneau.builder().clock(Clock.systemUTC()).expiryTimer(false)
                .messageSink(m -> true, Duration.ofMillis(100))
                .bookingStore(adoptingOpener("d", heardByD, Duration.ofHours(1))))) {
            heardByD.get().await("delivers true");
            heardByD.get().await("delivers true"); // a whole pass after the first
            assertEquals("a", sqlString("SELECT host FROM creneau_outbox WHERE id = '" + message + "'"));
            assertTrue(d.bookings().pendingMessages().isEmpty());
        }
        // B delivers (a sink drains its outbox): its next pass takes A's message, and B's sink gets it.
        final BlockingQueue<java.util.UUID> delivered = new LinkedBlockingQueue<>();
        final AtomicReference<Notices> heardByB = new AtomicReference<>();
        try (Creneau b = Fleet.host(dir, Creneau.builder().clock(Clock.systemUTC()).expiryTimer(false)
                .messageSink(m -> delivered.add(m.id()), Duration.ofMillis(100))
                .bookingStore(adoptingOpener("b", heardByB)));
             PostgresClaimStore probe = PostgresClaimStore.open(config("probe", null))) {
            heardByB.get().await("delivers true");
            heardByB.get().await("adopted [" + message + "]");
            assertEquals(message, delivered.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS), "B's sink got A's message");
            assertTrue(b.bookings().outbox().awaitEmpty(WAIT), "and B acknowledged it");
            assertEquals("b", sqlString("SELECT host FROM creneau_outbox WHERE id = '" + message + "'"));
            assertNotNull(sqlString("SELECT acked_at FROM creneau_outbox WHERE id = '" + message + "'"));
            assertTrue(probe.adoptMessages(Duration.ofMinutes(1)).isEmpty(), "an acknowledged message moves no more");
        }
        try (Creneau again = fleet.host(opener("a", null, false, new AtomicReference<>()), Clock.systemUTC())) {
            assertTrue(again.bookings().pendingMessages().isEmpty(), "A, back, does not deliver it again");
        }
    }

    private static void sql(final String statement) throws SQLException {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static String sqlString(final String query) throws SQLException {
        try (Connection c = pg.connect(); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(query)) {
            assertTrue(rs.next(), query);
            return rs.getString(1);
        }
    }

    @Test
    void whatOneHostHoldsTheOtherStopsProposingAndTheDatabaseRefuses() throws InterruptedException {
        final Fleet fleet = new Fleet(dir, Instant.now(), 3, 3);
        final AtomicReference<Notices> heardByB = new AtomicReference<>();
        try (Creneau a = fleet.host(opener("a", null, false, new AtomicReference<>()), Clock.systemUTC());
             Creneau b = fleet.host(opener("b", null, false, heardByB), Clock.systemUTC())) {
            heardByB.get().await("resynced 0");
            final SlotId slot = Fleet.shown(b, Instant.now(), 10).get(0);
            final HoldResult held = a.bookings().hold(slot, Fleet.operator("op-a"));
            assertTrue(held.isHeld(), held.toString());

            heardByB.get().await("held " + held.token());
            assertFalse(Fleet.shown(b, Instant.now(), 50).contains(slot), "B no longer proposes what A holds");
            assertEquals(Refusal.ALREADY_HELD, b.bookings().hold(slot, Fleet.operator("op-b")).refusal());

            final ConfirmResult booked = a.bookings().confirm(held.token());
            assertTrue(booked.isBooked(), booked.toString());
            heardByB.get().await("booked " + held.token());
            assertEquals(Refusal.ALREADY_BOOKED, b.bookings().hold(slot, Fleet.operator("op-b")).refusal());

            assertTrue(a.bookings().release(held.token()).released());
            heardByB.get().await("ended " + held.token());
            assertTrue(Fleet.shown(b, Instant.now(), 50).contains(slot), "released: proposed again");
            assertTrue(b.bookings().hold(slot, Fleet.operator("op-b")).isHeld());
        }
    }

    @Test
    void aRowDeclinedOnOneHostIsLeftOutOfTheCasesSearchesOnTheOther() throws InterruptedException {
        final Fleet fleet = new Fleet(dir, Instant.now(), 3, 2);
        final AtomicReference<Notices> heardByB = new AtomicReference<>();
        try (Creneau a = fleet.host(opener("a", null, false, new AtomicReference<>()), Clock.systemUTC());
             Creneau b = fleet.host(opener("b", null, false, heardByB), Clock.systemUTC())) {
            heardByB.get().await("resynced 0");
            final long declined = fleet.rpps.get(0);
            assertTrue(a.bookings().outcome("case-9", RowRef.rpps(declined), Outcome.DECLINED,
                Fleet.operator("op-a")).isRecorded());
            heardByB.get().await("outcome case-9 DECLINED");
            assertTrue(java.util.Arrays.stream(b.bookings().excludedFor("case-9")).anyMatch(r -> r == declined),
                "B leaves the declined doctor out of the case's searches");
            assertEquals(0, b.bookings().excludedFor("case-10").length, "and only of that case");
        }
    }

    @Test
    void theDatabaseRefusesAHoldWhateverTheLocalIndexShows() throws InterruptedException {
        final Fleet fleet = new Fleet(dir, Instant.now(), 2, 2);
        final AtomicReference<Notices> heardByB = new AtomicReference<>();
        try (Creneau a = fleet.host(opener("a", null, false, new AtomicReference<>()), Clock.systemUTC());
             Creneau b = fleet.host(opener("b", null, true, heardByB), Clock.systemUTC())) {
            final SlotId slot = fleet.slots.get(0);
            final HoldResult held = a.bookings().hold(slot, Fleet.operator("op-a"));
            assertTrue(held.isHeld());
            heardByB.get().await("held " + held.token()); // heard, and not passed on: B's index does not know
            assertTrue(Fleet.shown(b, Instant.now(), 50).contains(slot), "B's index was not told");

            assertEquals(Refusal.ALREADY_HELD, b.bookings().hold(slot, Fleet.operator("op-b")).refusal(),
                "the unique index refuses it");
            assertFalse(Fleet.shown(b, Instant.now(), 50).contains(slot), "and B now hides it");
        }
    }

    @Test
    void anUnreachableDatabaseRefusesHoldsWhileSearchesGoOnThenBookingsResume() {
        final Fleet fleet = new Fleet(dir, Instant.now(), 2, 3);
        try (Creneau a = fleet.host(opener("a", null, false, new AtomicReference<>()), Clock.systemUTC())) {
            final HoldResult before = a.bookings().hold(fleet.slots.get(0), Fleet.operator("op-a"));
            assertTrue(before.isHeld());
            pg.stop();
            try {
                assertFalse(Fleet.shown(a, Instant.now(), 10).isEmpty(), "searches go on from the local index");
                final HoldResult refused = a.bookings().hold(fleet.slots.get(1), Fleet.operator("op-a"));
                assertEquals(Refusal.STORE_UNAVAILABLE, refused.refusal());
                assertTrue(Fleet.shown(a, Instant.now(), 50).contains(fleet.slots.get(1)),
                    "a refused hold leaves the slot proposed");
                final ConfirmResult notYet = a.bookings().confirm(before.token());
                assertEquals(Refusal.STORE_UNAVAILABLE, notYet.refusal());
                final OutcomeResult outcome = a.bookings().outcome("case-1", RowRef.rpps(fleet.rpps.get(1)),
                    Outcome.DECLINED, Fleet.operator("op-a"));
                assertEquals(OutcomeResult.Refusal.STORE_UNAVAILABLE, outcome.refusal());
            } finally {
                pg.start();
            }
            assertTrue(a.bookings().hold(fleet.slots.get(1), Fleet.operator("op-a")).isHeld(), "no restart needed");
            assertTrue(a.bookings().confirm(before.token()).isBooked(), "the hold stood meanwhile");
        }
    }

    @Test
    void aRestartedHostComesBackFromTheDatabaseAlone() {
        final Fleet fleet = new Fleet(dir, Instant.now(), 3, 2);
        final SlotId heldSlot = fleet.slots.get(0);
        final SlotId bookedSlot = fleet.slots.get(2);
        final HoldResult held;
        final HoldResult toBook;
        try (Creneau a = fleet.host(opener("a", null, false, new AtomicReference<>()), Clock.systemUTC())) {
            held = a.bookings().hold(heldSlot, Fleet.operator("op-a"));
            toBook = a.bookings().hold(bookedSlot, Fleet.operator("op-a"),
                new fr.creneau.booking.CaseRef("case-7", fr.creneau.feed.Modality.OFFICE, false));
            assertTrue(a.bookings().confirm(toBook.token()).isBooked());
            assertTrue(a.bookings().outcome("case-7", RowRef.rpps(fleet.rpps.get(2)), Outcome.DECLINED,
                Fleet.operator("op-a")).isRecorded());
        }
        try (Creneau again = fleet.host(opener("a", null, false, new AtomicReference<>()), Clock.systemUTC())) {
            assertEquals(held.token(), again.bookings().tokenHeldBy(heldSlot, "op-a"), "the hold came back");
            assertEquals(held.expiresAt(), again.bookings().booking(heldSlot) == null
                ? held.expiresAt() : null, "still a hold, not a booking");
            assertNotNull(again.bookings().booking(bookedSlot), "the booking came back");
            assertEquals("case-7", again.bookings().booking(bookedSlot).caseRef().caseId());
            assertTrue(java.util.Arrays.stream(again.bookings().excludedFor("case-7"))
                .anyMatch(r -> r == fleet.rpps.get(2)), "the declined row stays out of the case's searches");
            assertTrue(again.bookings().pendingMessages().stream()
                .anyMatch(m -> m.kind() == OutboxMessage.Kind.CREATED), "the undelivered CreateAppointment came back");
            assertFalse(Fleet.shown(again, Instant.now(), 50).contains(heldSlot), "its index hides them again");
            assertFalse(Fleet.shown(again, Instant.now(), 50).contains(bookedSlot));
        }
        try (Creneau other = fleet.host(opener("b", null, false, new AtomicReference<>()), Clock.systemUTC())) {
            assertNull(other.bookings().tokenHeldBy(heldSlot, "op-a"), "another host replays only its own claims");
            assertTrue(other.bookings().pendingMessages().isEmpty(), "and delivers only its own messages");
        }
    }

    /** A clock the test moves (the store's and the hosts' "now" in this test). */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(final Instant start) {
            this.now = start;
        }

        void advance(final Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aHoldRunOutByTheStoresClockEndsOnEveryHost() throws InterruptedException {
        final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T09:00:00Z"));
        final Fleet fleet = new Fleet(dir, clock.instant(), 2, 2);
        final AtomicReference<Notices> heardByA = new AtomicReference<>();
        try (Creneau a = fleet.host(opener("a", clock, false, heardByA), clock);
             Creneau b = fleet.host(opener("b", clock, false, new AtomicReference<>()), clock)) {
            final SlotId slot = fleet.slots.get(0);
            final HoldResult held = a.bookings().hold(slot, Fleet.operator("op-a"), Duration.ofMinutes(1));
            assertTrue(held.isHeld());
            clock.advance(Duration.ofMinutes(2));
            b.bookings().expireHolds(); // B's sweep ends A's hold in the database
            heardByA.get().await("ended " + held.token());
            assertEquals(0, a.bookings().stats().standingHolds(), "ended on A too, without A's sweep");
            assertTrue(Fleet.shown(a, clock.instant(), 50).contains(slot));
            assertEquals(Refusal.EXPIRED, a.bookings().confirm(held.token()).refusal());
        }
    }
}
