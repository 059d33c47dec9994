package fr.creneau.rank;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import fr.creneau.index.CellTable;

/**
 * The ring tables of the patient cells searched lately, shared by every {@link Searcher} of one
 * index: a two-way set-associative cache in an {@link AtomicReferenceArray}.
 *
 * <p>Why shared and why this shape. A call centre's patients fall in a few thousand cells of its
 * territory, a national deployment's in tens of thousands; one cache per searching thread would
 * hold each table once per thread and thrash sooner. A lookup is one or two volatile reads and a
 * comparison, allocates nothing, and takes no lock; a miss builds the table (h3's
 * {@code gridDiskDistances} allocates then, kilobytes, once) and publishes it with a volatile
 * write, replacing the older of the two candidate entries. Tables are immutable, so a racing
 * reader sees either the old entry or the new one, both valid; two threads missing on the same
 * cell at once both build it (harmless, rare).
 *
 * <p>Memory: a table holds 12 bytes per occupied cell within {@link RankingConfig#ringTableRadiusKm()}
 * of its patient cell: ~5 KiB in the countryside, ~40 KiB around Paris.
 *
 * <p>Thread-safe.
 */
public final class RingTables {
    private final AtomicReferenceArray<RingTable> entries;
    private final int mask;
    private final double radiusKm;
    private final AtomicLong misses = new AtomicLong();

    /**
     * @param capacity entries, rounded up to a power of two (at least 2)
     * @param radiusKm radius each table covers
     */
    public RingTables(final int capacity, final double radiusKm) {
        final int size = Math.max(2, Integer.highestOneBit(Math.max(2, capacity - 1)) << 1);
        this.entries = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
        this.radiusKm = radiusKm;
    }

    /** The table of {@code patientCell} over {@code cells}, built on a miss. Any thread. */
    RingTable get(final long patientCell, final CellTable cells) {
        final int first = index(patientCell);
        final int second = first ^ 1;
        final RingTable a = entries.get(first);
        if (a != null && a.patientCell == patientCell && a.cells == cells) {
            return a;
        }
        final RingTable b = entries.get(second);
        if (b != null && b.patientCell == patientCell && b.cells == cells) {
            return b;
        }
        misses.incrementAndGet();
        final RingTable built = RingTable.build(patientCell, cells, radiusKm);
        // Replace an empty or stale entry first, else the older of the two.
        final int victim = a == null || a.cells != cells ? first
            : b == null || b.cells != cells ? second
            : a.builtAt <= b.builtAt ? first : second;
        entries.set(victim, built);
        return built;
    }

    /** Tables built since this cache was created (misses). */
    public long builds() {
        return misses.get();
    }

    /** Number of entries. */
    public int capacity() {
        return mask + 1;
    }

    private int index(final long cell) {
        // Fibonacci hashing: H3 indexes share their high bits, the low ones vary.
        return (int) ((cell * 0x9E37_79B9_7F4A_7C15L) >>> 40) & mask & ~1;
    }
}
