package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;

/**
 * An online confirmation journals its intent before it calls the vendor, so that a booking the
 * vendor made is never unknown to Créneau and the LRM: after a crash (a real child JVM halted
 * right after the vendor booked) or a vendor timeout, the hold is not expired but driven to the
 * vendor's outcome with the same idempotency key.
 */
@Timeout(120) // a guard against a hung child, not a timing assertion
class ConfirmIntentTest {
    @TempDir
    Path dir;

    @Test
    void aCrashBetweenTheVendorsBookingAndTheJournalIsFinishedAtRestartWithTheSameKey() throws Exception {
        final World w = new World(dir.resolve("data"));
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        w.start(World.builder(new SteppedClock(World.NOW))).close(); // writes the files the child reads
        final Path journal = dir.resolve("journal");
        final Path vendorFile = dir.resolve("vendor.txt");
        final HoldToken token;
        try (ChildJvm child = ChildJvm.start(dir, VendorCrasher.class, w.dir.toString(), journal.toString(),
            vendorFile.toString(), slot.toString())) {
            token = HoldToken.parse(child.await("HELD ").split(" ")[1]);
            assertThat(child.process.waitFor()).as(child.stderr()).isEqualTo(FileVendor.HALTED);
        }
        assertThat(FileVendor.bookings(vendorFile)).containsOnlyKeys(token); // booked at the vendor, nowhere else

        // Down for ten minutes: the hold's five minutes ran out meanwhile.
        final SteppedClock clock = new SteppedClock(World.NOW.plus(Duration.ofMinutes(10)));
        final List<AppointmentMessage> told = new CopyOnWriteArrayList<>();
        final FileVendor vendor = new FileVendor(vendorFile, false);
        try (Creneau c = w.start(World.builder(clock).journal(journal).bookingGateway(vendor)
            .appointmentListener(told::add))) {
            assertThat(c.bookings().replayReport().holdsExpiredAtStart()).isZero();
            assertThat(c.bookings().replayReport().confirmationsInDoubt()).isEqualTo(1);
            final Booking b = c.bookings().booking(slot);
            assertThat(b).as("the booking the vendor made").isNotNull();
            assertThat(b.token()).isEqualTo(token);
            assertThat(b.vendorReference()).isEqualTo(FileVendor.bookings(vendorFile).get(token));
            assertThat(told).singleElement().satisfies(m -> assertThat(m.toJson().toString()).contains(token.toString()));
            assertThat(c.bookings().hold(slot, World.operator("other")).refusal()).isEqualTo(Refusal.ALREADY_BOOKED);
        }
        assertThat(FileVendor.bookings(vendorFile)).hasSize(1); // the same key again: no second booking
        try (Creneau c = w.start(World.builder(clock).journal(journal).bookingGateway(vendor))) {
            assertThat(c.bookings().replayReport().confirmationsInDoubt()).isZero();
            assertThat(c.bookings().booking(slot).token()).isEqualTo(token);
        }
        assertThat(vendor.calls()).isEqualTo(1);
    }

    @Test
    void aCrashBetweenTheVendorsCancellationAndTheJournalIsFinishedAtRestart() throws Exception {
        final World w = new World(dir.resolve("data"));
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        w.start(World.builder(new SteppedClock(World.NOW))).close();
        final Path journal = dir.resolve("journal");
        final Path vendorFile = dir.resolve("vendor.txt");
        final HoldToken token;
        try (ChildJvm child = ChildJvm.start(dir, VendorCrasher.class, w.dir.toString(), journal.toString(),
            vendorFile.toString(), slot.toString(), "cancel")) {
            token = HoldToken.parse(child.await("BOOKED ").split(" ")[1]);
            assertThat(child.process.waitFor()).as(child.stderr()).isEqualTo(FileVendor.HALTED);
        }
        final String reference = FileVendor.bookings(vendorFile).get(token);
        assertThat(FileVendor.cancellations(vendorFile)).containsExactly(reference); // cancelled at the vendor

        final List<AppointmentMessage> told = new CopyOnWriteArrayList<>();
        final Probe probe = new Probe();
        try (Creneau c = w.start(World.builder(new SteppedClock(World.NOW)).journal(journal)
            .bookingGateway(new FileVendor(vendorFile, false)).appointmentListener(told::add))) {
            assertThat(c.bookings().booking(slot)).as("a booking the vendor cancelled").isNull();
            assertThat(c.bookings().release(token).released()).isTrue(); // repeated: already released
            assertThat(told).singleElement().satisfies(m -> assertThat(m.toJson().toString()).contains("cancelled"));
            assertThat(probe.proposes(c, slot)).isTrue();
        }
        assertThat(FileVendor.cancellations(vendorFile)).hasSize(1);
    }

    @Test
    void aVendorTimeoutLeavesTheHoldInDoubtNotExpiredUntilTheVendorAnswers() throws Exception {
        final World w = new World(dir.resolve("data"));
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final SteppedClock clock = new SteppedClock(World.NOW);
        final FileVendor vendor = new FileVendor(dir.resolve("vendor.txt"), false);
        final List<AppointmentMessage> told = new CopyOnWriteArrayList<>();
        try (Creneau c = w.start(World.builder(clock).journal(dir.resolve("journal")).bookingGateway(vendor)
            .appointmentListener(told::add))) {
            final HoldToken token = c.bookings().hold(slot, World.operator("anne")).token();
            vendor.down(true);
            assertThat(c.bookings().confirm(token).refusal()).isEqualTo(Refusal.VENDOR_UNAVAILABLE);
            clock.advance(Duration.ofMinutes(6));
            assertThat(c.bookings().expireHolds()).isZero(); // the vendor may have booked it
            assertThat(c.bookings().hold(slot, World.operator("bruno")).refusal()).isEqualTo(Refusal.ALREADY_HELD);
            vendor.down(false);
            c.bookings().expireHolds(); // the sweep asks the vendor again, same key
            assertThat(c.bookings().booking(slot)).isNotNull()
                .satisfies(b -> assertThat(b.token()).isEqualTo(token));
            assertThat(told).hasSize(1);
        }
    }

    @Test
    void aCancellationTimeoutIsAskedAgainBySweepUntilTheVendorAnswers() throws Exception {
        final World w = new World(dir.resolve("data"));
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final FileVendor vendor = new FileVendor(dir.resolve("vendor.txt"), false);
        final List<AppointmentMessage> told = new CopyOnWriteArrayList<>();
        try (Creneau c = w.start(World.builder(new SteppedClock(World.NOW)).journal(dir.resolve("journal"))
            .bookingGateway(vendor).appointmentListener(told::add))) {
            final HoldToken token = c.bookings().hold(slot, World.operator("anne")).token();
            assertThat(c.bookings().confirm(token).isBooked()).isTrue();
            vendor.down(true);
            assertThat(c.bookings().release(token).refusal()).isEqualTo(Refusal.VENDOR_UNAVAILABLE);
            assertThat(c.bookings().booking(slot)).isNotNull(); // stands until the vendor says
            vendor.down(false);
            c.bookings().expireHolds();
            assertThat(c.bookings().booking(slot)).isNull();
            assertThat(told).hasSize(2); // created, then cancelled
            assertThat(FileVendor.cancellations(dir.resolve("vendor.txt"))).hasSize(1);
        }
    }
}
