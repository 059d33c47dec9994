package fr.creneau.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.feed.Modality;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.Visibility;
import fr.creneau.slot.Minutes;

/**
 * A new directory where a practitioner moved to another cell or left: the index moves or drops its
 * slots, and held slots stay where their tokens point yet are still found by later snapshots
 * (the writer finds a practitioner's records by walking its cell, so these are the records it
 * could lose track of).
 */
class SlotIndexDirectoryChangeTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Instant A = T0.plus(Duration.ofHours(1));
    private static final Instant B = T0.plus(Duration.ofHours(2));
    private Directory directory;
    private SlotIndex index;
    private int heldA;

    @BeforeEach
    void setUp() {
        directory = TestDirectories.paris(8);
        index = new SlotIndex(directory, new SteppedClock(T0));
        index.replace(1, 0, List.of(slot(A), slot(B)));
        heldA = index.findSlot(0, 1, Minutes.floor(A));
        final int word = index.stateWord(heldA);
        assertThat(index.casState(heldA, word, SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD))).isTrue();
    }

    private static SlotRecord slot(final Instant start) {
        return new SlotRecord("s", 0, start, start.plus(Duration.ofMinutes(20)), Modality.OFFICE.bit(),
            Visibility.PUBLIC, 1, null);
    }

    /** Practitioner 0's records in {@code cellId} that a query would see, as "start/state". */
    private List<String> seenIn(final int cellId) {
        final SlotCursor cursor = index.cursor();
        final int now = Minutes.floor(T0);
        cursor.open(cellId, now - 60, now + 49 * 60, now);
        final List<String> seen = new ArrayList<>();
        while (cursor.next()) {
            if (cursor.practitioner() == 0) {
                seen.add(Minutes.toInstant(cursor.startMinute()) + "/" + cursor.state());
            }
        }
        seen.sort(null);
        return seen;
    }

    @Test
    void aMoveTakesTheFreeSlotsAlongAndLaterSnapshotsStillFindTheHeldOne() {
        final int from = index.cells().cellOf(0);
        final Practitioner three = directory.get(3);
        final Directory.Builder b = Directory.builder(directory);
        for (int i = 0; i < directory.capacity(); i++) {
            b.add(i == 0 ? TestDirectories.gp(0, three.lat(), three.lon()) : directory.get(i));
        }
        index.updateDirectory(b.build());
        final int to = index.cells().cellOf(0);
        assertThat(to).isNotEqualTo(from);
        assertThat(seenIn(to)).containsExactly(B + "/" + SlotDescriptor.STATE_FREE);
        assertThat(seenIn(from)).containsExactly(A + "/" + SlotDescriptor.STATE_HELD);
        assertThat(index.stats().liveSlots()).isEqualTo(2);

        // The same snapshot again: nothing changes, in particular no free copy of the held slot.
        assertThat(index.replace(1, 0, List.of(slot(A), slot(B)))).isFalse();
        assertThat(seenIn(to)).containsExactly(B + "/" + SlotDescriptor.STATE_FREE);
        assertThat(index.stats().liveSlots()).isEqualTo(2);
        // A snapshot without it: the held slot is marked to go when its hold ends.
        index.replace(1, 0, List.of(slot(B)));
        assertThat(SlotDescriptor.unlisted(index.stateWord(heldA))).isTrue();
        assertThat(SlotDescriptor.state(index.stateWord(heldA))).isEqualTo(SlotDescriptor.STATE_HELD);
    }

    @Test
    void aPractitionerWhoLeftLosesItsFreeSlotsAndItsHeldOneGoesWhenTheHoldEnds() {
        final int from = index.cells().cellOf(0);
        final Directory.Builder b = Directory.builder(directory);
        for (int i = 1; i < directory.capacity(); i++) {
            b.add(directory.get(i));
        }
        index.updateDirectory(b.build());
        assertThat(index.cells().cellOf(0)).isNegative();
        assertThat(seenIn(from)).containsExactly(A + "/" + SlotDescriptor.STATE_HELD);
        assertThat(index.stats().liveSlots()).isEqualTo(1);
        assertThat(SlotDescriptor.unlisted(index.stateWord(heldA))).isTrue();
        assertThat(index.retire(heldA, index.stateWord(heldA))).isTrue();
        assertThat(SlotDescriptor.state(index.stateWord(heldA))).isEqualTo(SlotDescriptor.STATE_GONE);
        assertThat(seenIn(from)).isEmpty();
    }

    /** Moves practitioner 0 to practitioner 3's place (another cell). */
    private void moveAway() {
        final Practitioner three = directory.get(3);
        final Directory.Builder b = Directory.builder(directory);
        for (int i = 0; i < directory.capacity(); i++) {
            b.add(i == 0 ? TestDirectories.gp(0, three.lat(), three.lon()) : directory.get(i));
        }
        index.updateDirectory(b.build());
    }

    /**
     * Found by the engine simulation (seed 1, step 81: a Keldoc booking cancelled after its
     * practitioner moved): the held record stays in the cell the practitioner left, and when the
     * hold ended it became free there, where neither the practitioner's own searches (médecin
     * traitant) nor {@code findSlot} (a hold: GONE) look, while searches around the old place
     * proposed it, until its bucket expired. It must go instead; the next snapshot lists it anew
     * in the practitioner's cell.
     */
    @Test
    void aHoldThatEndsAfterItsPractitionerMovedLeavesNoFreeSlotInTheCellItLeft() {
        final int from = index.cells().cellOf(0);
        moveAway();
        final int to = index.cells().cellOf(0);
        assertThat(index.retire(heldA, index.stateWord(heldA))).isTrue();
        assertThat(seenIn(from)).isEmpty();
        assertThat(index.findSlot(0, 1, Minutes.floor(A))).isEqualTo(SlotDescriptor.NIL);
        assertThat(index.stats().liveSlots()).isEqualTo(1);

        assertThat(index.replace(1, 0, List.of(slot(A), slot(B)))).isTrue();
        assertThat(seenIn(to)).containsExactly(A + "/" + SlotDescriptor.STATE_FREE, B + "/" + SlotDescriptor.STATE_FREE);
        assertThat(seenIn(from)).isEmpty();
        assertThat(index.findSlot(0, 1, Minutes.floor(A))).isNotEqualTo(SlotDescriptor.NIL);
        assertThat(index.stats().liveSlots()).isEqualTo(2);
    }

    /** A hold that ends in the practitioner's own cell frees the slot, as always. */
    @Test
    void aHoldThatEndsInThePractitionersCellFreesTheSlot() {
        assertThat(index.retire(heldA, index.stateWord(heldA))).isTrue();
        assertThat(SlotDescriptor.state(index.stateWord(heldA))).isEqualTo(SlotDescriptor.STATE_FREE);
        assertThat(index.findSlot(0, 1, Minutes.floor(A))).isEqualTo(heldA);
    }

    /**
     * Found by the engine simulation: a practitioner who left while a slot was held, and came
     * back, got a new directory index, so the next snapshot did not find the held record (written
     * under the old index) and wrote a second, free one: searches proposed a taken slot. It gets
     * its index back, and the snapshot finds the held record, listed again.
     */
    @Test
    void aPractitionerWhoComesBackFindsItsHeldSlotAndNoFreeCopyIsWritten() {
        final Directory.Builder b = Directory.builder(directory);
        for (int i = 1; i < directory.capacity(); i++) {
            b.add(directory.get(i));
        }
        final Directory without = b.build();
        index.updateDirectory(without);
        final Directory.Builder back = Directory.builder(without);
        for (int i = 0; i < directory.capacity(); i++) {
            back.add(directory.get(i));
        }
        final Directory with = back.build();
        assertThat(with.indexOf(directory.get(0).rpps())).isZero();
        assertThat(with.capacity()).isEqualTo(directory.capacity());
        index.updateDirectory(with);
        assertThat(SlotDescriptor.unlisted(index.stateWord(heldA))).isTrue();

        index.replace(1, 0, List.of(slot(A), slot(B)));
        assertThat(seenIn(index.cells().cellOf(0)))
            .containsExactly(A + "/" + SlotDescriptor.STATE_HELD, B + "/" + SlotDescriptor.STATE_FREE);
        assertThat(SlotDescriptor.unlisted(index.stateWord(heldA))).isFalse(); // listed again: free when the hold ends
        assertThat(index.findSlot(0, 1, Minutes.floor(A))).isEqualTo(heldA);
        assertThat(index.stats().liveSlots()).isEqualTo(2);
    }
}
