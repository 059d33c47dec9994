package fr.creneau.rank;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Territory;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.Modality;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.Visibility;
import fr.creneau.index.CellTable;
import fr.creneau.index.SlotDescriptor;
import fr.creneau.index.SlotIndex;
import fr.creneau.index.SteppedClock;
import fr.creneau.index.TestDirectories;
import fr.creneau.slot.Minutes;

/**
 * The office hint ({@link CellTable#hint}): the record a search takes for a unit's earliest free
 * office slot without walking the (cell, hour) chain. What it names after each kind of writer
 * change, and that a search whose hint is no longer good (held, another hour, none) still
 * finds, through the chain, exactly what it found before hints.
 */
class OfficeHintTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final int OFFICE = Modality.OFFICE.bit();
    private static final int TELE = Modality.TELECONSULTATION.bit();

    private static Instant at(final int hour, final int minute) {
        return T0.plus(Duration.ofHours(hour - 9).plusMinutes(minute));
    }

    private static SlotRecord slot(final int practitioner, final int source, final Instant start, final int modalities) {
        return new SlotRecord("s", practitioner, start, start.plus(Duration.ofMinutes(20)), modalities,
            Visibility.PUBLIC, source, null);
    }

    /** Practitioner 0 with a teleconsultation first, then three office slots; the others one each. */
    private static SlotIndex index(final Directory directory, final Clock clock) {
        final SlotIndex index = new SlotIndex(directory, clock);
        index.replace(1, 0, List.of(slot(0, 1, at(11, 0), TELE), slot(0, 1, at(11, 20), OFFICE),
            slot(0, 1, at(11, 40), OFFICE), slot(0, 1, at(15, 0), OFFICE)));
        for (int p = 1; p < directory.capacity(); p++) {
            index.replace(1, p, List.of(slot(p, 1, at(10 + p % 8, 10), OFFICE)));
        }
        return index;
    }

    private static Searcher searcher(final SlotIndex index) {
        return new Searcher(index, VendorRegistry.defaults(), RankingConfig.DEFAULTS);
    }

    private static int hintOf(final SlotIndex index, final int practitioner) {
        final CellTable cells = index.cells();
        return cells.hint(cells.entryOf(practitioner));
    }

    private static int startOf(final SearchResults r, final int practitioner) {
        for (int i = 0; i < r.size(); i++) {
            if (r.practitioner(i) == practitioner && r.hasSlot(i)) {
                return r.startMinute(i);
            }
        }
        return -1;
    }

    private static SearchResults search(final Searcher searcher, final Practitioner near, final Instant now) {
        final SearchResults r = new SearchResults();
        searcher.search(new RegulatorQuery().patient(near.lat(), near.lon()).now(now).windowMinutes(48 * 60)
            .modality(Modality.OFFICE).limit(20), r);
        return r;
    }

    @Test
    void aSnapshotHintsEachUnitsEarliestOfficeRecordAndTheSearchTakesItWithoutAChain() {
        final Directory directory = TestDirectories.paris(8);
        final SlotIndex index = index(directory, Clock.fixed(T0, ZoneOffset.UTC));
        // The teleconsultation at 11:00 is not an office record: the hint is 11:20's.
        assertThat(hintOf(index, 0)).isEqualTo(index.findSlot(0, 1, Minutes.floor(at(11, 20))));
        for (int p = 1; p < 8; p++) {
            assertThat(hintOf(index, p)).isEqualTo(index.findSlot(p, 1, Minutes.floor(at(10 + p % 8, 10))));
        }
        final Searcher searcher = searcher(index);
        final SearchResults r = search(searcher, directory.get(0), T0);
        assertThat(startOf(r, 0)).isEqualTo(Minutes.floor(at(11, 20)));
        assertThat(r.size()).isEqualTo(8);
        // Every candidate was resolved from its hint: no chain was read.
        assertThat(searcher.hintsTaken()).isEqualTo(8);
        assertThat(searcher.chainsRead()).isZero();
    }

    @Test
    void aHeldHintSendsTheSearchToTheChainAndTheNextFreeSlotUntilItIsFreeAgain() {
        final Directory directory = TestDirectories.paris(8);
        final SlotIndex index = index(directory, Clock.fixed(T0, ZoneOffset.UTC));
        final Searcher searcher = searcher(index);
        final int record = hintOf(index, 0);
        final int word = index.stateWord(record);
        assertThat(index.casState(record, word, SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD))).isTrue();
        assertThat(startOf(search(searcher, directory.get(0), T0), 0)).isEqualTo(Minutes.floor(at(11, 40)));
        assertThat(searcher.chainsRead()).isEqualTo(1);
        final int held = index.stateWord(record);
        assertThat(index.retire(record, held)).isTrue(); // released: free again, the same record
        assertThat(hintOf(index, 0)).isEqualTo(record);
        assertThat(startOf(search(searcher, directory.get(0), T0), 0)).isEqualTo(Minutes.floor(at(11, 20)));
        assertThat(searcher.chainsRead()).isEqualTo(1);
    }

    @Test
    void anEarlierSlotOfAnySourceMovesTheHintAndItsRemovalMovesItBack() {
        final Directory directory = TestDirectories.paris(8);
        final SlotIndex index = index(directory, Clock.fixed(T0, ZoneOffset.UTC));
        final Searcher searcher = searcher(index);
        index.replace(2, 0, List.of(slot(0, 2, at(10, 30), OFFICE)));
        assertThat(hintOf(index, 0)).isEqualTo(index.findSlot(0, 2, Minutes.floor(at(10, 30))));
        assertThat(startOf(search(searcher, directory.get(0), T0), 0)).isEqualTo(Minutes.floor(at(10, 30)));
        // The first source's snapshot changes nothing of source 2: the hint stays on its slot.
        index.replace(1, 0, List.of(slot(0, 1, at(11, 20), OFFICE), slot(0, 1, at(15, 0), OFFICE)));
        assertThat(hintOf(index, 0)).isEqualTo(index.findSlot(0, 2, Minutes.floor(at(10, 30))));
        index.replace(2, 0, List.of());
        assertThat(hintOf(index, 0)).isEqualTo(index.findSlot(0, 1, Minutes.floor(at(11, 20))));
        assertThat(startOf(search(searcher, directory.get(0), T0), 0)).isEqualTo(Minutes.floor(at(11, 20)));
        assertThat(searcher.chainsRead()).isZero();
    }

    @Test
    void twoOfficeSlotsAtTheSameMinuteLeaveNoHintAndTheChainDecides() {
        final Directory directory = TestDirectories.paris(8);
        final SlotIndex index = index(directory, Clock.fixed(T0, ZoneOffset.UTC));
        final Searcher searcher = searcher(index);
        index.replace(2, 0, List.of(slot(0, 2, at(11, 20), OFFICE)));
        assertThat(hintOf(index, 0)).isEqualTo(-1);
        final SearchResults r = search(searcher, directory.get(0), T0);
        assertThat(startOf(r, 0)).isEqualTo(Minutes.floor(at(11, 20)));
        assertThat(searcher.chainsRead()).isEqualTo(1);
        assertThat(searcher.hintsTaken()).isEqualTo(7);
    }

    @Test
    void aHintIntoAnExpiredHourIsTakenOutAndTheChainGivesTheNextSlot() {
        final Directory directory = TestDirectories.paris(8);
        final SteppedClock clock = new SteppedClock(T0);
        final SlotIndex index = index(directory, clock);
        index.replace(2, 0, List.of(slot(0, 2, at(9, 30), OFFICE)));
        assertThat(hintOf(index, 0)).isEqualTo(index.findSlot(0, 2, Minutes.floor(at(9, 30))));
        // 11:05: the 09:00 hour has left the live window (one past hour is kept).
        clock.set(at(11, 5));
        assertThat(index.advance()).isPositive();
        assertThat(hintOf(index, 0)).isEqualTo(-1);
        // Practitioner 1's 11:10 hint is in a live hour: kept.
        assertThat(hintOf(index, 1)).isEqualTo(index.findSlot(1, 1, Minutes.floor(at(11, 10))));
        final Searcher searcher = searcher(index);
        assertThat(startOf(search(searcher, directory.get(0), at(11, 5)), 0)).isEqualTo(Minutes.floor(at(11, 20)));
        assertThat(searcher.chainsRead()).isPositive();
        // Its next snapshot hints it again.
        index.replace(1, 0, List.of(slot(0, 1, at(11, 20), OFFICE), slot(0, 1, at(15, 0), OFFICE)));
        assertThat(hintOf(index, 0)).isEqualTo(index.findSlot(0, 1, Minutes.floor(at(11, 20))));
    }

    @Test
    void aHintOfAnHourBegunBeforeNowIsPassedOverForTheChain() {
        final Directory directory = TestDirectories.paris(8);
        final SlotIndex index = index(directory, Clock.fixed(T0, ZoneOffset.UTC));
        final Searcher searcher = searcher(index);
        // At 11:25 the hinted 11:20 has begun: the chain of the 11:00 hour gives 11:40.
        assertThat(startOf(search(searcher, directory.get(0), at(11, 25)), 0)).isEqualTo(Minutes.floor(at(11, 40)));
        assertThat(searcher.chainsRead()).isPositive();
    }

    @Test
    void aSlotBegunByTheWritersClockIsNotHintedAndASearchFromBeforeThatClockTakesNoHint() {
        final Directory directory = TestDirectories.paris(8);
        final SteppedClock clock = new SteppedClock(at(11, 30));
        final SlotIndex index = index(directory, clock);
        // 11:20 had begun when the snapshot was applied: the hint is 11:40's.
        assertThat(hintOf(index, 0)).isEqualTo(index.findSlot(0, 1, Minutes.floor(at(11, 40))));
        final Searcher searcher = searcher(index);
        assertThat(startOf(search(searcher, directory.get(0), at(11, 30)), 0)).isEqualTo(Minutes.floor(at(11, 40)));
        final long taken = searcher.hintsTaken();
        assertThat(taken).isPositive();
        // A host asking from 11:10 may take 11:20, which the hint was not chosen among: the chain decides.
        assertThat(startOf(search(searcher, directory.get(0), at(11, 10)), 0)).isEqualTo(Minutes.floor(at(11, 20)));
        assertThat(searcher.hintsTaken()).isEqualTo(taken);
    }

    @Test
    void aDirectoryChangeCarriesTheHintsOfThoseWhoStayNotOfWhoMoved() {
        final Directory one = TestDirectories.paris(8);
        final SlotIndex index = index(one, Clock.fixed(T0, ZoneOffset.UTC));
        final Practitioner zero = one.get(0);
        final Directory.Builder b = Directory.builder(one);
        for (int i = 0; i < one.capacity(); i++) {
            b.add(i == 3 ? TestDirectories.gp(3, zero.lat() + 0.002, zero.lon()) : one.get(i));
        }
        final Directory two = b.build();
        final int zeroHint = hintOf(index, 0);
        index.updateDirectory(two);
        assertThat(hintOf(index, 0)).isEqualTo(zeroHint);
        assertThat(hintOf(index, 3)).isEqualTo(-1); // its slot was written again in its new cell
        final Searcher searcher = searcher(index);
        final SearchResults r = search(searcher, zero, T0);
        assertThat(startOf(r, 3)).isEqualTo(Minutes.floor(at(13, 10)));
        assertThat(startOf(r, 0)).isEqualTo(Minutes.floor(at(11, 20)));
        index.replace(1, 3, List.of(slot(3, 1, at(13, 10), OFFICE)));
        assertThat(hintOf(index, 3)).isEqualTo(index.findSlot(3, 1, Minutes.floor(at(13, 10))));
    }

    @Test
    void aDirectoryWithAKeyAboveTheHintsKeepsWholeKeysAndNoHint() {
        final List<Practitioner> doctors = new ArrayList<>();
        final Directory.Builder b = Directory.builder();
        for (int i = 0; i < 3; i++) {
            final Practitioner gp = TestDirectories.gp(i, 48.85, 2.33 + 0.001 * i);
            // A key no RPPS nor ADELI has: 2^40 + i.
            final Practitioner p = i == 2 ? new Practitioner((1L << 40) + i, gp.name(), Profession.GP, gp.lat(),
                gp.lon(), gp.phone(), gp.vendor(), false, Participation.INDIVIDUAL, false, null,
                Territory.of(gp.lat(), gp.lon())) : gp;
            doctors.add(p);
            b.add(p);
        }
        final Directory directory = b.build();
        final SlotIndex index = new SlotIndex(directory, Clock.fixed(T0, ZoneOffset.UTC));
        for (int p = 0; p < 3; p++) {
            index.replace(1, p, List.of(slot(p, 1, at(11, 10 * p), OFFICE)));
        }
        final CellTable cells = index.cells();
        for (int p = 0; p < 3; p++) {
            assertThat(cells.hint(cells.entryOf(p))).isEqualTo(-1);
            assertThat(cells.entryRpps(cells.entryOf(p))).isEqualTo(doctors.get(p).rpps());
        }
        final Searcher searcher = searcher(index);
        final SearchResults r = search(searcher, doctors.get(0), T0);
        assertThat(r.size()).isEqualTo(3);
        assertThat(startOf(r, 2)).isEqualTo(Minutes.floor(at(11, 20)));
        assertThat(searcher.hintsTaken()).isZero();
    }
}
