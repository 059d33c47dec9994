package fr.creneau.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * Real threads: one writer alternates two snapshots of the same practitioners while readers scan
 * the cell without pause. Readers must never see a torn record, nor a moment where a practitioner
 * shows neither the old nor the new snapshot.
 */
class SlotIndexConcurrencyTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final int ITERATIONS = 20_000;
    private static final int READERS = 3;

    /**
     * Snapshot A: a slot every hour at :00 for 20 min, OFFICE, PUBLIC. Snapshot B: every hour at
     * :30 for 25 min, TELECONSULTATION, PROFESSIONAL; both share the slots of hours divisible by 5
     * in A's shape. Every field is a function of the start minute, so a torn read cannot pass
     * {@link #consistent}.
     */
    private static List<SlotRecord> snapshot(final int practitioner, final boolean b) {
        final List<SlotRecord> list = new ArrayList<>();
        for (int h = 1; h < 48; h++) {
            final boolean shared = h % 5 == 0;
            if (!b || shared) {
                list.add(record(practitioner, h * 60, 20, Modality.OFFICE, Visibility.PUBLIC));
            }
            if (b && !shared) {
                list.add(record(practitioner, h * 60 + 30, 25, Modality.TELECONSULTATION, Visibility.PROFESSIONAL));
            }
        }
        return list;
    }

    private static SlotRecord record(final int p, final int offset, final int minutes, final Modality m,
                                     final Visibility v) {
        final Instant start = T0.plus(Duration.ofMinutes(offset));
        return new SlotRecord("c", p, start, start.plus(Duration.ofMinutes(minutes)), m.bit(), v, 3, null);
    }

    private static boolean consistent(final int offsetFromT0, final int duration, final int modalities,
                                      final boolean professional) {
        if (offsetFromT0 % 60 == 0) {
            return duration == 20 && modalities == Modality.OFFICE.bit() && !professional;
        }
        return offsetFromT0 % 60 == 30 && duration == 25 && modalities == Modality.TELECONSULTATION.bit()
            && professional;
    }

    @Test
    void readersNeverSeeATornRecordNorAPractitionerWithNeitherSnapshot() throws Exception {
        final Directory directory = TestDirectories.paris(4);
        final SteppedClock clock = new SteppedClock(T0);
        final SlotIndex index = new SlotIndex(directory, clock);
        final int practitioner = 0;
        final Set<Integer> startsA = starts(snapshot(practitioner, false));
        final Set<Integer> startsB = starts(snapshot(practitioner, true));
        index.replace(3, practitioner, snapshot(practitioner, false));

        final AtomicBoolean done = new AtomicBoolean();
        final AtomicLong scans = new AtomicLong();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> readers = new ArrayList<>();
        final int t0 = Minutes.floor(T0);
        for (int i = 0; i < READERS; i++) {
            final Thread reader = new Thread(() -> {
                final SlotCursor cursor = index.cursor();
                final int cell = index.cells().cellOf(practitioner);
                final Set<Integer> seen = new HashSet<>();
                awaitQuietly(start);
                while (!done.get() && failures.size() < 10) {
                    seen.clear();
                    cursor.open(cell, t0, t0 + 48 * 60, t0);
                    while (cursor.next()) {
                        if (cursor.practitioner() != practitioner) {
                            continue;
                        }
                        final int offset = cursor.startMinute() - t0;
                        if (!consistent(offset, cursor.endMinute() - cursor.startMinute(), cursor.modalities(),
                            cursor.professional())) {
                            failures.add("torn or foreign record at +" + offset);
                        }
                        seen.add(cursor.startMinute());
                    }
                    if (!seen.containsAll(startsA) && !seen.containsAll(startsB)) {
                        failures.add("saw neither snapshot: " + seen.size() + " slots");
                    }
                    scans.incrementAndGet();
                }
            }, "reader-" + i);
            reader.start();
            readers.add(reader);
        }
        start.countDown();
        for (int i = 0; i < ITERATIONS; i++) {
            index.replace(3, practitioner, snapshot(practitioner, i % 2 == 0));
        }
        done.set(true);
        for (final Thread reader : readers) {
            reader.join();
        }
        assertThat(failures).isEmpty();
        assertThat(scans.get()).isGreaterThan(READERS);
        // The writer's bookkeeping survived the race too: exactly the last snapshot is live.
        assertThat(index.stats().liveSlots()).isEqualTo(snapshot(practitioner, (ITERATIONS - 1) % 2 == 0).size());
    }

    private static Set<Integer> starts(final List<SlotRecord> slots) {
        final Set<Integer> set = new HashSet<>();
        for (final SlotRecord s : slots) {
            set.add(Minutes.floor(s.start()));
        }
        return set;
    }

    private static void awaitQuietly(final CountDownLatch latch) {
        try {
            latch.await();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
