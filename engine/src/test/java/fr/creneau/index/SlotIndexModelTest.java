package fr.creneau.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import fr.creneau.directory.Directory;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.Visibility;
import fr.creneau.slot.Minutes;

/**
 * Random sequences of snapshot replacement, clock advance, hold and query, run against the
 * off-heap index and a naive on-heap model: every query must return exactly what the model does.
 */
class SlotIndexModelTest {
    private static final Instant T0 = Instant.parse("2026-10-24T20:00:00Z"); // DST change within 48 h
    private static final int PRACTITIONERS = 12;

    sealed interface Op permits Replace, Advance, Hold, Query {
    }

    /** Slots as (offset from now in minutes, duration, modality bit, professional). */
    record Replace(int source, int practitioner, List<int[]> slots) implements Op {
        @Override
        public String toString() {
            final StringBuilder sb = new StringBuilder("Replace(" + source + ", " + practitioner + ", [");
            for (final int[] s : slots) {
                sb.append(s[0]).append('+').append(s[1]).append(' ');
            }
            return sb.append("])").toString();
        }
    }

    record Advance(int minutes) implements Op {
    }

    record Hold(int source, int practitioner, int nth) implements Op {
    }

    record Query(int practitioner, int fromOffset, int length) implements Op {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        final Arbitrary<int[]> slot = Combinators.combine(
            Arbitraries.integers().between(-120, 50 * 60), Arbitraries.integers().between(5, 90),
            Arbitraries.integers().between(0, 2), Arbitraries.of(0, 1))
            .as((offset, duration, modality, pro) -> new int[] {offset, duration, 1 << modality, pro});
        final Arbitrary<Op> replace = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, PRACTITIONERS - 1), slot.list().ofMaxSize(12))
            .as(Replace::new);
        final Arbitrary<Op> advance = Arbitraries.integers().between(0, 600).map(Advance::new);
        final Arbitrary<Op> hold = Combinators.combine(Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, PRACTITIONERS - 1), Arbitraries.integers().between(0, 5)).as(Hold::new);
        final Arbitrary<Op> query = Combinators.combine(Arbitraries.integers().between(0, PRACTITIONERS - 1),
            Arbitraries.integers().between(-60, 48 * 60), Arbitraries.integers().between(1, 49 * 60)).as(Query::new);
        return Arbitraries.frequencyOf(Tuple.of(5, replace), Tuple.of(2, advance), Tuple.of(1, hold), Tuple.of(4, query))
            .list().ofMinSize(1).ofMaxSize(60);
    }

    /** What the model keeps per slot. */
    record ModelSlot(int start, int duration, int modalities, boolean professional, boolean held) {
    }

    @Property(tries = 300)
    void theIndexAnswersExactlyLikeTheModel(@ForAll("ops") final List<Op> ops) {
        final SteppedClock clock = new SteppedClock(T0);
        final Directory directory = TestDirectories.paris(PRACTITIONERS);
        final SlotIndex index = new SlotIndex(directory, clock);
        final SlotCursor cursor = index.cursor();
        final Map<Long, TreeMap<Integer, ModelSlot>> model = new HashMap<>();

        for (final Op op : ops) {
            final int now = Minutes.floor(clock.instant());
            final int nowBucket = Minutes.bucket(now);
            if (op instanceof Advance a) {
                clock.advance(Duration.ofMinutes(a.minutes()));
            } else if (op instanceof Replace r) {
                final List<SlotRecord> records = sanitize(r, clock.instant());
                index.replace(r.source(), r.practitioner(), records);
                final long key = key(r.source(), r.practitioner());
                final TreeMap<Integer, ModelSlot> before = model.getOrDefault(key, new TreeMap<>());
                final TreeMap<Integer, ModelSlot> after = new TreeMap<>();
                for (final ModelSlot held : before.values()) {
                    if (held.held() && Minutes.bucket(held.start()) >= nowBucket - 1) {
                        after.put(held.start(), held); // held slots survive any snapshot
                    }
                }
                for (final SlotRecord s : records) {
                    final int start = Minutes.floor(s.start());
                    final int bucket = Minutes.bucket(start);
                    if (bucket < nowBucket - 1 || bucket > nowBucket + 49 || after.containsKey(start)) {
                        continue;
                    }
                    after.put(start, new ModelSlot(start, Minutes.ceil(s.end()) - start, s.modalities(),
                        s.visibility() == Visibility.PROFESSIONAL, false));
                }
                model.put(key, after);
            } else if (op instanceof Hold h) {
                final TreeMap<Integer, ModelSlot> slots = model.get(key(h.source(), h.practitioner()));
                if (slots == null || slots.isEmpty()) {
                    continue;
                }
                final List<ModelSlot> list = new ArrayList<>(slots.values());
                final ModelSlot target = list.get(h.nth() % list.size());
                if (target.held() || Minutes.bucket(target.start()) < nowBucket - 1) {
                    continue;
                }
                final int record = index.findSlot(h.practitioner(), h.source(), target.start());
                assertThat(record).as("model slot %s is in the index", target).isNotNegative();
                final int word = index.stateWord(record);
                assertThat(index.casState(record, word, SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD))).isTrue();
                slots.put(target.start(), new ModelSlot(target.start(), target.duration(), target.modalities(),
                    target.professional(), true));
            } else if (op instanceof Query q) {
                final int from = now + q.fromOffset();
                final int to = from + q.length();
                final int cell = index.cells().cellOf(q.practitioner());
                final TreeSet<String> expected = new TreeSet<>();
                for (final Map.Entry<Long, TreeMap<Integer, ModelSlot>> e : model.entrySet()) {
                    final int practitioner = (int) (e.getKey() >>> 8);
                    final int source = (int) (e.getKey() & 0xFF);
                    if (index.cells().cellOf(practitioner) != cell) {
                        continue;
                    }
                    for (final ModelSlot s : e.getValue().values()) {
                        if (s.start() >= from && s.start() < to && s.start() + s.duration() > now) {
                            expected.add(describe(practitioner, source, s.start(), s.duration(), s.modalities(),
                                s.professional(), s.held()));
                        }
                    }
                }
                final TreeSet<String> actual = new TreeSet<>();
                cursor.open(cell, from, to, now);
                while (cursor.next()) {
                    actual.add(describe(cursor.practitioner(), cursor.source(), cursor.startMinute(),
                        cursor.endMinute() - cursor.startMinute(), cursor.modalities(), cursor.professional(),
                        cursor.state() == SlotDescriptor.STATE_HELD));
                }
                assertThat(actual).as("query %s at %s", q, clock.instant()).isEqualTo(expected);
            }
        }
        long live = 0;
        final int oldest = Minutes.bucket(Minutes.floor(clock.instant())) - 1;
        index.advance();
        for (final TreeMap<Integer, ModelSlot> slots : model.values()) {
            for (final ModelSlot s : slots.values()) {
                if (Minutes.bucket(s.start()) >= oldest) {
                    live++;
                }
            }
        }
        assertThat(index.stats().liveSlots()).isEqualTo(live);
    }

    private static String describe(final int practitioner, final int source, final int start, final int duration,
                                   final int modalities, final boolean professional, final boolean held) {
        return practitioner + "/" + source + "@" + start + "+" + duration + " m" + modalities
            + (professional ? " pro" : "") + (held ? " held" : "");
    }

    private static long key(final int source, final int practitioner) {
        return ((long) practitioner << 8) | source;
    }

    /** The sink contract: sorted by start, not overlapping (the validator guarantees it upstream). */
    private static List<SlotRecord> sanitize(final Replace r, final Instant now) {
        final List<int[]> sorted = new ArrayList<>(r.slots());
        sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
        final List<SlotRecord> out = new ArrayList<>();
        int lastEnd = Integer.MIN_VALUE;
        for (final int[] s : sorted) {
            if (s[0] < lastEnd) {
                continue;
            }
            lastEnd = s[0] + s[1];
            out.add(new SlotRecord("p", r.practitioner(), now.plus(Duration.ofMinutes(s[0])),
                now.plus(Duration.ofMinutes(s[0] + s[1])), s[2], s[3] == 1 ? Visibility.PROFESSIONAL : Visibility.PUBLIC,
                r.source(), null));
        }
        return out;
    }

}
