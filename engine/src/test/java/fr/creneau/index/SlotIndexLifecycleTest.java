package fr.creneau.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import fr.creneau.feed.Modality;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.Visibility;
import fr.creneau.slot.Minutes;

/**
 * The lives of a record location: written, held, booked, unlisted, expired with its bucket, its
 * page given back and written again for another hour. What one life leaves behind must never
 * reach the next, and a reader that started in one life must not see the next one's bytes.
 */
class SlotIndexLifecycleTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private SteppedClock clock;
    private SlotIndex index;

    @BeforeEach
    void setUp() {
        clock = new SteppedClock(T0);
        index = new SlotIndex(TestDirectories.paris(8), clock);
    }

    private static SlotRecord slot(final int practitioner, final Instant start) {
        return new SlotRecord("s", practitioner, start, start.plus(Duration.ofMinutes(20)), Modality.OFFICE.bit(),
            Visibility.PUBLIC, 1, null);
    }

    /** {@code count} slots of a practitioner, a quarter of an hour apart from {@code first}. */
    private static List<SlotRecord> quarterHours(final int practitioner, final Instant first, final int count) {
        final List<SlotRecord> slots = new ArrayList<>();
        for (int m = 0; m < count; m++) {
            slots.add(slot(practitioner, first.plus(Duration.ofMinutes(15L * m))));
        }
        return slots;
    }

    private int find(final int practitioner, final Instant start) {
        return index.findSlot(practitioner, 1, Minutes.floor(start));
    }

    private void to(final int record, final int state) {
        final int word = index.stateWord(record);
        assertThat(index.casState(record, word, SlotDescriptor.transition(word, state))).isTrue();
    }

    /** Defect 12.1: a booked, unlisted slot's flag must not be inherited by the next slot written at its location. */
    @Test
    void aFreshSlotAtTheLocationOfAnUnlistedBookingIsFreeAgainWhenItsHoldEnds() {
        final Instant booked = T0.plus(Duration.ofHours(1));
        index.replace(1, 0, List.of(slot(0, booked)));
        final int old = find(0, booked);
        to(old, SlotDescriptor.STATE_HELD);
        to(old, SlotDescriptor.STATE_BOOKED);
        index.replace(1, 0, List.of()); // the vendor no longer lists what we booked: the normal case
        assertThat(SlotDescriptor.unlisted(index.stateWord(old))).isTrue();

        // Let the hour pass, then write one new slot an hour until one lands where the booking was
        // (its page expired and was given back: at once, or after a grace period).
        int fresh = SlotDescriptor.NIL;
        Instant now = T0;
        for (int hour = 3; hour < 12 && fresh != old; hour++) {
            now = T0.plus(Duration.ofHours(hour));
            clock.set(now);
            final Instant start = now.plus(Duration.ofHours(2));
            index.replace(1, 1, List.of(slot(1, start)));
            fresh = find(1, start);
        }
        assertThat(fresh).as("the booking's location was reused within 9 hours").isEqualTo(old);
        assertThat(SlotDescriptor.unlisted(index.stateWord(fresh))).isFalse();
        to(fresh, SlotDescriptor.STATE_HELD);
        assertThat(index.retire(fresh, index.stateWord(fresh))).isTrue();
        assertThat(SlotDescriptor.state(index.stateWord(fresh))).isEqualTo(SlotDescriptor.STATE_FREE);
    }

    /** Defect 12.8: a record a booking sends to GONE is no longer counted live, and is not subtracted twice. */
    @Test
    void aSlotRetiredByItsBookingIsNoLongerCountedLive() {
        final Instant a = T0.plus(Duration.ofHours(1));
        final Instant b = T0.plus(Duration.ofHours(5));
        index.replace(1, 0, List.of(slot(0, a), slot(0, b)));
        final int r = find(0, a);
        to(r, SlotDescriptor.STATE_HELD);
        index.replace(1, 0, List.of(slot(0, b)));
        assertThat(index.stats().liveSlots()).isEqualTo(2); // held and unlisted: still there
        assertThat(index.retire(r, index.stateWord(r))).isTrue();
        assertThat(SlotDescriptor.state(index.stateWord(r))).isEqualTo(SlotDescriptor.STATE_GONE);
        assertThat(index.stats().liveSlots()).isEqualTo(1);
        clock.set(T0.plus(Duration.ofHours(3))); // a's bucket expires
        index.advance();
        assertThat(index.stats().liveSlots()).isEqualTo(1);
        clock.set(T0.plus(Duration.ofHours(8))); // and b's
        index.advance();
        assertThat(index.stats().liveSlots()).isZero();
    }

    /**
     * Defect 12.3: a cursor that started before its bucket expired walks the records as they
     * were: the pages it walks are not rewritten under it.
     */
    @Test
    void aCursorThatStartedBeforeAnExpiryStillReadsTheRecordsItStartedOn() {
        final List<SlotRecord> four = quarterHours(0, T0.plus(Duration.ofHours(1)), 4);
        index.replace(1, 0, four);
        final SlotCursor cursor = index.cursor();
        final int cell = index.cells().cellOf(0);
        final int now = Minutes.floor(T0);
        cursor.open(cell, now, now + 48 * 60, now);
        assertThat(cursor.next()).isTrue();
        final List<Integer> seen = new ArrayList<>();
        seen.add(cursor.startMinute());

        // The reader is descheduled; the writer moves three hours on and writes another hour.
        clock.set(T0.plus(Duration.ofHours(3)));
        index.replace(1, 2, quarterHours(2, T0.plus(Duration.ofHours(4)), 4));

        while (cursor.next()) {
            assertThat(cursor.practitioner()).isZero();
            seen.add(cursor.startMinute());
        }
        seen.sort(null);
        final List<Integer> expected = new ArrayList<>();
        for (final SlotRecord s : four) {
            expected.add(Minutes.floor(s.start()));
        }
        assertThat(seen).isEqualTo(expected);
    }

    /**
     * Defect 12.3, whatever the clock does: a begun cursor announces its epoch, and no page freed
     * after that is written again until it ends, even when the host's clock jumps hours at once.
     */
    @Test
    void aBegunCursorKeepsThePagesItMayWalkUntilItEnds() {
        final List<SlotRecord> four = quarterHours(0, T0.plus(Duration.ofHours(1)), 4);
        index.replace(1, 0, four);
        final SlotCursor cursor = index.cursor();
        final CellTable cells = cursor.begin();
        final int now = Minutes.floor(T0);
        cursor.open(cells.cellOf(0), now, now + 48 * 60, now);
        assertThat(cursor.next()).isTrue();
        int seen = 1;

        // Ten hours in ten steps, a new slot each: far past the grace period on this clock.
        final int pagesBefore = index.stats().pages();
        for (int h = 3; h < 13; h++) {
            clock.set(T0.plus(Duration.ofHours(h)));
            index.replace(1, 2, List.of(slot(2, T0.plus(Duration.ofHours(h + 1)))));
        }
        final int pagesWhileBegun = index.stats().pages();
        assertThat(pagesWhileBegun).as("no freed page reused while the cursor is begun").isGreaterThan(pagesBefore + 5);
        while (cursor.next()) {
            assertThat(cursor.practitioner()).isZero();
            seen++;
        }
        assertThat(seen).isEqualTo(4);
        cursor.end();

        // Ended: the pages go back to work, and memory stops growing.
        for (int h = 13; h < 40; h++) {
            clock.set(T0.plus(Duration.ofHours(h)));
            index.replace(1, 2, List.of(slot(2, T0.plus(Duration.ofHours(h + 1)))));
        }
        assertThat(index.stats().pages()).isLessThanOrEqualTo(pagesWhileBegun + 2);
    }

    /** Defect 12.3 (clamp) and 12.18: a window reaching before 2020 or past the live hours walks only live buckets. */
    @Test
    void aWindowOutsideTheLiveHoursIsClampedNotAnError() {
        index.replace(1, 0, List.of(slot(0, T0.plus(Duration.ofHours(1)))));
        final SlotCursor cursor = index.cursor();
        final int cell = index.cells().cellOf(0);
        cursor.open(cell, -10_000_000, Integer.MAX_VALUE, Integer.MIN_VALUE);
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.startMinute()).isEqualTo(Minutes.floor(T0.plus(Duration.ofHours(1))));
        assertThat(cursor.next()).isFalse();
        // A window entirely in the past or the future of the live hours shows nothing.
        cursor.open(cell, -10_000_000, -9_000_000, -10_000_000);
        assertThat(cursor.next()).isFalse();
        cursor.open(cell, Integer.MAX_VALUE - 10, Integer.MAX_VALUE, 0);
        assertThat(cursor.next()).isFalse();
        assertThat(index.findSlot(0, 1, -10_000_000)).isEqualTo(SlotDescriptor.NIL);
        assertThat(index.findSlot(0, 1, Integer.MAX_VALUE)).isEqualTo(SlotDescriptor.NIL);
    }
}
