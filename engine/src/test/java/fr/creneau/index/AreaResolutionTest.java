package fr.creneau.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import fr.creneau.directory.Directory;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.Modality;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.Visibility;
import fr.creneau.rank.RankingConfig;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.SearchResults;
import fr.creneau.rank.Searcher;
import fr.creneau.slot.Minutes;

/**
 * The resolution an area's sites are keyed at ({@link CellTable#LEAF_UNITS}) across directory
 * changes: an area that fills past the threshold is re-keyed finer and its practitioners' slots
 * move with them (free ones found in the new cells by searches, a held one where its token
 * points); a few practitioners more or less change nothing (no slot moves); an area that empties
 * is keyed coarser again.
 */
class AreaResolutionTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Instant A = T0.plus(Duration.ofHours(1));
    private static final Instant B = T0.plus(Duration.ofHours(2));
    private static final double LAT = 48.8566;
    private static final double LON = 2.3522;
    /** The first ten practitioners, the only ones with slots. */
    private static final int WITH_SLOTS = 10;

    /** {@code n} GPs in a block of ~300 m around central Paris; practitioner {@code i} always at the same place. */
    private static Directory block(final int n) {
        final Directory.Builder b = Directory.builder();
        final SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            b.add(TestDirectories.gp(i, LAT + random.nextDouble() * 0.0027, LON + random.nextDouble() * 0.004));
        }
        return b.build();
    }

    private static SlotRecord slot(final Instant start) {
        return new SlotRecord("s", 0, start, start.plus(Duration.ofMinutes(20)), Modality.OFFICE.bit(),
            Visibility.PUBLIC, 1, null);
    }

    private static long area() {
        return H3.CORE.latLngToCell(LAT + 0.001, LON + 0.002, CellTable.RESOLUTION);
    }

    /** The practitioners of the rows a search from the block's centre returns. */
    private static TreeSet<Integer> rows(final SlotIndex index) {
        final Searcher searcher = new Searcher(index, VendorRegistry.defaults(), RankingConfig.DEFAULTS);
        final SearchResults r = new SearchResults();
        searcher.search(new RegulatorQuery().patient(LAT + 0.001, LON + 0.002).now(T0).windowMinutes(48 * 60)
            .modality(Modality.OFFICE).limit(20), r);
        final TreeSet<Integer> seen = new TreeSet<>();
        for (int i = 0; i < r.size(); i++) {
            seen.add(index.cells().directory().indexOf(r.rpps(i)));
        }
        return seen;
    }

    private static TreeSet<Integer> firstTen() {
        final TreeSet<Integer> all = new TreeSet<>();
        for (int p = 0; p < WITH_SLOTS; p++) {
            all.add(p);
        }
        return all;
    }

    @Test
    void anAreaThatFillsIsKeyedFinerAndItsSlotsMoveWithThePractitioners() {
        final SlotIndex index = new SlotIndex(block(WITH_SLOTS), new SteppedClock(T0));
        assertThat(index.cells().resolutionOfArea(area())).isEqualTo(CellTable.RESOLUTION);
        for (int p = 0; p < WITH_SLOTS; p++) {
            index.replace(1, p, List.of(slot(A), slot(B)));
        }
        final int held = index.findSlot(0, 1, Minutes.floor(A));
        final int word = index.stateWord(held);
        assertThat(index.casState(held, word, SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD))).isTrue();
        assertThat(rows(index)).isEqualTo(firstTen());

        // Nine times the threshold: past the factor of eight the area keeps its resolution within.
        index.updateDirectory(block(9 * CellTable.LEAF_UNITS));
        final CellTable cells = index.cells();
        final int finer = cells.resolutionOfArea(area());
        assertThat(finer).isEqualTo(CellTable.leafResolution(9 * CellTable.LEAF_UNITS)).isGreaterThan(CellTable.RESOLUTION);
        for (int p = 0; p < WITH_SLOTS; p++) {
            assertThat(H3.CORE.getResolution(cells.cell(cells.cellOf(p)))).as("cell of %d", p).isEqualTo(finer);
            final int free = index.findSlot(p, 1, Minutes.floor(B));
            assertThat(free).as("slot at B of %d", p).isNotEqualTo(SlotDescriptor.NIL);
            assertThat(SlotDescriptor.state(index.stateWord(free))).isEqualTo(SlotDescriptor.STATE_FREE);
            assertThat(cells.summary().word(cells.entryOf(p), 0) & (1L << (Minutes.bucket(Minutes.floor(B)) % SlotIndex.RING)))
                .as("summary of %d", p).isNotZero();
        }
        // The held slot stays where its token points (in the resolution-7 cell), and no free copy
        // of it was written in the new one; every practitioner still gives its row.
        assertThat(SlotDescriptor.state(index.stateWord(held))).isEqualTo(SlotDescriptor.STATE_HELD);
        assertThat(index.findSlot(0, 1, Minutes.floor(A))).isEqualTo(SlotDescriptor.NIL);
        assertThat(rows(index)).isEqualTo(firstTen());
        assertThat(index.stats().liveSlots()).isEqualTo(2L * WITH_SLOTS);
        // The same snapshot again finds the held one (no second copy) and changes nothing.
        assertThat(index.replace(1, 0, List.of(slot(A), slot(B)))).isFalse();
        assertThat(index.stats().liveSlots()).isEqualTo(2L * WITH_SLOTS);
    }

    @Test
    void aFewPractitionersMoreOrLessMoveNoSlotButAnAreaThatEmptiesIsKeyedCoarser() {
        final int full = 9 * CellTable.LEAF_UNITS;
        final SlotIndex index = new SlotIndex(block(full), new SteppedClock(T0));
        final int finer = index.cells().resolutionOfArea(area());
        assertThat(finer).isGreaterThan(CellTable.RESOLUTION);
        for (int p = 0; p < WITH_SLOTS; p++) {
            index.replace(1, p, List.of(slot(A), slot(B)));
        }
        final int[] cellBefore = new int[WITH_SLOTS];
        final int[] recordBefore = new int[WITH_SLOTS];
        for (int p = 0; p < WITH_SLOTS; p++) {
            cellBefore[p] = index.cells().cellOf(p);
            recordBefore[p] = index.findSlot(p, 1, Minutes.floor(A));
        }

        // Half as many: within the factor of eight, nothing is re-keyed and no record is rewritten.
        index.updateDirectory(block(full / 2));
        assertThat(index.cells().resolutionOfArea(area())).isEqualTo(finer);
        for (int p = 0; p < WITH_SLOTS; p++) {
            assertThat(index.cells().cellOf(p)).isEqualTo(cellBefore[p]);
            assertThat(index.findSlot(p, 1, Minutes.floor(A))).isEqualTo(recordBefore[p]);
        }

        // Only the ten: a fraction of the threshold, keyed at resolution 7 again, slots found there.
        index.updateDirectory(block(WITH_SLOTS));
        final CellTable cells = index.cells();
        assertThat(cells.resolutionOfArea(area())).isEqualTo(CellTable.RESOLUTION);
        for (int p = 0; p < WITH_SLOTS; p++) {
            assertThat(H3.CORE.getResolution(cells.cell(cells.cellOf(p)))).isEqualTo(CellTable.RESOLUTION);
            assertThat(index.findSlot(p, 1, Minutes.floor(A))).isNotEqualTo(SlotDescriptor.NIL);
        }
        assertThat(rows(index)).isEqualTo(firstTen());
        assertThat(index.stats().liveSlots()).isEqualTo(2L * WITH_SLOTS);
    }
}
