package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.booking.outbox.OutboxMessage;
import fr.creneau.index.SteppedClock;
import fr.creneau.slot.SlotId;

/**
 * The delivery loop over the journal's outbox, on its real thread: a message the sink keeps
 * refusing is retried with growing back-off and does not hold up the others, which are delivered
 * and acknowledged (ACK records: gone after a restart) while it stays pending.
 */
class OutboxDeliveryTest {
    @TempDir
    Path dir;

    @Test
    void aRefusedMessageIsRetriedWithBackOffAndDoesNotHoldUpTheOthers() throws Exception {
        final World w = new World(dir);
        final SlotId first = w.slot("Maiia", w.gp("MARTIN", "Maiia"), 60);
        final SlotId second = w.slot("Maiia", w.gp("PETIT", "Maiia"), 60);
        final Map<UUID, List<Long>> attempts = new ConcurrentHashMap<>();
        final List<UUID> acked = new CopyOnWriteArrayList<>();
        final CountDownLatch secondTaken = new CountDownLatch(1);
        final CountDownLatch fourTries = new CountDownLatch(4);
        final UUID[] refused = new UUID[1];
        final SteppedClock clock = new SteppedClock(World.NOW);
        try (Creneau c = w.start(World.builder(clock).journal(dir.resolve("journal"))
            .bookingGateway(new RecordingBookingGateway()).messageSink(m -> {
                attempts.computeIfAbsent(m.id(), k -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
                synchronized (refused) {
                    if (refused[0] == null) {
                        refused[0] = m.id(); // the LRM keeps refusing the first message it sees
                    }
                }
                if (m.id().equals(refused[0])) {
                    fourTries.countDown();
                    return false;
                }
                acked.add(m.id());
                secondTaken.countDown();
                return true;
            }, Duration.ofMillis(10)))) {
            c.bookings().confirm(c.bookings().hold(first, World.operator("anne")).token());
            c.bookings().confirm(c.bookings().hold(second, World.operator("anne")).token());
            assertThat(secondTaken.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(fourTries.await(30, TimeUnit.SECONDS)).isTrue();
            final List<Long> tries = attempts.get(refused[0]);
            // Doubling back-off from 10 ms: each gap at least the one before it (within the loop's own jitter).
            for (int i = 2; i < 4; i++) {
                assertThat(tries.get(i) - tries.get(i - 1)).isGreaterThanOrEqualTo(
                    TimeUnit.MILLISECONDS.toNanos(10L << (i - 1)));
            }
            assertThat(c.bookings().pendingMessages()).extracting(OutboxMessage::id).containsExactly(refused[0]);
            assertThat(c.bookings().outbox().awaitEmpty(Duration.ofMillis(50)))
                .as("a message the LRM keeps refusing keeps the outbox from emptying").isFalse();
        }
        try (Creneau c = w.start(World.builder(clock).journal(dir.resolve("journal"))
            .bookingGateway(new RecordingBookingGateway()).outbox(true))) {
            assertThat(c.bookings().pendingMessages()).extracting(OutboxMessage::id).containsExactly(refused[0]);
            assertThat(acked).hasSize(1).doesNotContain(refused[0]);
        }
    }
}
