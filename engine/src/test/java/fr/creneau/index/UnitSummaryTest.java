package fr.creneau.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.feed.Modality;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.Visibility;
import fr.creneau.slot.Minutes;

/**
 * The per-unit free-hours summary against the records themselves, through every writer and
 * booking operation: a FREE record's hour is always set (what searches rely on: a missing bit
 * hides a slot), and, where nothing was held, retired or forgotten, the words are exactly the
 * hours of the records that are not GONE (so a summary left stale, never cleared, fails too).
 */
class UnitSummaryTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private final SteppedClock clock = new SteppedClock(T0);
    private final Directory directory = TestDirectories.paris(8);
    private final SlotIndex index = new SlotIndex(directory, clock);

    private static SlotRecord slot(final int practitioner, final int source, final Instant start, final int modalities) {
        return new SlotRecord("s", practitioner, start, start.plus(Duration.ofMinutes(20)), modalities,
            Visibility.PUBLIC, source, null);
    }

    private static Instant at(final int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    /** Per unit of the current table and modality, the ring positions of its records in the given states. */
    private long[][] fromRecords(final boolean freeOnly) {
        final CellTable cells = index.cells();
        final long[][] words = new long[cells.summary().units()][UnitSummary.MODALITIES];
        final SlotCursor cursor = index.cursor();
        final int now = Minutes.floor(clock.instant());
        for (int cell = 0; cell < cells.cellCount(); cell++) {
            cursor.open(cell, now - 120, now + 3000, Integer.MIN_VALUE);
            while (cursor.next()) {
                final int u = cells.entryOf(cursor.unit());
                if (u < 0 || cells.cellOf(cursor.unit()) != cell
                    || freeOnly && cursor.state() != SlotDescriptor.STATE_FREE) {
                    continue; // a straggler left in a previous cell is not its unit's
                }
                for (int m = 0; m < UnitSummary.MODALITIES; m++) {
                    if ((cursor.modalities() & (1 << m)) != 0) {
                        words[u][m] |= 1L << (Minutes.bucket(cursor.startMinute()) % SlotIndex.RING);
                    }
                }
            }
        }
        return words;
    }

    /** Every free record's hour is set, in its unit's words, its cell's and its group's. */
    private void assertCovers() {
        final CellTable cells = index.cells();
        final UnitSummary summary = cells.summary();
        final long[][] free = fromRecords(true);
        for (int cell = 0; cell < cells.cellCount(); cell++) {
            for (int e = cells.firstEntry(cell); e < cells.endEntry(cell); e++) {
                for (int m = 0; m < UnitSummary.MODALITIES; m++) {
                    assertThat(summary.word(e, m) & free[e][m]).as("unit %d modality %d", e, m).isEqualTo(free[e][m]);
                    assertThat(summary.cellWord(cell, m) & free[e][m]).as("cell %d modality %d", cell, m)
                        .isEqualTo(free[e][m]);
                    assertThat(summary.groupWord(cells.groupOf(cell), m) & free[e][m])
                        .as("group of cell %d modality %d", cell, m).isEqualTo(free[e][m]);
                }
            }
        }
    }

    /** The words are exactly the hours of the records that are not GONE. */
    private void assertExact() {
        assertCovers();
        final UnitSummary summary = index.cells().summary();
        final long[][] live = fromRecords(false);
        for (int u = 0; u < live.length; u++) {
            for (int m = 0; m < UnitSummary.MODALITIES; m++) {
                assertThat(summary.word(u, m)).as("unit %d modality %d", u, m).isEqualTo(live[u][m]);
            }
        }
    }

    @Test
    void snapshotsSetAndClearTheHoursOfEachModality() {
        final int office = Modality.OFFICE.bit();
        final int both = Modality.OFFICE.bit() | Modality.TELECONSULTATION.bit();
        index.replace(1, 0, List.of(slot(0, 1, at(60), office), slot(0, 1, at(180), both)));
        index.replace(2, 0, List.of(slot(0, 2, at(190), Modality.HOME_VISIT.bit())));
        index.replace(1, 1, List.of(slot(1, 1, at(300), office)));
        assertExact();
        final int hour = Minutes.bucket(Minutes.floor(at(180))) % SlotIndex.RING;
        assertThat(index.cells().summary().word(index.cells().entryOf(0), 1)).isEqualTo(1L << hour);
        // Source 1 drops its 3 h slot: the hour stays for home visits (source 2), goes for the others.
        index.replace(1, 0, List.of(slot(0, 1, at(60), office)));
        assertExact();
        assertThat(index.cells().summary().word(index.cells().entryOf(0), 1)).isZero();
        assertThat(index.cells().summary().word(index.cells().entryOf(0), 2)).isEqualTo(1L << hour);
        // Everything gone.
        index.replace(1, 0, List.of());
        index.replace(2, 0, List.of());
        assertExact();
        assertThat(index.cells().summary().word(index.cells().entryOf(0), 0)).isZero();
    }

    @Test
    void aHeldSlotKeepsItsHourAndItsReleaseFindsItSetAfterARecomputation() {
        index.replace(1, 0, List.of(slot(0, 1, at(60), 1), slot(0, 1, at(240), 1)));
        final int r = index.findSlot(0, 1, Minutes.floor(at(60)));
        final int word = index.stateWord(r);
        assertThat(index.casState(r, word, SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD))).isTrue();
        // A snapshot of another source then removes something: the unit's words are recomputed while it is held.
        index.replace(2, 0, List.of(slot(0, 2, at(400), 1)));
        index.replace(2, 0, List.of());
        assertExact();
        final int held = index.stateWord(r);
        assertThat(index.retire(r, held)).isTrue();
        assertThat(SlotDescriptor.state(index.stateWord(r))).isEqualTo(SlotDescriptor.STATE_FREE);
        assertExact();
        // casState straight back to FREE (a host driving the index itself) sets it too.
        final int w = index.stateWord(r);
        index.casState(r, w, SlotDescriptor.transition(w, SlotDescriptor.STATE_BOOKED));
        index.replace(1, 0, List.of(slot(0, 1, at(60), 1)));
        assertExact();
        final int booked = index.stateWord(r);
        assertThat(index.casState(r, booked, SlotDescriptor.transition(booked, SlotDescriptor.STATE_FREE))).isTrue();
        assertExact();
    }

    @Test
    void anExpiredHourLeavesTheSummaryBeforeItsPositionIsReused() {
        index.replace(1, 0, List.of(slot(0, 1, at(10), 1), slot(0, 1, at(300), 1)));
        assertExact();
        clock.set(T0.plus(Duration.ofHours(2)));
        index.advance();
        assertExact();
        final int expired = Minutes.bucket(Minutes.floor(at(10))) % SlotIndex.RING;
        assertThat(index.cells().summary().word(index.cells().entryOf(0), 0) & (1L << expired)).isZero();
        // 52 hours later the same ring position holds another hour: set again only by its own slot.
        clock.set(T0.plus(Duration.ofHours(SlotIndex.RING)));
        index.advance();
        index.replace(1, 0, List.of(slot(0, 1, clock.instant().plus(Duration.ofMinutes(10)), 1)));
        assertExact();
    }

    @Test
    void aDirectoryChangeCarriesTheSummaryOverAndMovesAMovedPractitionersHours() {
        for (int p = 0; p < 8; p++) {
            index.replace(1, p, List.of(slot(p, 1, at(60 + 30 * p), 1), slot(p, 1, at(600 + 60 * p), 2)));
        }
        final int r = index.findSlot(3, 1, Minutes.floor(at(150)));
        final int word = index.stateWord(r);
        index.casState(r, word, SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD));
        // Practitioner 3 moves to 6's place; one more practitioner arrives with two sites, which
        // changes the dense indices of extra sites.
        final Practitioner six = directory.get(6);
        final Directory.Builder b = Directory.builder(directory);
        for (int i = 0; i < directory.capacity(); i++) {
            b.add(i == 3 ? TestDirectories.gp(3, six.lat(), six.lon()) : directory.get(i));
        }
        b.add(TestDirectories.gp(8, 48.90, 2.40));
        final Directory moved = b.build();
        index.updateDirectory(moved);
        index.replace(1, 8, List.of(slot(8, 1, at(700), 1)));
        assertCovers();
        // The held slot stayed behind (its release sends it GONE); the summary of 3 is its free one.
        final int u3 = index.cells().entryOf(3);
        assertThat(index.cells().summary().word(u3, 1))
            .isEqualTo(1L << (Minutes.bucket(Minutes.floor(at(600 + 180))) % SlotIndex.RING));
        index.retire(r, index.stateWord(r));
        assertCovers();
        final List<Integer> units = new ArrayList<>();
        for (int p = 0; p < 9; p++) {
            units.add(index.cells().unitIndex(p));
        }
        assertThat(units).doesNotContain(-1);
    }
}
