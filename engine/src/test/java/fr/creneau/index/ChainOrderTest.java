package fr.creneau.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.Territory;
import fr.creneau.feed.Modality;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.Visibility;
import fr.creneau.slot.Minutes;

/**
 * The order of a (bucket, cell) chain (SlotIndex, "Chain order"): a search stops reading a chain
 * once each of its candidates has a fitting record, which is only right if a unit's records come
 * in ascending start order, whatever the writer did before (other sources, removals, a directory
 * change that renumbered the entries); and it reads little only if the units come in class order
 * (profession, participants first), whichever vendor sent them.
 */
class ChainOrderTest {
    private static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");
    /** 12:00 in Paris: one bucket, 11:00-12:00 UTC. */
    private static final Instant NOON = Instant.parse("2026-11-23T11:00:00Z");
    private static final double LAT = 48.8566;
    private static final double LON = 2.3522;

    private static Practitioner at(final int n, final Profession profession, final Participation participation) {
        final long rpps = Long.parseLong(Rpps.withCheckDigit(String.format("1%09d", n)));
        return new Practitioner(rpps, "Dr " + n, profession, LAT, LON, "01 00 00 00 " + n % 100, "doctolib",
            false, participation, false, null, Territory.of(LAT, LON));
    }

    private static SlotRecord slot(final int practitioner, final int source, final int minuteOfHour) {
        final Instant start = NOON.plus(Duration.ofMinutes(minuteOfHour));
        return new SlotRecord("s", practitioner, start, start.plus(Duration.ofMinutes(10)), Modality.OFFICE.bit(),
            Visibility.PUBLIC, source, null);
    }

    /** The chain of the noon bucket of {@code cell}, in chain order: {unit, start, record}. */
    private static List<int[]> chain(final SlotIndex index, final int cell) {
        return chain(index.cursor(), cell);
    }

    /** The same with {@code cursor}, begun or not (a begun one still counts records removed since free). */
    private static List<int[]> chain(final SlotCursor cursor, final int cell) {
        final List<int[]> out = new ArrayList<>();
        final int from = Minutes.floor(NOON);
        cursor.open(cell, from, from + 60, Minutes.floor(NOW));
        while (cursor.next()) {
            out.add(new int[] {cursor.unit(), cursor.startMinute(), cursor.record()});
        }
        return out;
    }

    private static void assertUnitsInStartOrder(final List<int[]> chain, final String as) {
        final Map<Integer, Integer> last = new HashMap<>();
        for (final int[] r : chain) {
            final Integer before = last.put(r[0], r[1]);
            assertThat(before == null || before <= r[1]).as("%s: unit %d starts at %d after %d", as, r[0], r[1], before)
                .isTrue();
        }
    }

