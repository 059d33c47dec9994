package fr.creneau.rank;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.Modality;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.Visibility;
import fr.creneau.index.SlotDescriptor;
import fr.creneau.index.SlotIndex;
import fr.creneau.index.TestDirectories;
import fr.creneau.slot.Minutes;

/**
 * Real threads against the searcher's use of the free-hours summary ({@code UnitSummary}): step 2
 * reads a unit's records only where its summary says an hour may hold a free slot, so a bit
 * missing while a slot is free hides the slot. A booking thread holds and releases practitioner
 * 0's 11:00 slot while the writer thread keeps replacing practitioner 0's snapshots (each removal
 * recomputes its summary, also while the slot is held) and switching between two directories
 * (each publishes a new table whose summary is carried over), and a reader thread searches all
 * along:
 * <ul>
 *   <li>a search the booking thread starts after its hold never shows the held slot;</li>
 *   <li>one it starts after its release always does (it is practitioner 0's earliest);</li>
 *   <li>the reader always finds practitioner 0 with one of their slots: a snapshot swaps a
 *       12:00 slot for a 16:00 one and back, and a search sees the old one, or the new one,
 *       never neither.</li>
 * </ul>
 */
class SummaryRaceTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Instant S = T0.plus(Duration.ofHours(2));
    private static final Instant A = T0.plus(Duration.ofHours(3));
    private static final Instant B = T0.plus(Duration.ofHours(7));
    private static final Instant C = T0.plus(Duration.ofHours(9));
    private static final int ROUNDS = 4_000;

    private static SlotRecord slot(final int practitioner, final int source, final Instant start) {
        return new SlotRecord("s", practitioner, start, start.plus(Duration.ofMinutes(20)), Modality.OFFICE.bit(),
            Visibility.PUBLIC, source, null);
    }

    /** Practitioner 0's row start in the results, or -1 when they have no row. */
    private static int startOf0(final SearchResults r) {
        for (int i = 0; i < r.size(); i++) {
            if (r.practitioner(i) == 0 && r.hasSlot(i)) {
                return r.startMinute(i);
            }
        }
        return -1;
    }

    @Test
    void holdsReleasesSnapshotsAndDirectoryChangesNeverHideAFreeSlot() throws Exception {
        final Directory one = TestDirectories.paris(12);
        // The other directory moves practitioner 11 to practitioner 5's place: a new table each time.
        final Practitioner five = one.get(5);
        final Directory.Builder b = Directory.builder(one);
        for (int i = 0; i < one.capacity(); i++) {
            b.add(i == 11 ? TestDirectories.gp(11, five.lat(), five.lon()) : one.get(i));
        }
        final Directory two = b.build();
        final SlotIndex index = new SlotIndex(one, Clock.fixed(T0, ZoneOffset.UTC));
        for (int p = 0; p < 12; p++) {
            index.replace(1, p, p == 0 ? List.of(slot(0, 1, S), slot(0, 1, A)) : List.of(slot(p, 1, T0.plusSeconds(3600L * p))));
        }
        final int s = Minutes.floor(S);
        final int record = index.findSlot(0, 1, s);
        final Practitioner zero = one.get(0);
        final AtomicBoolean done = new AtomicBoolean();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong writes = new AtomicLong();
        final AtomicLong reads = new AtomicLong();

        final Thread writer = new Thread(() -> {
            int i = 0;
            try {
                while (!done.get()) {
                    // S always listed (its record kept, so the booking thread's record stays the
                    // one); A and B swapped: each replacement removes one and recomputes the summary.
                    index.replace(1, 0, List.of(slot(0, 1, S), slot(0, 1, i % 2 == 0 ? B : A)));
                    index.replace(2, 0, i % 3 == 0 ? List.of(slot(0, 2, C)) : List.of());
                    if (i % 16 == 0) {
                        index.updateDirectory(i % 32 == 0 ? two : one);
                    }
                    writes.incrementAndGet();
                    i++;
                }
            } catch (final RuntimeException | Error e) {
                failures.add("writer: " + e);
            }
        }, "writer");
        final Thread reader = new Thread(() -> {
            final Searcher searcher = new Searcher(index, VendorRegistry.defaults(), RankingConfig.DEFAULTS);
            final RegulatorQuery q = new RegulatorQuery();
            final SearchResults r = new SearchResults();
            while (!done.get()) {
                searcher.search(q.reset().patient(zero.lat(), zero.lon()).now(T0).windowMinutes(48 * 60)
                    .modality(Modality.OFFICE).limit(20), r);
                final int start = startOf0(r);
                if (start != s && start != Minutes.floor(A) && start != Minutes.floor(B) && start != Minutes.floor(C)) {
                    failures.add("reader: practitioner 0 at " + start);
                }
                reads.incrementAndGet();
            }
        }, "reader");
        writer.start();
        reader.start();
        final Searcher searcher = new Searcher(index, VendorRegistry.defaults(), RankingConfig.DEFAULTS);
        final RegulatorQuery q = new RegulatorQuery();
        final SearchResults r = new SearchResults();
        try {
            for (int round = 0; round < ROUNDS && failures.isEmpty(); round++) {
                final int word = index.stateWord(record);
                assertThat(SlotDescriptor.state(word)).isEqualTo(SlotDescriptor.STATE_FREE);
                assertThat(index.casState(record, word, SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD)))
                    .isTrue();
                searcher.search(q.reset().patient(zero.lat(), zero.lon()).now(T0).windowMinutes(48 * 60)
                    .modality(Modality.OFFICE).limit(20), r);
                if (startOf0(r) == s) {
                    failures.add("round " + round + ": the held slot was proposed");
                }
                final int held = index.stateWord(record);
                assertThat(index.retire(record, held)).isTrue();
                searcher.search(q.reset().patient(zero.lat(), zero.lon()).now(T0).windowMinutes(48 * 60)
                    .modality(Modality.OFFICE).limit(20), r);
                if (startOf0(r) != s) {
                    failures.add("round " + round + ": the released slot is missing, practitioner 0 at " + startOf0(r));
                }
            }
        } finally {
            done.set(true);
            writer.join(TimeUnit.SECONDS.toMillis(30));
            reader.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(failures).isEmpty();
        assertThat(writes.get()).isPositive();
        assertThat(reads.get()).isPositive();
    }
}
