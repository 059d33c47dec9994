package fr.creneau.booking;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import fr.creneau.Creneau;
import fr.creneau.feed.Modality;
import fr.creneau.index.SteppedClock;
import fr.creneau.slot.SlotId;

/**
 * Child JVM for {@link OutboxCrashTest}: books one slot for a case (the {@link World} of
 * {@link OutboxCrashTest#world}), then, as its message sink, either blocks forever at the first
 * delivery ({@code block}: killed between the state change and the delivery) or acknowledges it
 * ({@code ack}: killed after the acknowledgement is journaled). Prints {@code BOOKED token},
 * {@code DELIVERING messageId} and, in {@code ack} mode, {@code ACKED messageId} once the outbox is empty.
 *
 * <p>Arguments: data directory, mode.
 */
public final class OutboxCrasher {
    private OutboxCrasher() {
    }

    public static void main(final String[] args) throws Exception {
        final Path dir = Path.of(args[0]);
        final boolean ack = args[1].equals("ack");
        final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        final World w = new World(dir);
        final SlotId slot = OutboxCrashTest.world(w);
        final CountDownLatch never = new CountDownLatch(1);
        final Creneau c = w.start(World.builder(new SteppedClock(World.NOW)).journal(dir.resolve("journal"))
            .fsync(FsyncPolicy.ALWAYS).bookingGateway(new RecordingBookingGateway())
            .messageSink(m -> {
                out.println("DELIVERING " + m.id());
                if (!ack) {
                    never.await(); // the kill comes here: journaled, handed over, not acknowledged
                }
                return true;
            }, Duration.ofMillis(50)));
        final HoldResult hold = c.bookings().hold(slot, World.operator("anne"), new CaseRef("case-9", Modality.OFFICE,
            false));
        c.bookings().confirm(hold.token());
        out.println("BOOKED " + hold.token());
        if (ack) {
            while (c.bookings().outbox().pendingCount() > 0) {
                Thread.onSpinWait();
            }
            out.println("ACKED");
        }
        never.await();
    }
}
