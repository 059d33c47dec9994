package fr.creneau.rank;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import fr.creneau.index.CellTable;

/**
 * The ring tables of the patient squares searched lately ({@link RingTable}), shared by every
 * {@link Searcher} of one index: a set-associative cache in an {@link AtomicReferenceArray}, each
 * key in one of two sets of eight ways.
 *
 * <p>Why shared and why this shape. A call centre's patients fall in a few thousand squares of its
 * territory, a national deployment's in tens of thousands; one cache per searching thread would
 * hold each table once per thread and thrash sooner. A key that keeps missing has its 60 km
 * table rebuilt (h3's disk, every group in it measured and sorted) each time it comes back, so
 * sets must not overflow while the cache is far from full. Two ways measurably thrashed (3,842
 * rural patient cells in 16,384 two-way entries missed 8% of lookups); eight ways in one set
 * still left three sets of nine keys among the benchmark's 4,000 rural squares, 27 tables rebuilt
 * every pass; with two candidate sets a key misses only when both are full (RingTablesTest). A
 * lookup is at most sixteen volatile reads of keys and comparisons, allocates nothing, and takes
 * no lock; a miss builds the table (h3's {@code gridDiskDistances} allocates then, once) and
 * publishes it with a volatile write in place of an empty or stale entry of either set, else the
 * oldest of the two. Tables are immutable, so a racing reader sees either the old entry or the
 * new one, both valid; two threads missing on the same square at once both build it (harmless,
 * rare), and two writes racing on one entry may leave a key beside another square's table: that
 * entry then only misses until it is replaced.
 *
 * <p>Memory: a table holds 16 bytes per occupied group within {@link RankingConfig#ringTableRadiusKm()}
 * of its patient square: ~7 KiB in the countryside, ~53 KiB around Paris.
 *
 * <p>Thread-safe.
 */
public final class RingTables {
    private static final int WAYS = 8;
    private final AtomicReferenceArray<RingTable> entries;
    /**
     * Each entry's square, or -1: a lookup scans a set's keys (one or two cache lines) and reads
     * only the table whose key matches, where comparing each entry's own field read up to eight
     * tables, each a line elsewhere on the heap (4.7% of a countryside query's samples). Written
     * after its entry; a reader that matches a key checks the table's own square and cell table,
     * so a key and an entry of two different writes (a race) read as a miss, never a wrong table.
     */
    private final AtomicLongArray keys;
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
        this.keys = new AtomicLongArray(size);
        for (int i = 0; i < size; i++) {
            keys.set(i, -1);
        }
        this.mask = size - 1;
        this.radiusKm = radiusKm;
    }

    /**
     * The table of the patient square holding ({@code lat}, {@code lon}) over {@code cells}, built
     * on a miss. Any thread.
     */
    RingTable get(final double lat, final double lon, final CellTable cells) {
        return get(RingTable.squareOf(lat, lon), cells);
    }

    /** The table of {@code square} ({@link RingTable#squareOf}) over {@code cells}, built on a miss. Any thread. */
    RingTable get(final long square, final CellTable cells) {
        final long h = mix(square);
        final int first = (int) h & mask & ~(WAYS - 1);
        final int second = (int) (h >>> 32) & mask & ~(WAYS - 1);
        RingTable t = find(first, square, cells);
        if (t == null && (t = find(second, square, cells)) == null) {
            misses.incrementAndGet();
            t = RingTable.build(square, cells, radiusKm);
            final int victim = victim(first, second, cells);
            entries.set(victim, t);
            keys.set(victim, square);
        }
        return t;
    }

    private RingTable find(final int set, final long square, final CellTable cells) {
        for (int i = set; i < set + WAYS; i++) {
            if (keys.get(i) == square) {
                final RingTable t = entries.get(i);
                if (t != null && t.square == square && t.cells == cells) {
                    return t;
                }
            }
        }
        return null;
    }

    /** An empty or stale entry of either set, else the older of the two sets' oldest. */
    private int victim(final int first, final int second, final CellTable cells) {
        int victim = first;
        long oldest = Long.MAX_VALUE;
        for (int k = 0; k < 2 * WAYS; k++) {
            final int i = (k < WAYS ? first : second - WAYS) + k;
            final RingTable t = entries.get(i);
            if (t == null || t.cells != cells) {
                return i;
            }
            if (t.builtAt < oldest) {
                oldest = t.builtAt;
                victim = i;
            }
        }
        return victim;
    }

    /** Tables built since this cache was created (misses). */
    public long builds() {
        return misses.get();
    }

    /** Number of entries. */
    public int capacity() {
        return mask + 1;
    }

    /** Murmur3's 64-bit finaliser: the two sets come from its two halves. */
    private static long mix(final long square) {
        long h = square;
        h = (h ^ (h >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        h = (h ^ (h >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return h ^ (h >>> 33);
    }
}
