package fr.creneau.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.agrona.collections.Long2LongHashMap;

/**
 * The practitioners Créneau knows, each with a dense {@code int} index that the off-heap slot
 * index stores instead of the RPPS.
 *
 * <p><b>Indices are stable across reloads.</b> A directory built from a previous one
 * ({@link #builder(Directory)}) keeps every known RPPS at its index, appends newcomers, and leaves
 * a hole ({@link #get(int)} returns {@code null}) where a practitioner left: slots already indexed
 * under that index then resolve to nobody and are never shown. A practitioner who comes back gets
 * its index back (the directory remembers where those who left were): a slot held or booked
 * when it left is still its record, so the next snapshot finds it rather than writing a second,
 * free record of a taken slot (found by the engine simulation).
 *
 * <p>Immutable and thread-safe once built; a host swaps whole directories.
 */
public final class Directory {
    private static final long MISSING = -1L;

    private final Practitioner[] byIndex;
    private final Long2LongHashMap indexByRpps;
    private final int live;
    /** RPPS to index of the practitioners who left (their holes), for when they come back. */
    private final Map<Long, Integer> departed;
    /** Structures by id, in the order they were added. */
    private final Map<String, Structure> structures;

    private Directory(final Practitioner[] byIndex, final Long2LongHashMap indexByRpps, final int live,
                      final Map<Long, Integer> departed, final Map<String, Structure> structures) {
        this.byIndex = byIndex;
        this.indexByRpps = indexByRpps;
        this.live = live;
        this.departed = departed;
        this.structures = structures;
    }

    public static Builder builder() {
        return new Builder(null);
    }

    /** A builder that keeps the indices of {@code previous} for the RPPS it still lists. */
    public static Builder builder(final Directory previous) {
        return new Builder(Objects.requireNonNull(previous, "previous"));
    }

    /** Number of index positions, holes included: valid indices are {@code 0..capacity()-1}. */
    public int capacity() {
        return byIndex.length;
    }

    /** Number of practitioners present. */
    public int size() {
        return live;
    }

    /** The practitioner at {@code index}, or {@code null} for a hole or an index out of range. */
    public Practitioner get(final int index) {
        return index >= 0 && index < byIndex.length ? byIndex[index] : null;
    }

    /** Index of the practitioner with that RPPS, or -1. Allocation-free. */
    public int indexOf(final long rpps) {
        final long index = indexByRpps.get(rpps);
        return index == MISSING ? -1 : (int) index;
    }

    /** The practitioner with that RPPS, or {@code null}. */
    public Practitioner byRpps(final long rpps) {
        final int index = indexOf(rpps);
        return index < 0 ? null : byIndex[index];
    }

    /** All present practitioners in index order. */
    public List<Practitioner> practitioners() {
        final List<Practitioner> list = new ArrayList<>(live);
        for (final Practitioner p : byIndex) {
            if (p != null) {
                list.add(p);
            }
        }
        return list;
    }

    /** The structure with that id, or {@code null}. */
    public Structure structure(final String id) {
        return structures.get(id);
    }

    /** All structures, in the order they were added. */
    public Collection<Structure> structures() {
        return structures.values();
    }

    /** Not thread-safe. */
    public static final class Builder {
        private final Directory previous;
        private final List<Practitioner> added = new ArrayList<>();
        private final Long2LongHashMap seen = new Long2LongHashMap(MISSING);
        private final Map<String, Structure> structures = new LinkedHashMap<>();

        private Builder(final Directory previous) {
            this.previous = previous;
        }

        /** {@code true} when a practitioner with this RPPS was already added to this builder. */
        public boolean contains(final long rpps) {
            return seen.containsKey(rpps);
        }

        /**
         * Adds a practitioner.
         *
         * @throws IllegalArgumentException when the RPPS was already added
         */
        public Builder add(final Practitioner p) {
            if (seen.containsKey(p.rpps())) {
                throw new IllegalArgumentException("duplicate RPPS " + p.rppsText());
            }
            seen.put(p.rpps(), added.size());
            added.add(p);
            return this;
        }

        /** {@code true} when a structure with this id was already added to this builder. */
        public boolean containsStructure(final String id) {
            return structures.containsKey(id);
        }

        /**
         * Adds a structure. Structures are not carried over from a previous directory: a reload
         * lists them all again.
         *
         * @throws IllegalArgumentException when the id was already added
         */
        public Builder addStructure(final Structure s) {
            if (structures.putIfAbsent(s.id(), s) != null) {
                throw new IllegalArgumentException("duplicate structure " + s.id());
            }
            return this;
        }

        public Directory build() {
            final int base = previous == null ? 0 : previous.byIndex.length;
            final Map<Long, Integer> departed = new HashMap<>();
            if (previous != null) {
                departed.putAll(previous.departed);
                for (int i = 0; i < previous.byIndex.length; i++) {
                    final Practitioner p = previous.byIndex[i];
                    if (p != null && !seen.containsKey(p.rpps())) {
                        departed.put(p.rpps(), i); // leaves now: its hole is kept for it
                    }
                }
            }
            int newcomers = 0;
            for (final Practitioner p : added) {
                if ((previous == null || previous.indexOf(p.rpps()) < 0) && !departed.containsKey(p.rpps())) {
                    newcomers++;
                }
            }
            final Practitioner[] byIndex = new Practitioner[base + newcomers];
            final Long2LongHashMap index = new Long2LongHashMap(Math.max(16, added.size() * 2), 0.65f, MISSING);
            int next = base;
            for (final Practitioner p : added) {
                int i = previous == null ? -1 : previous.indexOf(p.rpps());
                if (i < 0) {
                    final Integer back = departed.remove(p.rpps()); // comes back: its own index
                    i = back == null ? next++ : back;
                }
                byIndex[i] = p;
                index.put(p.rpps(), i);
            }
            return new Directory(byIndex, index, added.size(), departed,
                Collections.unmodifiableMap(new LinkedHashMap<>(structures)));
        }
    }

    @Override
    public String toString() {
        return "Directory{practitioners=" + live + ", capacity=" + byIndex.length + ", structures="
            + structures.size() + '}';
    }

}
