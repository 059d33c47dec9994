package fr.creneau.booking;

import java.nio.file.Path;

import fr.creneau.Creneau;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;

/**
 * Child JVM for {@link ConfirmIntentTest}: holds one slot, prints {@code HELD token}, then
 * confirms it through a {@link FileVendor} that halts the JVM as soon as it has booked; or, with
 * a fifth argument {@code cancel}, confirms it, prints {@code BOOKED token}, and releases it
 * through a vendor that halts as soon as it has cancelled.
 *
 * <p>Arguments: data directory (practitioners.json, doctolib.json), journal directory, vendor
 * file, slot id[, cancel].
 */
public final class VendorCrasher {
    private VendorCrasher() {
    }

    public static void main(final String[] args) throws Exception {
        final Path data = Path.of(args[0]);
        final boolean cancel = args.length > 4 && args[4].equals("cancel");
        final Creneau c = World.builder(new SteppedClock(World.NOW)).journal(Path.of(args[1]))
            .fsync(FsyncPolicy.ALWAYS).bookingGateway(new FileVendor(Path.of(args[2]),
                cancel ? FileVendor.Halt.AFTER_CANCELLING : FileVendor.Halt.AFTER_BOOKING)).build();
        c.loadDirectory(data.resolve("practitioners.json"));
        c.ingestVendorFeed(data.resolve("doctolib.json"));
        final HoldResult hold = c.bookings().hold(SlotId.parse(args[3]), World.operator("child"));
        System.out.println("HELD " + hold.token());
        System.out.flush();
        c.bookings().confirm(hold.token());
        if (cancel) {
            System.out.println("BOOKED " + hold.token());
            System.out.flush();
            c.bookings().release(hold.token());
        }
        System.out.println("NOT HALTED");
    }
}
