package fr.creneau.booking;

import java.nio.file.Path;

import fr.creneau.Creneau;
import fr.creneau.index.SlotId;
import fr.creneau.index.SteppedClock;

/**
 * Child JVM for {@link ConfirmIntentTest}: holds one slot, prints {@code HELD token}, then
 * confirms it through a {@link FileVendor} that halts the JVM as soon as it has booked.
 *
 * <p>Arguments: data directory (practitioners.json, doctolib.json), journal directory, vendor
 * file, slot id.
 */
public final class VendorCrasher {
    private VendorCrasher() {
    }

    public static void main(final String[] args) throws Exception {
        final Path data = Path.of(args[0]);
        final Creneau c = World.builder(new SteppedClock(World.NOW)).journal(Path.of(args[1]))
            .fsync(FsyncPolicy.ALWAYS).bookingGateway(new FileVendor(Path.of(args[2]), true)).build();
        c.loadDirectory(data.resolve("practitioners.json"));
        c.ingestVendorFeed(data.resolve("doctolib.json"));
        final HoldResult hold = c.bookings().hold(SlotId.parse(args[3]), World.operator("child"));
        System.out.println("HELD " + hold.token());
        System.out.flush();
        c.bookings().confirm(hold.token());
        System.out.println("NOT HALTED");
    }
}
