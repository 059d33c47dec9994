package fr.creneau.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simplest possible {@link SlotSink}: a sorted map of lists on the heap. The reference that
 * tests compare the real index and the ingestion against.
 */
public final class HeapSlotSink implements SlotSink {
    private final TreeMap<Long, List<SlotRecord>> slots = new TreeMap<>();

    private static long key(final int source, final int practitioner) {
        return ((long) practitioner << 8) | source;
    }

    @Override
    public boolean replace(final int source, final int practitioner, final List<SlotRecord> next) {
        final List<SlotRecord> copy = List.copyOf(next);
        final List<SlotRecord> previous = copy.isEmpty()
            ? slots.remove(key(source, practitioner))
            : slots.put(key(source, practitioner), copy);
        return !(previous == null ? copy.isEmpty() : previous.equals(copy));
    }

    /** Every slot, by practitioner then source then start. */
    public List<SlotRecord> all() {
        final List<SlotRecord> all = new ArrayList<>();
        for (final List<SlotRecord> list : slots.values()) {
            all.addAll(list);
        }
        return all;
    }

    /** Slot ids of one practitioner, all sources. */
    public List<String> ids(final int practitioner) {
        final List<String> ids = new ArrayList<>();
        for (final Map.Entry<Long, List<SlotRecord>> e : slots.entrySet()) {
            if ((e.getKey() >>> 8) == practitioner) {
                for (final SlotRecord s : e.getValue()) {
                    ids.add(s.id());
                }
            }
        }
        return ids;
    }
}
