package fr.creneau.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import fr.creneau.directory.Directory;
import fr.creneau.feed.Modality;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.Visibility;
import fr.creneau.slot.Minutes;

/**
 * Real threads against the writer's multi-step operations: a booking thread holding and releasing
 * a slot while snapshots drop and change it, and readers searching while a directory change
 * moves hundreds of practitioners to other cells.
 */
class SlotIndexRaceTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final int SOURCE = 1;

    private static SlotRecord slot(final int practitioner, final Instant start, final int minutes) {
        return new SlotRecord("r", practitioner, start, start.plus(Duration.ofMinutes(minutes)), Modality.OFFICE.bit(),
            Visibility.PUBLIC, SOURCE, null);
    }

    /**
     * Defect 12.2: the writer decides "remove it" or "keep it, marked unlisted" from one state
     * word in one CAS loop. With two CASes, a release landing between them leaves a FREE record
     * carrying the unlisted flag (or a stale version shown free while its replacement is gone).
     */
    @Test
    void aReleaseDuringASnapshotNeverLeavesAFreeSlotMarkedUnlisted() throws Exception {
        final SlotIndex index = new SlotIndex(TestDirectories.paris(4), new SteppedClock(T0));
        final Instant x = T0.plus(Duration.ofHours(2));
        final Instant other = T0.plus(Duration.ofHours(3));
        final int minute = Minutes.floor(x);
        index.replace(SOURCE, 0, List.of(slot(0, x, 20), slot(0, other, 20)));
        final AtomicBoolean done = new AtomicBoolean();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong toggles = new AtomicLong();
        final Thread booker = new Thread(() -> {
            while (!done.get()) {
                final int r = index.findSlot(0, SOURCE, minute);
                if (r < 0) {
                    continue;
                }
                final int word = index.stateWord(r);
                switch (SlotDescriptor.state(word)) {
                    case SlotDescriptor.STATE_FREE -> {
                        if (SlotDescriptor.unlisted(word)) {
                            failures.add("free and unlisted: " + Integer.toBinaryString(word));
                        }
                        index.casState(r, word, SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD));
                    }
                    case SlotDescriptor.STATE_HELD -> index.retire(r, word);
                    default -> { }
                }
                toggles.incrementAndGet();
            }
        }, "booker");
        booker.start();
        final SlotCursor cursor = index.cursor();
        final int cell = index.cells().cellOf(0);
        final int now = Minutes.floor(T0);
        for (int i = 0; i < 10_000 && failures.isEmpty(); i++) {
            // Listed as is, listed changed (30 min), dropped: every branch of the second phase.
            final List<SlotRecord> snapshot = switch (i % 3) {
                case 0 -> List.of(slot(0, x, 20), slot(0, other, 20));
                case 1 -> List.of(slot(0, x, 30), slot(0, other, 20));
                default -> List.of(slot(0, other, 20));
            };
            index.replace(SOURCE, 0, snapshot);
            cursor.open(cell, now, now + 48 * 60, now);
            while (cursor.next()) {
                if (cursor.state() == SlotDescriptor.STATE_FREE && SlotDescriptor.unlisted(cursor.stateWord())) {
                    failures.add("after snapshot " + i + ": free and unlisted at " + cursor.startMinute());
                }
            }
        }
        done.set(true);
        booker.join();
        assertThat(toggles.get()).isPositive();
        assertThat(failures).isEmpty();
    }

    /** Practitioners {@code 0..count-1}, all in one H3 cell around {@code (lat, lon)}. */
    private static Directory clustered(final Directory previous, final int count, final double lat, final double lon) {
        final Directory.Builder b = previous == null ? Directory.builder() : Directory.builder(previous);
        for (int i = 0; i < count; i++) {
            b.add(TestDirectories.gp(i, lat + 0.00001 * (i % 50), lon + 0.00001 * (i / 50)));
        }
        return b.build();
    }

    /**
     * Defect 12.4: while a directory change moves practitioners to another cell, a search finds
     * each of them with its slots, in the old cell or the new one, never in neither.
     */
    @Test
    void aPractitionerMovedByADirectoryChangeIsNeverSeenWithoutItsSlots() throws Exception {
        final int count = 400;
        final Directory here = clustered(null, count, 48.8566, 2.3522);
        final Directory there = clustered(here, count, 48.8800, 2.3900);
        final Directory back = clustered(there, count, 48.8566, 2.3522);
        final SlotIndex index = new SlotIndex(here, new SteppedClock(T0));
        assertThat(index.cells().cellCount()).isEqualTo(1);
        for (int p = 0; p < count; p++) {
            index.replace(SOURCE, p, List.of(slot(p, T0.plus(Duration.ofHours(1 + p % 40)), 20)));
        }
        final AtomicBoolean done = new AtomicBoolean();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong searches = new AtomicLong();
        final CountDownLatch started = new CountDownLatch(2);
        final List<Thread> readers = new ArrayList<>();
        final int now = Minutes.floor(T0);
        for (int t = 0; t < 2; t++) {
            final int seed = t;
            final Thread reader = new Thread(() -> {
                final SlotCursor cursor = index.cursor();
                started.countDown();
                int p = seed;
                while (!done.get() && failures.size() < 5) {
                    p = (p + 7) % count;
                    final CellTable cells = cursor.begin();
                    try {
                        cursor.open(cells.cellOf(p), now, now + 48 * 60, now);
                        // A reader that began before several moves may see the same slot twice
                        // (copies in the cell it left and came back to): a search keeps one row
                        // per practitioner. What must never happen is no copy at all.
                        int found = 0;
                        final int start = Minutes.floor(T0.plus(Duration.ofHours(1 + p % 40)));
                        while (cursor.next()) {
                            if (cursor.practitioner() == p && cursor.state() == SlotDescriptor.STATE_FREE) {
                                if (cursor.startMinute() != start) {
                                    failures.add("practitioner " + p + " with a foreign start " + cursor.startMinute());
                                }
                                found++;
                            }
                        }
                        if (found == 0) {
                            failures.add("practitioner " + p + " seen without its slot");
                        }
                    } finally {
                        cursor.end();
                    }
                    searches.incrementAndGet();
                }
            }, "reader-" + t);
            reader.start();
            readers.add(reader);
        }
        started.await();
        for (int i = 0; i < 300 && failures.isEmpty(); i++) {
            index.updateDirectory(i % 2 == 0 ? there : back);
        }
        done.set(true);
        for (final Thread reader : readers) {
            reader.join();
        }
        assertThat(searches.get()).isPositive();
        assertThat(failures).isEmpty();
        assertThat(index.stats().liveSlots()).isEqualTo(count);
    }

    /**
     * Defect 12.3 under real threads: readers walk the whole live window while the writer's clock
     * runs an hour per snapshot, so buckets expire and their pages are reused all the time. Every
     * record a reader sees must be one life of a record: its practitioner in the cell it walks,
     * its duration and modality the ones that practitioner's slots have at that start.
     */
    @Test
    void readersNeverMixTwoLivesOfARecordWhilePagesAreReused() throws Exception {
        final int practitioners = 4;
        final SteppedClock clock = new SteppedClock(T0);
        final SlotIndex index = new SlotIndex(TestDirectories.paris(practitioners), clock);
        final AtomicBoolean done = new AtomicBoolean();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong records = new AtomicLong();
        final List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            final Thread reader = new Thread(() -> {
                final SlotCursor cursor = index.cursor();
                while (!done.get() && failures.size() < 5) {
                    final CellTable cells = cursor.begin();
                    try {
                        final int now = Minutes.floor(clock.instant());
                        for (int p = 0; p < practitioners; p++) {
                            final int cell = cells.cellOf(p);
                            cursor.open(cell, now - 60, now + 49 * 60, Integer.MIN_VALUE);
                            while (cursor.next()) {
                                final int q = cursor.practitioner();
                                if (q < 0 || q >= practitioners || cells.cellOf(q) != cell
                                    || cursor.endMinute() - cursor.startMinute() != duration(q, cursor.startMinute())
                                    || cursor.modalities() != modality(q)) {
                                    failures.add("mixed record: practitioner " + q + " start " + cursor.startMinute()
                                        + " duration " + (cursor.endMinute() - cursor.startMinute()));
                                }
                                records.incrementAndGet();
                            }
                        }
                    } finally {
                        cursor.end();
                    }
                }
            }, "reader-" + t);
            reader.start();
            readers.add(reader);
        }
        for (int hour = 0; hour < 3_000 && failures.isEmpty(); hour++) {
            final Instant now = T0.plus(Duration.ofHours(hour));
            clock.set(now);
            for (int p = 0; p < practitioners; p++) {
                final List<SlotRecord> slots = new ArrayList<>();
                for (int h = 0; h < 48; h += 3) {
                    final Instant start = now.plus(Duration.ofHours(h)).plus(Duration.ofMinutes(5 * p));
                    slots.add(new SlotRecord("m", p, start, start.plus(Duration.ofMinutes(duration(p, Minutes.floor(start))))
                        , modality(p), Visibility.PUBLIC, SOURCE, null));
                }
                index.replace(SOURCE, p, slots);
            }
        }
        done.set(true);
        for (final Thread reader : readers) {
            reader.join();
        }
        assertThat(records.get()).isPositive();
        assertThat(failures).isEmpty();
    }

    /** A duration that depends on the practitioner and the start, so a mixed read shows. */
    private static int duration(final int practitioner, final int startMinute) {
        return 10 + (practitioner * 7 + startMinute / 60) % 13;
    }

    private static int modality(final int practitioner) {
        return 1 << (practitioner % 3);
    }
}
