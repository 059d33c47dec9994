package fr.creneau.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import fr.creneau.directory.Directory;
import fr.creneau.feed.Modality;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.Visibility;
import fr.creneau.slot.Minutes;
import fr.creneau.slot.IndexStats;

class SlotIndexTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private SteppedClock clock;
    private Directory directory;
    private SlotIndex index;
    private SlotCursor cursor;

    @BeforeEach
    void setUp() {
        clock = new SteppedClock(T0);
        directory = TestDirectories.paris(8);
        index = new SlotIndex(directory, clock);
        cursor = index.cursor();
    }

    private static SlotRecord slot(final int practitioner, final Instant start, final int minutes) {
        return new SlotRecord("s", practitioner, start, start.plus(Duration.ofMinutes(minutes)),
            Modality.OFFICE.bit(), Visibility.PUBLIC, 1, null);
    }

    /** Every visible slot of a practitioner's cell in the window [now-1h, now+49h), as "practitioner@start". */
    private List<String> visible(final int practitioner) {
        final int now = Minutes.floor(clock.instant());
        cursor.open(index.cells().cellOf(practitioner), now - 60, now + 49 * 60, now);
        final List<String> seen = new ArrayList<>();
        while (cursor.next()) {
            if (cursor.practitioner() == practitioner) {
                seen.add(Minutes.toInstant(cursor.startMinute()) + "/" + cursor.source());
            }
        }
        seen.sort(null);
        return seen;
    }

    @Test
    void shouldReturnTheSlotsOfAReplacement() {
        index.replace(1, 0, List.of(slot(0, T0.plusSeconds(3600), 20), slot(0, T0.plusSeconds(7200), 20)));
        assertThat(visible(0)).containsExactly("2026-11-23T10:00:00Z/1", "2026-11-23T11:00:00Z/1");
        assertThat(index.stats().liveSlots()).isEqualTo(2);
    }

    @Test
    void shouldKeepUnchangedSlotsInTheirRecordAcrossSnapshots() {
        final SlotRecord a = slot(0, T0.plusSeconds(3600), 20);
        index.replace(1, 0, List.of(a));
        final int record = index.findSlot(0, 1, Minutes.floor(a.start()));
        final int word = index.stateWord(record);
        final boolean changed = index.replace(1, 0, List.of(a));
        assertThat(changed).isFalse();
        assertThat(index.findSlot(0, 1, Minutes.floor(a.start()))).isEqualTo(record);
        assertThat(index.stateWord(record)).isEqualTo(word);
        assertThat(index.stats().liveSlots()).isEqualTo(1);
    }

    @Test
    void shouldRemoveASlotAbsentFromTheNextSnapshot() {
        index.replace(1, 0, List.of(slot(0, T0.plusSeconds(3600), 20), slot(0, T0.plusSeconds(7200), 20)));
        assertThat(index.replace(1, 0, List.of(slot(0, T0.plusSeconds(7200), 20)))).isTrue();
        assertThat(visible(0)).containsExactly("2026-11-23T11:00:00Z/1");
        assertThat(index.stats().liveSlots()).isEqualTo(1);
    }

    @Test
    void shouldReplaceASlotWhoseDurationChanged() {
        index.replace(1, 0, List.of(slot(0, T0.plusSeconds(3600), 20)));
        index.replace(1, 0, List.of(slot(0, T0.plusSeconds(3600), 30)));
        final int now = Minutes.floor(T0);
        cursor.open(index.cells().cellOf(0), now, now + 48 * 60, now);
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.endMinute() - cursor.startMinute()).isEqualTo(30);
        assertThat(cursor.next()).isFalse();
    }

    @Test
    void shouldKeepEachSourceOfAPractitionerApart() {
        index.replace(1, 0, List.of(slot(0, T0.plusSeconds(3600), 20)));
        index.replace(0, 0, List.of(slot(0, T0.plusSeconds(3600), 20)));
        index.replace(1, 0, List.of());
        assertThat(visible(0)).containsExactly("2026-11-23T10:00:00Z/0");
    }

    @Test
    void aHeldSlotSurvivesASnapshotThatNoLongerListsIt() {
        index.replace(1, 0, List.of(slot(0, T0.plusSeconds(3600), 20)));
        final int record = index.findSlot(0, 1, Minutes.floor(T0.plusSeconds(3600)));
        final int word = index.stateWord(record);
        assertThat(index.casState(record, word, SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD))).isTrue();
        index.replace(1, 0, List.of());
        assertThat(index.findSlot(0, 1, Minutes.floor(T0.plusSeconds(3600)))).isEqualTo(record);
        assertThat(SlotDescriptor.state(index.stateWord(record))).isEqualTo(SlotDescriptor.STATE_HELD);
    }

    @Test
    void aHeldSlotTheVendorDroppedGoesAwayWhenItsHoldEndsInsteadOfBecomingFree() {
        final Instant start = T0.plusSeconds(3600);
        index.replace(1, 0, List.of(slot(0, start, 20), slot(0, start.plusSeconds(3600), 20)));
        final int dropped = index.findSlot(0, 1, Minutes.floor(start));
        final int kept = index.findSlot(0, 1, Minutes.floor(start.plusSeconds(3600)));
        hold(dropped);
        hold(kept);
        index.replace(1, 0, List.of(slot(0, start.plusSeconds(3600), 20))); // lists only the second
        assertThat(SlotDescriptor.unlisted(index.stateWord(dropped))).isTrue();
        assertThat(SlotDescriptor.unlisted(index.stateWord(kept))).isFalse();

        assertThat(index.retire(dropped, index.stateWord(dropped))).isTrue();
        assertThat(index.retire(kept, index.stateWord(kept))).isTrue();
        assertThat(SlotDescriptor.state(index.stateWord(dropped))).isEqualTo(SlotDescriptor.STATE_GONE);
        assertThat(SlotDescriptor.state(index.stateWord(kept))).isEqualTo(SlotDescriptor.STATE_FREE);
        assertThat(visible(0)).containsExactly("2026-11-23T11:00:00Z/1");
    }

    @Test
    void aSnapshotThatListsAnUnlistedHeldSlotAgainClearsTheFlag() {
        final Instant start = T0.plusSeconds(3600);
        index.replace(1, 0, List.of(slot(0, start, 20)));
        final int record = index.findSlot(0, 1, Minutes.floor(start));
        hold(record);
        index.replace(1, 0, List.of());
        assertThat(SlotDescriptor.unlisted(index.stateWord(record))).isTrue();
        index.replace(1, 0, List.of(slot(0, start, 20)));
        assertThat(SlotDescriptor.unlisted(index.stateWord(record))).isFalse();
        assertThat(index.retire(record, index.stateWord(record))).isTrue();
        assertThat(SlotDescriptor.state(index.stateWord(record))).isEqualTo(SlotDescriptor.STATE_FREE);
    }

    @Test
    void aRetiredSlotListedAgainByItsVendorComesBackFree() {
        final Instant start = T0.plusSeconds(3600);
        index.replace(1, 0, List.of(slot(0, start, 20)));
        final int record = index.findSlot(0, 1, Minutes.floor(start));
        hold(record);
        index.replace(1, 0, List.of());                          // dropped while held: kept, unlisted
        assertThat(index.retire(record, index.stateWord(record))).isTrue(); // hold ends: GONE
        assertThat(visible(0)).isEmpty();
        index.replace(1, 0, List.of(slot(0, start, 20)));        // the vendor lists it again
        final int again = index.findSlot(0, 1, Minutes.floor(start));
        assertThat(again).isNotEqualTo(record);
        assertThat(SlotDescriptor.state(index.stateWord(again))).isEqualTo(SlotDescriptor.STATE_FREE);
        assertThat(visible(0)).containsExactly("2026-11-23T10:00:00Z/1");
        index.replace(1, 0, List.of(slot(0, start, 20)));        // and stays one record, unchanged
        assertThat(index.findSlot(0, 1, Minutes.floor(start))).isEqualTo(again);
    }

    private void hold(final int record) {
        final int word = index.stateWord(record);
        assertThat(index.casState(record, word, SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD))).isTrue();
    }

    @Test
    void slotsAlreadyEndedAreNeverReturnedEvenInTheCurrentBucket() {
        index.replace(1, 0, List.of(slot(0, T0.plusSeconds(600), 20), slot(0, T0.plusSeconds(1800), 20)));
        clock.advance(Duration.ofMinutes(31)); // 09:31: the 09:10-09:30 slot has ended, same bucket
        assertThat(visible(0)).containsExactly("2026-11-23T09:30:00Z/1");
    }

    @Test
    void theStateTransitionBumpsTheVersion() {
        final int word = SlotDescriptor.transition(0, SlotDescriptor.STATE_FREE);
        final int held = SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD);
        assertThat(SlotDescriptor.version(held)).isEqualTo(SlotDescriptor.version(word) + 1);
        assertThat(SlotDescriptor.state(held)).isEqualTo(SlotDescriptor.STATE_HELD);
    }

    @Test
    void expiredBucketsGiveTheirPagesBackAndMemoryStopsGrowing() {
        // Day after day of slots with the clock moving: pages are reused, not added forever.
        for (int hour = 0; hour < 24 * 6; hour++) {
            final Instant now = T0.plus(Duration.ofHours(hour));
            clock.set(now);
            final List<SlotRecord> slots = new ArrayList<>();
            for (int h = 0; h < 48; h++) {
                slots.add(slot(0, now.plus(Duration.ofHours(h)), 20));
            }
            index.replace(1, 0, slots);
        }
        final IndexStats stats = index.stats();
        assertThat(stats.liveSlots()).isEqualTo(48);
        // One page per live bucket at most (51), however long the clock ran: 144 hours of 48
        // slots went through, and expired pages were reused instead of new ones allocated.
        assertThat(stats.pages()).isLessThanOrEqualTo(52);
    }

    @Test
    void aRingPositionReusedOneRingLaterNeverLeadsAnotherCellToItsRecords() {
        // Practitioners 0 and 3 are in different cells (TestDirectories.paris spreads them).
        assertThat(index.cells().cellOf(0)).isNotEqualTo(index.cells().cellOf(3));
        index.replace(1, 0, List.of(slot(0, T0.plus(Duration.ofHours(1)), 20)));
        // One ring later (RING hours) the same ring position holds a new bucket, whose first record
        // lands where practitioner 0's was (the page is reused): practitioner 0's cell must not see it.
        clock.set(T0.plus(Duration.ofHours(SlotIndex.RING)));
        index.replace(1, 0, List.of());
        index.replace(1, 3, List.of(slot(3, T0.plus(Duration.ofHours(SlotIndex.RING + 1)), 20)));
        assertThat(practitionersInCellOf(0)).isEmpty();
        assertThat(practitionersInCellOf(3)).containsExactly(3);
        // And a slot of practitioner 0 in that bucket starts a chain of its own cell.
        index.replace(1, 0, List.of(slot(0, T0.plus(Duration.ofHours(SlotIndex.RING + 1)).plusSeconds(1800), 20)));
        assertThat(practitionersInCellOf(0)).containsExactly(0);
        assertThat(practitionersInCellOf(3)).containsExactly(3);
    }

    /** Practitioners of every record the chains of {@code p}'s cell hold in the live window, unfiltered. */
    private List<Integer> practitionersInCellOf(final int p) {
        final int now = Minutes.floor(clock.instant());
        cursor.open(index.cells().cellOf(p), now - 60, now + 49 * 60, now);
        final List<Integer> seen = new ArrayList<>();
        while (cursor.next()) {
            seen.add(cursor.practitioner());
        }
        return seen;
    }

    @Test
    void expiryAcrossMidnightDropsYesterdaysSlotsOnly() {
        final Instant evening = Instant.parse("2026-11-23T22:00:00Z");
        clock.set(evening);
        index.replace(1, 0, List.of(slot(0, evening.plusSeconds(1800), 20), slot(0, evening.plusSeconds(5400), 20),
            slot(0, evening.plus(Duration.ofHours(20)), 20)));
        clock.set(evening.plus(Duration.ofHours(4))); // 02:00 the next day
        assertThat(index.advance()).isGreaterThan(0);
        assertThat(visible(0)).containsExactly("2026-11-24T18:00:00Z/1");
        assertThat(index.stats().liveSlots()).isEqualTo(1);
    }

    @Test
    void theWritersBookkeepingDoesNotGrowWithChurn() {
        // Two snapshots with no slot in common, alternated: every replacement writes new records
        // and retires the previous ones, which stay in their chains (GONE) until their hour ends.
        final List<SlotRecord> a = List.of(slot(0, T0.plusSeconds(3600), 20), slot(0, T0.plusSeconds(7200), 20));
        final List<SlotRecord> b = List.of(slot(0, T0.plusSeconds(4800), 20), slot(0, T0.plusSeconds(8400), 20));
        index.replace(1, 0, a);
        index.replace(1, 0, b);
        final long heap = index.stats().heapBytes();
        for (int i = 0; i < 20_000; i++) {
            index.replace(1, 0, i % 2 == 0 ? a : b);
        }
        assertThat(visible(0)).hasSize(2);
        assertThat(index.stats().liveSlots()).isEqualTo(2);
        // 40,000 records were written: only the page table may grow (a few hundred bytes).
        assertThat(index.stats().heapBytes()).isLessThan(heap + 4096);
    }

    @Test
    void slotsOutsideTheLiveWindowAreIgnored() {
        index.replace(1, 0, List.of(slot(0, T0.minus(Duration.ofHours(3)), 20), slot(0, T0.plus(Duration.ofHours(60)), 20)));
        assertThat(index.stats().liveSlots()).isZero();
    }

    @Test
    void anUnknownPractitionerIsAClearError() {
        assertThatThrownBy(() -> index.replace(1, 999, List.of(slot(999, T0.plusSeconds(3600), 20))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("999");
    }

    @Test
    void shouldHoldAMillionSlotsWithin32BytesEachAllIncluded() {
        final Directory many = TestDirectories.paris(64);
        final SlotIndex full = new SlotIndex(many, clock);
        int slots = 0;
        for (int p = 0; p < 64; p++) {
            for (int source = 1; source <= 128; source++) {
                final List<SlotRecord> list = new ArrayList<>();
                // One source's slots never overlap; sources are offset by a minute each.
                for (int m = source % 20; m < 48 * 60; m += 23) {
                    list.add(new SlotRecord("x", p, T0.plus(Duration.ofMinutes(m)), T0.plus(Duration.ofMinutes(m + 15)),
                        Modality.OFFICE.bit(), Visibility.PUBLIC, source, null));
                }
                full.replace(source, p, list);
                slots += list.size();
            }
        }
        final IndexStats stats = full.stats();
        assertThat(slots).isGreaterThan(1_000_000);
        assertThat(stats.liveSlots()).isEqualTo(slots);
        assertThat(stats.offHeapBytesPerSlot()).isLessThanOrEqualTo(21.0);
        assertThat(stats.bytesPerSlot()).isLessThanOrEqualTo(32.0);
    }
}
