package fr.creneau.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import fr.creneau.slot.Minutes;
import fr.creneau.slot.SlotId;
import fr.creneau.store.postgres.PostgresClaimStore.AuditEvent;
import fr.creneau.store.postgres.PostgresClaimStore.Message;
import fr.creneau.store.postgres.PostgresClaimStore.Outcome;
import fr.creneau.store.postgres.PostgresClaimStore.State;

/** The store against a real PostgreSQL started by the test. */
class PostgresClaimStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(5);
    private static LocalPostgres pg;

    @BeforeAll
    static void startServer() {
        pg = LocalPostgres.start("store");
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
            st.execute("TRUNCATE creneau_claim, creneau_outbox, creneau_audit");
        }
    }

    private static PostgresClaimStore.Config config(final String host, final Clock clock) {
        return new PostgresClaimStore.Config(pg.jdbcUrl(), host, 8, Duration.ofSeconds(2), clock);
    }

    /** A store whose every connection (its pool's, its feed's) goes through {@code proxy}. */
    private static PostgresClaimStore.Config viaProxy(final CuttingProxy proxy, final String host) {
        return new PostgresClaimStore.Config("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/creneau?user=creneau",
            host, 2, Duration.ofSeconds(2), null);
    }

    private static SlotId slot(final int i) {
        return new SlotId("doctolib", 10_000_000_017L, Minutes.floor(T0) + 60 + 15 * i);
    }

    private static AuditEvent audit(final String event) {
        return new AuditEvent(event, "case-1", "op-1", "SLOT", 10_000_000_017L, null, null);
    }

    @Test
    void migrationIsIdempotentAndRefusesANewerOrChangedSchema() throws SQLException {
        try (Connection c = pg.connect()) {
            assertEquals(Migrations.latest(), Migrations.current(c));
            assertEquals(0, Migrations.migrate(c), "already up to date");
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO creneau_schema_version (version, name, checksum) VALUES (99, 'V99__x.sql', 'x')");
            }
            final SchemaException newer = assertThrows(SchemaException.class, () -> Migrations.migrate(c));
            assertTrue(newer.getMessage().contains("newer"), newer.getMessage());
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM creneau_schema_version WHERE version = 99");
                s.execute("UPDATE creneau_schema_version SET checksum = 'tampered' WHERE version = 1");
            }
            final SchemaException changed = assertThrows(SchemaException.class, () -> Migrations.migrate(c));
            assertTrue(changed.getMessage().contains("differs"), changed.getMessage());
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE creneau_schema_version, creneau_claim, creneau_outbox, creneau_audit, creneau_outcome,"
                    + " creneau_hosts");
            }
            assertEquals(Migrations.latest(), Migrations.migrate(c), "recreated from nothing");
        }
    }

    @Test
    void aSlotHeldByOneHostIsRefusedToAnotherAndTheHoldConfirmsWithItsMessage() {
        try (PostgresClaimStore a = PostgresClaimStore.open(config("a", null));
             PostgresClaimStore b = PostgresClaimStore.open(config("b", null))) {
            final UUID ta = UUID.randomUUID();
            assertEquals(Outcome.DONE, a.hold(ta, slot(0), "op-a", "case-a", TTL, List.of(), audit("HOLD")).outcome());
            final PostgresClaimStore.Answer refused = b.hold(UUID.randomUUID(), slot(0), "op-b", "case-b", TTL,
                List.of(), audit("HOLD"));
            assertEquals(Outcome.TAKEN, refused.outcome());
            assertEquals(ta, refused.claim().token(), "the refusal names the standing claim");
            assertEquals(Outcome.DONE, a.beginConfirm(ta, audit("CONFIRM_INTENT")).outcome());
            final Message m = new Message("samu_" + UUID.randomUUID(), "CreateAppointment", "{\"x\":1}");
            final PostgresClaimStore.Answer booked = a.completeConfirm(ta, "REF-1", List.of(m), audit("CONFIRM"));
            assertEquals(Outcome.DONE, booked.outcome());
            assertEquals(State.BOOKED, booked.claim().state());
            assertEquals("REF-1", booked.claim().bookingRef());
            assertEquals(List.of(m), b.pendingMessages(10), "the message committed with the booking");
            assertTrue(b.ack(m.id()));
            assertFalse(a.ack(m.id()), "acknowledging twice is harmless");
            assertTrue(a.pendingMessages(10).isEmpty());
            assertEquals(Outcome.WRONG_STATE, a.release(ta, List.of(), audit("RELEASE")).outcome(),
                "a booking is cancelled, not released");
            assertEquals(Outcome.NOT_FOUND, a.release(UUID.randomUUID(), List.of(), null).outcome());
        }
    }

    @Test
    void anExpiredHoldByTheStoresClockGivesTheSlotToTheNextHoldAndCannotConfirm() throws SQLException {
        final MutableClock clock = new MutableClock(T0);
        try (PostgresClaimStore a = PostgresClaimStore.open(config("a", clock))) {
            final UUID first = UUID.randomUUID();
            assertTrue(a.hold(first, slot(1), "op", null, TTL, List.of(), audit("HOLD")).done());
            clock.now = T0.plus(TTL).minusSeconds(1);
            assertEquals(Outcome.TAKEN, a.hold(UUID.randomUUID(), slot(1), "op", null, TTL, List.of(), null).outcome());
            clock.now = T0.plus(TTL);
            final UUID second = UUID.randomUUID();
            assertEquals(Outcome.DONE, a.hold(second, slot(1), "op2", null, TTL, List.of(), null).outcome());
            assertEquals("EXPIRED", a.claim(first).orElseThrow().endedAs());
            assertEquals(Outcome.WRONG_STATE, a.beginConfirm(first, null).outcome(), "an expired hold never confirms");
            clock.now = T0.plus(TTL).plus(TTL);
            assertEquals(Outcome.EXPIRED, a.beginConfirm(second, null).outcome());
            final UUID third = UUID.randomUUID();
            assertTrue(a.hold(third, slot(2), "op", null, TTL, List.of(), null).done());
            clock.now = clock.now.plus(TTL);
            assertEquals(1, a.expireHolds().size());
            assertEquals(State.ENDED, a.claim(third).orElseThrow().state());
        }
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM creneau_audit WHERE event = 'EXPIRY'")) {
            rs.next();
            assertEquals(3, rs.getInt(1), "every expiry is audited");
        }
    }

    @Test
    void sixteenThreadsOnTwoStoresNeverHoldOneSlotTwice() throws Exception {
        final int slots = 40;
        final int threads = 16;
        final Map<SlotId, AtomicInteger> winners = new ConcurrentHashMap<>();
        try (PostgresClaimStore a = PostgresClaimStore.open(config("a", null).withPoolSize(8));
             PostgresClaimStore b = PostgresClaimStore.open(config("b", null).withPoolSize(8))) {
            final CyclicBarrier start = new CyclicBarrier(threads);
            final List<Thread> ts = new ArrayList<>();
            final List<Throwable> errors = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final PostgresClaimStore store = t % 2 == 0 ? a : b;
                final int seed = t;
                final Thread th = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < slots; i++) {
                            final SlotId s = slot((i + seed) % slots);
                            if (store.hold(UUID.randomUUID(), s, "op" + seed, null, TTL, List.of(), null).done()) {
                                winners.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
                            }
                        }
                    } catch (final Throwable e) {
                        synchronized (errors) {
                            errors.add(e);
                        }
                    }
                });
                ts.add(th);
                th.start();
            }
            for (final Thread th : ts) {
                th.join(TimeUnit.MINUTES.toMillis(2));
            }
            assertTrue(errors.isEmpty(), errors.toString());
        }
        assertEquals(slots, winners.size(), "every slot was held once");
        winners.forEach((s, n) -> assertEquals(1, n.get(), s + " held " + n + " times"));
    }

    @Test
    void aHoldOnOneHostReachesTheOtherHostsFeedAndACatchUpReadFollowsAReconnect() throws Exception {
        final List<PostgresClaimStore.Claim> seen = new ArrayList<>();
        final List<List<PostgresClaimStore.Claim>> resyncs = new ArrayList<>();
        final CountDownLatch changed = new CountDownLatch(1);
        try (PostgresClaimStore a = PostgresClaimStore.open(config("a", null));
             PostgresClaimStore b = PostgresClaimStore.open(config("b", null));
             ClaimFeed feed = ClaimFeed.start(b, new ClaimFeed.Listener() {
                 @Override
                 public void changed(final PostgresClaimStore.Claim claim) {
                     synchronized (seen) {
                         seen.add(claim);
                     }
                     changed.countDown();
                 }

                 @Override
                 public void resynced(final List<PostgresClaimStore.Claim> standing) {
                     synchronized (resyncs) {
                         resyncs.add(standing);
                     }
                 }
             })) {
            assertTrue(feed.awaitConnected(Duration.ofSeconds(10)));
            // A hand-made announcement the feed cannot read comes first: skipped, counted, and
            // the hold after it still arrives (it used to end the feed's thread).
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("NOTIFY " + PostgresClaimStore.CHANNEL + ", 'not|a|claim'");
            }
            final UUID t = UUID.randomUUID();
            assertTrue(a.hold(t, slot(3), "op", null, TTL, List.of(), null).done());
            assertTrue(changed.await(10, TimeUnit.SECONDS), "host b hears of host a's hold");
            assertEquals(1, feed.unreadable());
            synchronized (seen) {
                assertEquals(t, seen.get(0).token());
                assertEquals(slot(3), seen.get(0).slot());
                assertEquals(State.HELD, seen.get(0).state());
                assertEquals("a", seen.get(0).host());
            }
            // The feed's connection is cut: it reconnects and reads what stands, the hold included.
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                    + ClaimFeed.APPLICATION_NAME + "'");
            }
            assertTrue(feed.awaitConnections(2, Duration.ofSeconds(20)), "reconnected");
            synchronized (resyncs) {
                final List<PostgresClaimStore.Claim> last = resyncs.get(resyncs.size() - 1);
                assertEquals(1, last.size());
                assertEquals(t, last.get(0).token());
            }
        }
    }

    @Test
    void aStoppedDatabaseRefusesHoldsAsUnavailableAndTheSameStoreResumesWhenItIsBack() {
        try (PostgresClaimStore a = PostgresClaimStore.open(config("a", null))) {
            assertTrue(a.hold(UUID.randomUUID(), slot(4), "op", null, TTL, List.of(), null).done());
            pg.stop();
            try {
                assertEquals(Outcome.STORE_UNAVAILABLE,
                    a.hold(UUID.randomUUID(), slot(5), "op", null, TTL, List.of(), null).outcome());
                assertThrows(StoreUnavailableException.class, a::standingClaims);
                assertEquals(null, a.expireHolds());
            } finally {
                pg.start();
            }
            final UUID t = UUID.randomUUID();
            assertEquals(Outcome.DONE, a.hold(t, slot(5), "op", null, TTL, List.of(), null).outcome(),
                "no restart of the host needed");
            assertEquals(State.HELD, a.claim(t).orElseThrow().state());
        }
    }

    @Test
    void aCommitWhoseAnswerIsLostIsResolvedByReadingBackByToken() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(pg.port());
             PostgresClaimStore a = PostgresClaimStore.open(viaProxy(proxy, "a"))) {
            final UUID t = UUID.randomUUID();
            final Message m = new Message("m-" + t, "CreateAppointment", "{}");
            proxy.armCutAfterCommit();
            final PostgresClaimStore.Answer answer = a.hold(t, slot(6), "op", null, TTL, List.of(m), audit("HOLD"));
            assertEquals(1, proxy.cuts(), "the commit's answer was lost");
            assertEquals(Outcome.DONE, answer.outcome(), "read back: the hold committed");
            assertEquals(t, answer.claim().token());
            assertEquals(List.of(m), a.pendingMessages(10), "with its message, exactly once");
            // And a lost answer to a refusal is still a refusal.
            proxy.armCutAfterCommit();
            assertEquals(Outcome.TAKEN, a.hold(UUID.randomUUID(), slot(6), "op", null, TTL, List.of(), null).outcome());
        }
    }

    @Test
    void anOutcomeWhoseCommitAnswerIsLostIsReadBackByItsIdAndNeverRecordedTwice() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(pg.port());
             PostgresClaimStore a = PostgresClaimStore.open(viaProxy(proxy, "a"))) {
            final Instant since = Instant.now().minusSeconds(60);
            final byte[] committed = "lost-answer".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            proxy.armCutAfterCommit();
            assertEquals(Outcome.DONE, a.outcome(null, "case-lost", committed, List.of(), null).outcome(),
                "read back: the outcome committed, so the caller does not retry it");
            assertEquals(1, proxy.cuts(), "the commit's answer was lost");
            assertEquals(1, count(a.outcomesSince(since), committed));

            // The COMMIT never reaches the server: not recorded, said so, and a retry records it once.
            final byte[] aborted = "never-committed".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            proxy.armCutBeforeCommit();
            assertEquals(Outcome.STORE_UNAVAILABLE,
                a.outcome(null, "case-cut", aborted, List.of(), null).outcome(),
                "read back: the outcome did not commit, so a retry is safe");
            assertEquals(2, proxy.cuts());
            assertEquals(0, count(a.outcomesSince(since), aborted));
            assertEquals(Outcome.DONE, a.outcome(null, "case-cut", aborted, List.of(), null).outcome());
            assertEquals(1, count(a.outcomesSince(since), aborted), "recorded once, by the retry");
        }
    }

    @Test
    void anOutcomeRecordedWhileTheFeedWasAwayReachesItWhenItIsBack() throws Exception {
        final List<String> heard = new ArrayList<>();
        final byte[] away = ("away-" + UUID.randomUUID()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (CuttingProxy proxy = new CuttingProxy(pg.port());
             PostgresClaimStore a = PostgresClaimStore.open(config("a", null));
             PostgresClaimStore b = PostgresClaimStore.open(viaProxy(proxy, "b"));
             ClaimFeed feed = ClaimFeed.start(b, new ClaimFeed.Listener() {
                 @Override
                 public void changed(final PostgresClaimStore.Claim claim) {
                 }

                 @Override
                 public void resynced(final List<PostgresClaimStore.Claim> standing) {
                 }

                 @Override
                 public void outcome(final String host, final byte[] record) {
                     synchronized (heard) {
                         heard.add(host + ":" + new String(record, java.nio.charset.StandardCharsets.UTF_8));
                     }
                 }
             })) {
            assertTrue(feed.awaitConnected(Duration.ofSeconds(10)));
            // Host b's feed is cut off and cannot reconnect; its backend is gone once the
            // terminate returns (it waits for the exit), so no announcement can reach b now.
            proxy.pause();
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE application_name = '"
                    + ClaimFeed.APPLICATION_NAME + "'");
            }
            assertTrue(a.outcome(null, "case-away", away, List.of(), null).done());
            final String expected = "a:" + new String(away, java.nio.charset.StandardCharsets.UTF_8);
            synchronized (heard) {
                assertFalse(heard.contains(expected), "not heard while away");
            }
            proxy.resume();
            // The second connection counts once its catch-up read was delivered.
            assertTrue(feed.awaitConnections(2, Duration.ofSeconds(20)), "reconnected");
            synchronized (heard) {
                assertTrue(heard.contains(expected), "read again after the reconnect: " + heard);
            }
        }
    }

    private static long count(final List<byte[]> records, final byte[] record) {
        return records.stream().filter(r -> java.util.Arrays.equals(r, record)).count();
    }

    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(final Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
