package fr.creneau.booking;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import fr.creneau.Creneau;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;

/**
 * Child JVM for {@link BookingCrashTest}: books random slots from several threads until it is
 * killed, printing on stdout (unbuffered, one write per line) {@code CONFIRMING token slot} before
 * each confirm, {@code BOOKED token slot} after each acknowledged booking, and
 * {@code RELEASING token} / {@code RELEASED token} around the release of some of them.
 *
 * <p>Arguments: data directory (practitioners.json, doctolib.json, maiia.json, slots.txt),
 * journal directory, fsync policy, thread count.
 */
public final class CrashingBooker {
    private CrashingBooker() {
    }

    public static void main(final String[] args) throws Exception {
        final Path data = Path.of(args[0]);
        final Creneau c = World.builder(new SteppedClock(World.NOW)).journal(Path.of(args[1]))
            .fsync(FsyncPolicy.valueOf(args[2])).bookingGateway(new RecordingBookingGateway()).build();
        c.loadDirectory(data.resolve("practitioners.json"));
        c.ingestVendorFeed(data.resolve("doctolib.json"));
        c.ingestVendorFeed(data.resolve("maiia.json"));
        final List<SlotId> slots = new ArrayList<>();
        for (final String line : Files.readAllLines(data.resolve("slots.txt"))) {
            slots.add(SlotId.parse(line));
        }
        final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        out.println("READY " + c.bookings().replayReport());
        final int threads = Integer.parseInt(args[3]);
        for (int t = 0; t < threads; t++) {
            final Operator me = World.operator("child-" + t);
            new Thread(() -> {
                final ThreadLocalRandom random = ThreadLocalRandom.current();
                while (true) {
                    final SlotId slot = slots.get(random.nextInt(slots.size()));
                    final HoldResult hold = c.bookings().hold(slot, me);
                    if (!hold.isHeld()) {
                        continue;
                    }
                    out.println("CONFIRMING " + hold.token() + " " + slot);
                    final ConfirmResult done = c.bookings().confirm(hold.token());
                    if (!done.isBooked()) {
                        continue;
                    }
                    out.println("BOOKED " + hold.token() + " " + slot);
                    if (random.nextInt(5) == 0) {
                        out.println("RELEASING " + hold.token());
                        c.bookings().release(hold.token());
                        out.println("RELEASED " + hold.token());
                    }
                }
            }, "booker-" + t).start();
        }
    }
}
