package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;

/**
 * A child JVM books in a loop and is killed with SIGKILL at random moments, round after round, on
 * one journal. After each kill the journal, replayed here, holds every booking the child
 * acknowledged (and did not start releasing), none it released, and nothing it never tried; no
 * slot is ever booked twice.
 */
@Timeout(300) // a guard against a hung child, not a timing assertion
class BookingCrashTest {
    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedBookingSurvivesAKillAndNothingElseAppears() throws Exception {
        final World w = new World(dir.resolve("data"));
        final List<SlotId> slots = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            final String vendor = p < 30 ? "Doctolib" : "Maiia";
            final long rpps = w.gp("DOC" + p, vendor);
            for (int s = 0; s < 20; s++) {
                slots.add(w.slot(vendor, rpps, 30 + 30 * s));
            }
        }
        // The child ingests the same files.
        try (Creneau loader = w.start(World.builder(new SteppedClock(World.NOW)))) {
            assertThat(loader.stats().liveSlots()).isEqualTo(slots.size());
        }
        final List<String> ids = new ArrayList<>();
        slots.forEach(s -> ids.add(s.toString()));
        Files.write(w.dir.resolve("slots.txt"), ids, StandardCharsets.UTF_8);
        final Path journal = dir.resolve("journal");

        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final Set<HoldToken> confirming = new HashSet<>();
        final Map<HoldToken, SlotId> booked = new HashMap<>();
        final Set<HoldToken> releasing = new HashSet<>();
        final Set<HoldToken> released = new HashSet<>();
        int acknowledged = 0;
        for (int round = 0; round < ROUNDS; round++) {
            final FsyncPolicy fsync = round % 2 == 0 ? FsyncPolicy.GROUP : FsyncPolicy.ALWAYS;
            final int killAfter = 1 + random.nextInt(25);
            try (ChildJvm child = ChildJvm.start(dir, CrashingBooker.class, w.dir.toString(), journal.toString(),
                fsync.name(), "4")) {
                child.await("READY");
                int seen = 0;
                String line;
                while (seen < killAfter && (line = child.readLine()) != null) {
                    if (line.startsWith("BOOKED ")) {
                        seen++;
                    }
                    record(line, confirming, booked, releasing, released);
                }
                assertThat(seen).as("child output ended early (seed %d): %s", seed, child.stderr()).isEqualTo(killAfter);
                // SIGKILL, wherever its threads are. Through the ProcessHandle: Process.destroyForcibly()
                // sends the same signal but also closes our end of its stdout, losing what it wrote last.
                child.process.toHandle().destroyForcibly();
                child.process.waitFor();
                // What it wrote before dying was acknowledged before dying.
                while ((line = child.readLine()) != null) {
                    record(line, confirming, booked, releasing, released);
                }
            }
            acknowledged = booked.size();
            final int standing = verify(w, journal, confirming, booked, releasing, released, seed);
            System.out.printf("round %d (%s): killed after %d bookings; so far %d confirming, %d booked, %d releasing,"
                + " %d released; %d standing after restart%n", round, fsync, killAfter, confirming.size(), booked.size(),
                releasing.size(), released.size(), standing);
        }
        assertThat(acknowledged).isGreaterThanOrEqualTo(ROUNDS);
    }

    private static void record(final String line, final Set<HoldToken> confirming, final Map<HoldToken, SlotId> booked,
                               final Set<HoldToken> releasing, final Set<HoldToken> released) {
        final String[] f = line.split(" ");
        switch (f[0]) {
            case "CONFIRMING":
                confirming.add(HoldToken.parse(f[1]));
                break;
            case "BOOKED":
                booked.put(HoldToken.parse(f[1]), SlotId.parse(f[2]));
                break;
            case "RELEASING":
                releasing.add(HoldToken.parse(f[1]));
                break;
            case "RELEASED":
                released.add(HoldToken.parse(f[1]));
                break;
            default:
                throw new AssertionError("unexpected child output: " + line);
        }
    }

    /** Checks the restarted state; returns the number of standing bookings. */
    private static int verify(final World w, final Path journal, final Set<HoldToken> confirming,
                               final Map<HoldToken, SlotId> booked, final Set<HoldToken> releasing,
                               final Set<HoldToken> released, final long seed) {
        final int count;
        try (Creneau c = w.start(World.builder(new SteppedClock(World.NOW)).journal(journal))) {
            final Map<HoldToken, Booking> standing = new HashMap<>();
            final Set<SlotId> slots = new HashSet<>();
            for (final Booking b : c.bookings().bookings()) {
                standing.put(b.token(), b);
                assertThat(slots.add(b.slot())).as("slot booked twice (seed %d)", seed).isTrue();
                assertThat(confirming).as("a booking nobody confirmed (seed %d)", seed).contains(b.token());
            }
            for (final Map.Entry<HoldToken, SlotId> e : booked.entrySet()) {
                if (!releasing.contains(e.getKey())) {
                    assertThat(standing).as("acknowledged booking lost (seed %d)", seed).containsKey(e.getKey());
                    assertThat(standing.get(e.getKey()).slot()).isEqualTo(e.getValue());
                    assertThat(c.bookings().hold(e.getValue(), World.operator("verifier")).refusal())
                        .isEqualTo(Refusal.ALREADY_BOOKED);
                }
            }
            for (final HoldToken r : released) {
                assertThat(standing).as("released booking back (seed %d)", seed).doesNotContainKey(r);
            }
            assertThat(c.bookings().stats().unplaced()).isZero(); // every standing claim is on an index record
            count = standing.size();
        }
        // The journal itself never books a slot that is already booked.
        final Map<HoldToken, SlotId> slotOf = new HashMap<>();
        final Map<SlotId, HoldToken> bookedNow = new HashMap<>();
        for (final BookingRecord r : Journal.readAll(journal.resolve(Journal.FILE))) {
            if (r instanceof BookingRecord.Hold) {
                slotOf.put(r.token(), ((BookingRecord.Hold) r).facts().slot());
            } else if (r instanceof BookingRecord.Confirm) {
                assertThat(bookedNow.put(slotOf.get(r.token()), r.token())).as("double booking in the journal").isNull();
            } else if (r instanceof BookingRecord.Release) {
                bookedNow.remove(slotOf.get(r.token()), r.token());
            }
        }
        return count;
    }
}
