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
 * hold each table once per thread and thrash sooner. Eight ways because two measurably thrashed:
 * 3,842 rural patient cells in 16,384 two-way entries still missed 8% of lookups (sets with three
 * keys or more evict each other every pass), each miss rebuilding a 60 km table. A lookup is at
 * most eight volatile reads and comparisons, allocates nothing, and takes no lock; a miss builds
 * the table (h3's {@code gridDiskDistances} allocates then, once) and publishes it with a volatile
 * write in place of an empty or stale entry of the set, else its oldest. Tables are immutable, so a racing
 * reader sees either the old entry or the new one, both valid; two threads missing on the same
 * cell at once both build it (harmless, rare).
 *
 * <p>Memory: a table holds 12 bytes per occupied cell within {@link RankingConfig#ringTableRadiusKm()}
 * of its patient cell: ~5 KiB in the countryside, ~40 KiB around Paris.
 *
 * <p>Thread-safe.
 */
public final class RingTables {
    private static final int WAYS = 8;
    private final AtomicReferenceArray<RingTable> entries;
    private final int mask;
    private final double radiusKm;
    private final AtomicLong misses = new AtomicLong();

    /**
     * @param capacity entries, rounded up to a power of two (at least 8)
     * @param radiusKm radius each table covers
     */
    public RingTables(final int capacity, final double radiusKm) {
        final int size = Math.max(WAYS, Integer.highestOneBit(Math.max(2, capacity - 1)) << 1);
        this.entries = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
        this.radiusKm = radiusKm;
    }

    /** The table of {@code patientCell} over {@code cells}, built on a miss. Any thread. */
    RingTable get(final long patientCell, final CellTable cells) {
        final int set = index(patientCell);
        for (int i = set; i < set + WAYS; i++) {
            final RingTable t = entries.get(i);
            if (t != null && t.patientCell == patientCell && t.cells == cells) {
                return t;
            }
        }
        misses.incrementAndGet();
        final RingTable built = RingTable.build(patientCell, cells, radiusKm);
        int victim = set;
        long oldest = Long.MAX_VALUE;
        for (int i = set; i < set + WAYS; i++) {
            final RingTable t = entries.get(i);
            if (t == null || t.cells != cells) {
                victim = i;
                break;
            }
            if (t.builtAt < oldest) {
                oldest = t.builtAt;
                victim = i;
            }
        }
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
        return (int) ((cell * 0x9E37_79B9_7F4A_7C15L) >>> 40) & mask & ~(WAYS - 1);
    }
}
