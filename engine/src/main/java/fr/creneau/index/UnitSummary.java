package fr.creneau.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per unit (practitioner at one site) and modality, the ring positions (hour buckets, see
 * {@link SlotIndex}) that may hold a free slot of that modality: one {@code long} each, bit
 * {@code bucket % 52}. What lets a query rank a cell's practitioners by reading a few hundred
 * compact words instead of every slot record of the cell, and read records only for the
 * candidates that can still make the rows.
 *
 * <p><b>Layout.</b> One {@code long[]} of {@code 3 × units} words, modality-major
 * ({@code modality index × units + e}, {@link fr.creneau.feed.Modality#bit()}'s bit number):
 * 24 B a unit, on the heap, indexed by the unit's {@link CellTable#entryOf entry} (group order:
 * a cell's words of the query's modality are one contiguous run, 8 B a unit, read by a search). A summary belongs to one cell table (it is built with it, and a directory change builds the next
 * table's from this one: {@link SlotIndex#updateDirectory}).
 *
 * <p><b>Invariant (the only one readers rely on).</b> If a record of unit {@code u} in bucket
 * {@code b} is FREE, of modality {@code m}, and was so when a reader began, then bit
 * {@code b % 52} of word {@code (u, m)} is set when that reader reads it. The converse does not
 * hold: a bit may be <em>stale</em> (set although the records of that hour are held, booked, gone
 * or ended), and a reader that finds one reads the records of that (cell, hour) chain and moves on
 * to the next bit. A bit is set:
 * <ul>
 *   <li>by the writer when it publishes a record ({@link SlotIndex} insert: after the chain head's
 *       release store, before the snapshot's removal sequence is raised, so a reader that sees
 *       the sequence, and so the removal of the old records, also sees the new records' bits);</li>
 *   <li>by any thread that moves a record back to FREE ({@link SlotIndex#casState},
 *       {@link SlotIndex#retire}), after its CAS, with an atomic OR (a reader that begins after the
 *       release sees it).</li>
 * </ul>
 * A bit is cleared only by the writer: when a bucket expires (the whole ring position, before it
 * is reused) and when a snapshot removed records of the unit: the unit's words are then
 * recomputed from its records that are not GONE: HELD and BOOKED ones included, because a
 * booking thread may free them at any moment and its OR could land before the writer's store. A
 * GONE record never becomes FREE again (the index writes a new record instead), so the recomputed
 * words never lose a bit a release needs.
 *
 * <p>Thread-safety: words are read with acquire, OR'ed with {@code getAndBitwiseOr} (any thread),
 * stored with release (writer). Lock-free; nothing allocated after construction.
 */
public final class UnitSummary {
    /** Modalities summarised (bits 0..2 of a record's modality set). */
    public static final int MODALITIES = 3;
    /** Ring positions of the index (hour buckets modulo this). */
    public static final int RING = SlotIndex.RING;
    /** The ring positions a word can name (bits 0..51). */
    public static final long RING_MASK = (1L << SlotIndex.RING) - 1;
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] words;
    private final int units;
    /**
     * Per cell and modality, a superset of its units' words (OR'ed with them, cleared only when an
     * hour expires): a search skips a cell with no hour of its window (a night, a quiet
     * district) without reading its units. 24 B a cell.
     */
    private final long[] cellWords;

    /**
     * Per group ({@link CellTable}'s resolution-7 parents) and modality, a superset of its cells'
     * words (OR'ed with them, cleared only when an hour expires): a walk passes over a group with
     * no hour of the window without expanding it (a night: no group of France has a free slot,
     * and the widening would otherwise bound every fine cell of Paris). Group ids are this
     * table's own: a new table derives its group words from the cell words it carries. 24 B a group.
     */
    private final long[] groupWords;
    /** The table's group of each cell (-1: none), shared with it, never written. */
    private final int[] cellGroup;

    UnitSummary(final int units, final int cells, final int[] cellGroup, final int groups) {
        this.cellGroup = cellGroup;
        this.groupWords = new long[Math.multiplyExact(groups, MODALITIES)];
        this.units = units;
        this.words = new long[Math.multiplyExact(units, MODALITIES)];
        this.cellWords = new long[Math.multiplyExact(cells, MODALITIES)];
    }

    /** Units summarised. */
    public int units() {
        return units;
    }

    /**
     * Ring positions (bit {@code bucket % 52}) where the unit of entry {@code u} may have a free slot of the
     * modality with bit number {@code modality} (0 office, 1 teleconsultation, 2 home visit).
     * Any thread; acquire, so that the records whose publication set a bit are visible after it.
     */
    public long word(final int u, final int modality) {
        return (long) WORD.getAcquire(words, modality * units + u);
    }

    /**
     * The OR of the words of cell {@code cell}'s units for modality {@code modality}, or more
     * (same invariant as {@link #word}, for any unit of the cell). Any thread; acquire.
     */
    public long cellWord(final int cell, final int modality) {
        return (long) WORD.getAcquire(cellWords, cell * MODALITIES + modality);
    }

    /**
     * Sets the bit of ring position {@code position} for every modality in {@code modalities}, in
     * the unit's words and then in its cell's (a reader that reads the cell word, then the unit's,
     * finds both set once this returns). Any thread.
     */
    void add(final int u, final int cell, final int modalities, final int position) {
        final long bit = 1L << position;
        for (int m = 0; m < MODALITIES; m++) {
            if ((modalities & (1 << m)) != 0) {
                if (((long) WORD.getAcquire(words, m * units + u) & bit) == 0) {
                    WORD.getAndBitwiseOr(words, m * units + u, bit);
                }
                if (cell >= 0 && ((long) WORD.getAcquire(cellWords, cell * MODALITIES + m) & bit) == 0) {
                    WORD.getAndBitwiseOr(cellWords, cell * MODALITIES + m, bit);
                }
                final int g = cell >= 0 && cell < cellGroup.length ? cellGroup[cell] : -1;
                if (g >= 0 && ((long) WORD.getAcquire(groupWords, g * MODALITIES + m) & bit) == 0) {
                    WORD.getAndBitwiseOr(groupWords, g * MODALITIES + m, bit);
                }
            }
        }
    }

    /** Replaces unit {@code u}'s word of modality {@code m} (writer only: see the class comment). */
    void store(final int u, final int m, final long word) {
        WORD.setRelease(words, m * units + u, word);
    }

    /** ORs {@code word} into unit {@code u}'s word of modality {@code m}. */
    void or(final int u, final int m, final long word) {
        if (word != 0 && ((long) WORD.getAcquire(words, m * units + u) & word) != word) {
            WORD.getAndBitwiseOr(words, m * units + u, word);
        }
    }

    /** ORs every cell word of {@code from} (cell ids are stable across tables) into this one's. */
    void orCells(final UnitSummary from) {
        final int n = Math.min(from.cellWords.length, cellWords.length);
        for (int i = 0; i < n; i++) {
            final long w = (long) WORD.getAcquire(from.cellWords, i);
            if (w != 0 && ((long) WORD.getAcquire(cellWords, i) & w) != w) {
                WORD.getAndBitwiseOr(cellWords, i, w);
            }
            final int cell = i / MODALITIES;
            final int g = cell < cellGroup.length ? cellGroup[cell] : -1;
            final int gi = g * MODALITIES + i % MODALITIES;
            if (w != 0 && g >= 0 && ((long) WORD.getAcquire(groupWords, gi) & w) != w) {
                WORD.getAndBitwiseOr(groupWords, gi, w);
            }
        }
    }

    /**
     * The OR of the words of group {@code group}'s cells for modality {@code modality}, or more
     * (same invariant as {@link #word}, for any unit of the group). Any thread; acquire.
     */
    public long groupWord(final int group, final int modality) {
        return (long) WORD.getAcquire(groupWords, group * MODALITIES + modality);
    }

    /** Clears ring position {@code position} in every word: its bucket expired (writer only). */
    void clearPosition(final int position) {
        final long bit = 1L << position;
        for (int i = 0; i < words.length; i++) {
            if (((long) WORD.getOpaque(words, i) & bit) != 0) {
                WORD.getAndBitwiseAnd(words, i, ~bit);
            }
        }
        for (int i = 0; i < cellWords.length; i++) {
            if (((long) WORD.getOpaque(cellWords, i) & bit) != 0) {
                WORD.getAndBitwiseAnd(cellWords, i, ~bit);
            }
        }
        for (int i = 0; i < groupWords.length; i++) {
            if (((long) WORD.getOpaque(groupWords, i) & bit) != 0) {
                WORD.getAndBitwiseAnd(groupWords, i, ~bit);
            }
        }
    }

    /** Heap bytes. */
    long heapBytes() {
        return 32 + 8L * words.length + 8L * cellWords.length + 8L * groupWords.length;
    }
}
