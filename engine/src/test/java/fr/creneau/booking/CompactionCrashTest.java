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
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;

/**
 * A real child JVM ({@link CompactionCrasher}) halted at every point of a compaction: its file
 * created, half written, written, forced; renamed over the journal before and after the
 * directory's force; and an append to the new file written but not forced. After each halt a new
 * {@link BookingService} opens the journal over real files and must hold every acknowledged
 * booking (token and vendor reference), hold and release, the confirmation in doubt still in doubt,
 * nothing booked that the child never tried, and no compaction file left; a second sweep and a
 * second restart must agree.
 */
@Timeout(180) // a guard against a hung child, not a timing assertion
class CompactionCrashTest {
    @TempDir
    Path dir;

    @Test
    void aKillAtAnyPointOfACompactionLosesNothingAcknowledged() throws Exception {
        final World w = new World(dir.resolve("data"));
        final List<String> roles = new ArrayList<>();
        final long dead = w.gp("MOREAU", "Doctolib");
        for (int i = 0; i < 10; i++) {
            roles.add("X" + i + " " + w.slot("Doctolib", dead, 60 + 20 * i));
        }
        roles.add("A " + w.slot("Doctolib", w.gp("ARNAUD", "Doctolib"), 60));
        roles.add("B " + w.slot("Maiia", w.gp("BLANC", "Maiia"), 60));
        roles.add("D " + w.slot("Maiia", w.gp("DUVAL", "Maiia"), 60));
        roles.add("E " + w.slot("Doctolib", w.gp("EVRARD", "Doctolib"), 60));
        try (Creneau written = w.start(World.builder(new SteppedClock(World.NOW)))) {
            assertThat(written.stats().liveSlots()).isEqualTo(roles.size());
        }
        Files.write(w.dir.resolve("slots.txt"), roles, StandardCharsets.UTF_8);
        final Map<String, SlotId> byRole = CompactionCrasher.roles(w.dir);

        int i = 0;
        for (final String point : CompactionCrasher.POINTS) {
            final FsyncPolicy fsync = i++ % 2 == 0 ? FsyncPolicy.GROUP : FsyncPolicy.ALWAYS;
            final Path journal = dir.resolve("journal-" + point);
            Files.createDirectories(journal.getParent());
            final Outcome seen = new Outcome();
            try (ChildJvm child = ChildJvm.start(dir, CompactionCrasher.class, w.dir.toString(), journal.toString(),
                fsync.name(), point)) {
                String line;
                while ((line = child.readLine()) != null) {
                    seen.read(line);
                }
                assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(seen.halted).as("%s: the child reached its point (%s)", point, child.stderr())
                    .isEqualTo(point);
                assertThat(child.process.exitValue()).isEqualTo(CompactionCrasher.HALTED);
            }
            verify(point, w, journal, byRole, seen, true);
            verify(point, w, journal, byRole, seen, false); // after a sweep that compacted (or had nothing to do)
        }
    }

    /** What the child printed. */
    private static final class Outcome {
        final Map<HoldToken, SlotId> held = new HashMap<>();
        final Map<HoldToken, String> booked = new HashMap<>();
        final Set<HoldToken> released = new HashSet<>();
        final Set<HoldToken> inDoubt = new HashSet<>();
        final Set<HoldToken> trying = new HashSet<>();
        String halted;

        void read(final String line) {
            final String[] f = line.split(" ");
            switch (f[0]) {
                case "HELD" -> held.put(HoldToken.parse(f[1]), SlotId.parse(f[2]));
                case "BOOKED" -> booked.put(HoldToken.parse(f[1]), f[3].equals("null") ? null : f[3]);
                case "RELEASED" -> released.add(HoldToken.parse(f[1]));
                case "INDOUBT" -> inDoubt.add(HoldToken.parse(f[1]));
                case "TRYING" -> trying.add(HoldToken.parse(f[1]));
                case "HALT" -> halted = f[1];
                case "NOT" -> halted = null;
                default -> throw new AssertionError("unexpected child output: " + line);
            }
        }
    }

    private static void verify(final String point, final World w, final Path journal, final Map<String, SlotId> roles,
                               final Outcome seen, final boolean first) {
        final SteppedClock clock = new SteppedClock(World.NOW);
        final BookingConfig config = BookingConfig.DEFAULTS.withJournal(journal).withCompactAboveBytes(Journal.HEADER_BYTES);
        // A vendor still silent: the sweep's retry of E leaves it in doubt, as it must stay.
        final BookingGateway silent = new BookingGateway() {
            @Override
            public Response book(final Request request) throws java.io.IOException {
                throw new java.io.IOException("vendor timeout");
            }

            @Override
            public Response cancel(final Request request, final String reference) throws java.io.IOException {
                throw new java.io.IOException("vendor timeout");
            }
        };
        try (BookingService s = BookingService.open(CompactionCrasher.index(w.dir, clock),
            fr.creneau.directory.VendorRegistry.defaults(), clock, config, silent)) {
            final String at = point + (first ? "" : ", after another sweep");
            assertThat(journal.resolve(Journal.FILE + Journal.COMPACT_SUFFIX)).as(at).doesNotExist();
            for (final Map.Entry<HoldToken, SlotId> h : seen.held.entrySet()) {
                final HoldToken token = h.getKey();
                final SlotId slot = h.getValue();
                final Booking booking = s.booking(slot);
                if (seen.released.contains(token)) {
                    assertThat(booking).as("%s: released %s booked", at, slot).isNull();
                    assertThat(s.tokenHeldBy(slot, "anne")).as("%s: released %s held", at, slot).isNull();
                } else if (seen.booked.containsKey(token)) {
                    assertThat(booking).as("%s: acknowledged booking of %s lost", at, slot).isNotNull();
                    assertThat(booking.token()).isEqualTo(token);
                    assertThat(booking.vendorReference()).isEqualTo(seen.booked.get(token));
                } else if (seen.trying.contains(token)) {
                    // Written, never acknowledged: either outcome, but only this one.
                    final HoldToken holder = booking != null ? booking.token() : s.tokenHeldBy(slot, "bruno");
                    assertThat(holder).as("%s: %s neither held nor booked by the confirmation tried", at, slot)
                        .isEqualTo(token);
                } else {
                    assertThat(booking).as("%s: %s booked without a confirmation", at, slot).isNull();
                    assertThat(s.tokenHeldBy(slot, slot.equals(roles.get("D")) ? "bruno" : "anne"))
                        .as("%s: acknowledged hold of %s lost", at, slot).isEqualTo(token);
                }
            }
            assertThat(s.replayReport().confirmationsInDoubt()).as("%s: E's confirmation kept in doubt", at)
                .isEqualTo(seen.inDoubt.size());
            assertThat(s.hold(roles.get("X0"), World.operator("claire")).isHeld()).as("%s: a released slot is free", at)
                .isTrue();
            assertThat(s.stats().unplaced()).isZero();
            if (first) {
                s.expireHolds(); // completes the compaction the halt cut short (the file is still half dead)
            }
        }
    }
}