    @Test
    void aLoadInLocalityOrderLeavesEachChainInClassOrderAndEachUnitInStartOrder() {
        // Nurses before GPs and non-participants before participants in the directory: the chain
        // class order (profession, then participants first) is not the directory's.
        final Directory directory = Directory.builder()
            .add(at(0, Profession.NURSE, Participation.INDIVIDUAL))
            .add(at(1, Profession.GP, Participation.NONE))
            .add(at(2, Profession.GP, Participation.INDIVIDUAL))
            .add(at(3, Profession.MIDWIFE, Participation.NONE))
            .add(at(4, Profession.GP, Participation.CPTS))
            .add(at(5, Profession.GP, Participation.INDIVIDUAL))
            .build();
        final SlotIndex index = new SlotIndex(directory, Clock.fixed(NOW, ZoneOffset.UTC));
        final CellTable cells = index.cells();
        final Integer[] order = {0, 1, 2, 3, 4, 5};
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(index::localityKey));
        // Two vendors' snapshots, one after the other as the Ingestor applies them: some
        // practitioners in one, some in the other, some in both.
        int records = 0;
        for (final int source : new int[] {1, 2}) {
            for (final int p : order) {
                if (source == 1 ? p % 3 != 0 : p % 3 != 1) { // the nurse and the midwife in the second alone
                    index.replace(source, p, List.of(slot(p, source, 5 + p), slot(p, source, 20 + p), slot(p, source, 40 + p)));
                    records += 3;
                }
            }
        }
        final List<int[]> chain = chain(index, cells.cellOf(0));
        assertThat(chain).hasSize(records);
        assertUnitsInStartOrder(chain, "after the load");
        for (int i = 1; i < chain.size(); i++) {
            assertThat(cells.chainClass(chain.get(i)[0])).as("class of record %d", i)
                .isGreaterThanOrEqualTo(cells.chainClass(chain.get(i - 1)[0]));
        }
        // The GP participants lead the chain: a GP search that has its rows from them reads no further.
        for (int i = 0; i < 15; i++) { // 2 and 5 from both vendors, 4 from the first
            assertThat(directory.get(chain.get(i)[0]).profession()).isEqualTo(Profession.GP);
            assertThat(directory.get(chain.get(i)[0]).participation()).isNotEqualTo(Participation.NONE);
        }
        assertThat(directory.get(chain.get(records - 1)[0]).profession()).isEqualTo(Profession.MIDWIFE);
    }

    @Test
    void aUnitsRecordsStayInStartOrderAfterADirectoryChangeRenumbersTheEntries() {
        final Directory before = Directory.builder()
            .add(at(0, Profession.GP, Participation.NONE))
            .add(at(1, Profession.GP, Participation.INDIVIDUAL))
            .build();
        final SlotIndex index = new SlotIndex(before, Clock.fixed(NOW, ZoneOffset.UTC));
        index.replace(1, 1, List.of(slot(1, 1, 5)));
        index.replace(1, 0, List.of(slot(0, 1, 10), slot(0, 1, 20)));
        // Practitioner 0 joins the SAS: its entry now comes before practitioner 1's, while its
        // records sit after practitioner 1's in the chain.
        index.updateDirectory(Directory.builder()
            .add(at(0, Profession.GP, Participation.INDIVIDUAL))
            .add(at(1, Profession.GP, Participation.INDIVIDUAL))
            .build());
        assertThat(index.cells().entryOf(0)).isLessThan(index.cells().entryOf(1));
        // A later slot: by entry order alone it would go first in the chain, before the unit's earlier ones.
        index.replace(1, 0, List.of(slot(0, 1, 10), slot(0, 1, 20), slot(0, 1, 50)));
        // An earlier one, from another source.
        index.replace(2, 0, List.of(slot(0, 2, 1)));
        final List<int[]> chain = chain(index, index.cells().cellOf(0));
        assertThat(chain).hasSize(5);
        assertUnitsInStartOrder(chain, "after the change");
        final List<Integer> starts = new ArrayList<>();
        for (final int[] r : chain) {
            if (r[0] == 0) {
                starts.add(r[1] - Minutes.floor(NOON));
            }
        }
        assertThat(starts).containsExactly(1, 10, 20, 50);
    }

    @Test
    void randomSnapshotsFromSeveralSourcesKeepEveryUnitInStartOrder() {
        final Random random = new Random(7);
        final Directory.Builder b = Directory.builder();
        final Profession[] professions = Profession.values();
        final Participation[] participations = {Participation.NONE, Participation.INDIVIDUAL};
        for (int i = 0; i < 12; i++) {
            b.add(at(i, professions[random.nextInt(professions.length)], participations[random.nextInt(2)]));
        }
        final SlotIndex index = new SlotIndex(b.build(), Clock.fixed(NOW, ZoneOffset.UTC));
        for (int round = 0; round < 300; round++) {
            if (round % 50 == 49) { // participations and professions drawn again: entries renumbered
                final Directory.Builder again = Directory.builder();
                for (int i = 0; i < 12; i++) {
                    again.add(at(i, professions[random.nextInt(professions.length)], participations[random.nextInt(2)]));
                }
                index.updateDirectory(again.build());
            }
            final int p = random.nextInt(12);
            final int source = 1 + random.nextInt(3);
            final List<SlotRecord> slots = new ArrayList<>();
            for (int minute = random.nextInt(8); minute < 60; minute += 1 + random.nextInt(15)) {
                if (random.nextBoolean()) {
                    slots.add(slot(p, source, minute));
                }
            }
            // A reader that began before the snapshot sees the records it removes as free, beside
            // the new ones: the order must hold among those too.
            final SlotCursor old = index.cursor();
            old.begin();
            try {
                index.replace(source, p, slots);
                assertUnitsInStartOrder(chain(old, index.cells().cellOf(0)), "round " + round + ", a reader begun before");
            } finally {
                old.end();
            }
            assertUnitsInStartOrder(chain(index, index.cells().cellOf(0)), "round " + round);
        }
    }
}
