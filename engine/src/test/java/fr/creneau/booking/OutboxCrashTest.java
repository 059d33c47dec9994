package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.booking.outbox.OutboxMessage;
import fr.creneau.index.SteppedClock;
import fr.creneau.slot.SlotId;

/**
 * A message for the LRM is never lost (issue 17): a real child JVM books (the message journaled in
 * the CONFIRM record) and is killed with SIGKILL while its sink holds the message, before any
 * acknowledgement; the next start delivers it (same id, same bytes) until acknowledged, and never
 * after. Killed after the acknowledgement, nothing is delivered again.
 */
class OutboxCrashTest {
    @TempDir
    Path dir;

    /** The child's and the parent's data: one Maiia slot (a PHONE booking). */
    static SlotId world(final World w) {
        return w.slot("Maiia", w.gp("MARTIN", "Maiia"), 60);
    }

    private Creneau restart(final BlockingQueue<OutboxMessage> delivered, final boolean acknowledge) {
        final World w = new World(dir);
        world(w);
        return w.start(World.builder(new SteppedClock(World.NOW)).journal(dir.resolve("journal"))
            .bookingGateway(new RecordingBookingGateway()).messageSink(m -> {
                delivered.add(m);
                return acknowledge;
            }, Duration.ofMillis(20)));
    }

    @Test
    void killedBetweenTheBookingAndTheAcknowledgementTheMessageIsDeliveredAfterTheRestart() throws Exception {
        final String id;
        try (ChildJvm child = ChildJvm.start(dir, OutboxCrasher.class, dir.toString(), "block")) {
            id = child.await("DELIVERING ").substring("DELIVERING ".length());
            child.process.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            child.process.waitFor(30, TimeUnit.SECONDS);
        }
        final BlockingQueue<OutboxMessage> delivered = new LinkedBlockingQueue<>();
        final String json;
        // First restart: the sink refuses (the LRM is down): delivered again and again, same message.
        try (Creneau c = restart(delivered, false)) {
            final OutboxMessage first = delivered.poll(30, TimeUnit.SECONDS);
            final OutboxMessage second = delivered.poll(30, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.id()).hasToString(id);
            assertThat(second).isEqualTo(first);
            assertThat(c.bookings().stats().messagesPending()).isEqualTo(1);
            json = first.json();
        }
        delivered.clear();
        // Second restart: acknowledged.
        try (Creneau c = restart(delivered, true)) {
            final OutboxMessage m = delivered.poll(30, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(m.id()).hasToString(id);
            assertThat(m.json()).isEqualTo(json);
            awaitEmpty(c);
        }
        delivered.clear();
        // Third: nothing left to deliver.
        try (Creneau c = restart(delivered, true)) {
            assertThat(c.bookings().pendingMessages()).isEmpty();
            assertThat(c.bookings().stats().messagesPending()).isZero();
        }
        assertThat(delivered).isEmpty();
    }

    @Test
    void killedAfterTheAcknowledgementTheMessageIsNeverDeliveredAgain() throws Exception {
        try (ChildJvm child = ChildJvm.start(dir, OutboxCrasher.class, dir.toString(), "ack")) {
            child.await("ACKED");
            child.process.destroyForcibly();
            child.process.waitFor(30, TimeUnit.SECONDS);
        }
        final BlockingQueue<OutboxMessage> delivered = new LinkedBlockingQueue<>();
        try (Creneau c = restart(delivered, true)) {
            assertThat(c.bookings().pendingMessages()).isEmpty();
            assertThat(c.bookings().bookings()).hasSize(1);
        }
        assertThat(delivered).isEmpty();
    }

    @Test
    void compactionKeepsTheUnacknowledgedMessagesAndTheOutcomesAndDropsTheAcknowledgedMessages() {
        final World w = new World(dir);
        final SlotId a = w.slot("Maiia", w.gp("MARTIN", "Maiia"), 60);
        final SlotId b = w.slot("Maiia", w.gp("PETIT", "Maiia"), 60);
        final SteppedClock clock = new SteppedClock(World.NOW);
        final List<OutboxMessage> kept;
        try (Creneau c = w.start(World.builder(clock).journal(dir.resolve("journal"))
            .bookingGateway(new RecordingBookingGateway()).bookingConfig(BookingConfig.DEFAULTS
                .withJournal(dir.resolve("journal")).withCompactAboveBytes(Journal.HEADER_BYTES)).outbox(true))) {
            final HoldToken ta = c.bookings().hold(a, World.operator("anne"), new CaseRef("ca", fr.creneau.feed.Modality.OFFICE, false)).token();
            c.bookings().confirm(ta);
            c.bookings().release(ta); // the booking is gone: only its messages remain to say so
            c.bookings().confirm(c.bookings().hold(b, World.operator("anne")).token());
            final List<OutboxMessage> all = c.bookings().pendingMessages();
            assertThat(all).hasSize(3);
            assertThat(c.bookings().outbox().acknowledge(all.get(2).id())).isTrue();
            assertThat(c.bookings().outbox().acknowledge(all.get(2).id())).isFalse(); // once
            c.bookings().outcome("ca", fr.creneau.outcome.RowRef.rpps(b.rpps()), fr.creneau.outcome.Outcome.DECLINED,
                World.operator("anne"));
            for (int i = 0; i < 40; i++) { // dead weight: holds made and released
                c.bookings().release(c.bookings().hold(a, World.operator("paul")).token());
            }
            clock.advance(Duration.ofMinutes(1));
            c.bookings().expireHolds(); // compacts: the file is over the threshold and mostly dead
            assertThat(c.bookings().stats().compactions()).isPositive();
            kept = c.bookings().pendingMessages();
            assertThat(kept).hasSize(2);
        }
        try (Creneau c = w.start(World.builder(clock).journal(dir.resolve("journal"))
            .bookingGateway(new RecordingBookingGateway()).outbox(true))) {
            assertThat(c.bookings().pendingMessages()).isEqualTo(kept);
            assertThat(c.bookings().bookings()).extracting(Booking::slot).containsExactly(b);
            assertThat(c.bookings().excludedFor("ca")).containsExactly(b.rpps()); // the outcome was carried over
        }
    }

    private static void awaitEmpty(final Creneau c) throws InterruptedException {
        assertThat(c.bookings().outbox().awaitEmpty(Duration.ofSeconds(30))).as("every message acknowledged").isTrue();
    }
}
