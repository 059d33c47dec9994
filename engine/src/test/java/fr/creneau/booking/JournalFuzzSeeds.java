package fr.creneau.booking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import fr.creneau.Creneau;
import fr.creneau.feed.Fixtures;
import fr.creneau.slot.SlotId;

/**
 * Writes the seed journals of {@link JournalScanFuzzTest}: real files written by the engine
 * through a hold, a PHONE confirmation, an ONLINE confirmation (CONFIRMING, CONFIRM), a
 * cancellation (CANCELLING, RELEASE), a release and an expiry of the fixtures' slots. Run once
 * when the record format changes, then commit what it wrote:
 * {@code mvn -pl engine test -Dtest=JournalFuzzSeeds -Dfuzz.seeds=engine/src/test/resources/fr/creneau/booking/JournalScanFuzzTestInputs/journal}
 * (the path is resolved from {@code engine/}, so give it absolute or relative to it).
 */
class JournalFuzzSeeds {
    @Test
    @EnabledIfSystemProperty(named = "fuzz.seeds", matches = ".+")
    void write(@org.junit.jupiter.api.io.TempDir final Path tmp) throws IOException {
        final Path out = Path.of(System.getProperty("fuzz.seeds"));
        Files.createDirectories(out);
        final Path dir = tmp.resolve("journal");
        final Operator alice = new Operator("alice", "Martin", "Alice", "alice@example.org");
        final Operator bob = new Operator("bob", "Durand", "Bob", "bob@example.org");
        final Clock clock = Clock.fixed(Fixtures.NOW, ZoneOffset.UTC);
        try (Creneau c = Creneau.builder().clock(clock).expiryTimer(false).journal(dir).fsync(FsyncPolicy.ALWAYS)
            .bookingGateway(new RecordingBookingGateway(tmp.resolve("vendor.jsonl"))).build()) {
            c.loadDirectory(Fixtures.path("practitioners.json"));
            c.ingestVendorFeed(Fixtures.path("feeds/doctolib.json"));
            c.ingestVendorFeed(Fixtures.path("feeds/maiia.json"));
            c.ingestManual(Fixtures.path("manual/sas-agenda.json"));
            final BookingService b = c.bookings();
            // PHONE: hold then confirm (manual slot), and a hold released.
            final HoldToken phone = b.hold(SlotId.parse("manual.10000000025.20261123T1600Z"), alice).token();
            b.confirm(phone);
            copy(dir, out, "seed-hold-confirm-phone");
            final HoldToken released = b.hold(SlotId.parse("maiia.10000000033.20261123T1300Z"), bob).token();
            b.release(released);
            copy(dir, out, "seed-hold-release");
            // ONLINE: CONFIRMING then CONFIRM, then a cancellation (CANCELLING, RELEASE).
            final HoldToken online = b.hold(SlotId.parse("doctolib.10000000017.20261123T1300Z"), alice).token();
            b.confirm(online);
            copy(dir, out, "seed-online-confirm");
            b.release(online);
            copy(dir, out, "seed-online-cancel");
            // A hold left standing (expires later), and one that expires.
            b.hold(SlotId.parse("maiia.10000000033.20261124T0800Z"), bob, Duration.ofMinutes(5));
            copy(dir, out, "seed-standing-hold");
        }
    }

    /** Mode bytes 0 (as written, ALWAYS), 1 (re-framed, ALWAYS) and 5 (re-framed, NONE), then the journal's bytes. */
    private static void copy(final Path dir, final Path out, final String name) throws IOException {
        final byte[] file = Files.readAllBytes(dir.resolve(Journal.FILE));
        for (final int mode : new int[] {0, 1, 5}) {
            final byte[] seed = new byte[file.length + 1];
            seed[0] = (byte) mode;
            System.arraycopy(file, 0, seed, 1, file.length);
            Files.write(out.resolve(name + "-mode" + mode), seed);
        }
    }
}
