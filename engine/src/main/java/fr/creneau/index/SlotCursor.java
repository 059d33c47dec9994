package fr.creneau.index;

import java.nio.ByteBuffer;

/**
 * A reader's flyweight over one (bucket, cell) chain of a {@link SlotIndex}: {@link #open}, then
 * {@link #next} until it returns {@code false}, reading the current record through the accessors.
 * Records marked GONE are skipped; free, held and booked ones are shown with their state.
 *
 * <p>One cursor per thread, reused for every chain: it allocates nothing after construction. Not
 * thread-safe; runs concurrently with the index's writer without locks. A record seen through the
 * cursor is never torn (fields are immutable once published); its state may change right after it
 * was read, which booking settles by compare-and-set.
 */
public final class SlotCursor {
    private final SlotIndex index;
    private ByteBuffer[] pages;
    private int bucket;
    private int next = SlotDescriptor.NIL;
    private int record = SlotDescriptor.NIL;
    private int stateWord;
    private int practitioner;
    private int start;
    private int packed;

    SlotCursor(final SlotIndex index) {
        this.index = index;
    }

    /**
     * Positions the cursor before the first record of the chain of {@code cellId} in
     * {@code bucket}. Returns {@code false} when that chain is empty.
     */
    public boolean open(final int cellId, final int bucket) {
        this.bucket = bucket;
        final long[] heads = index.headsForReaders();
        final int headIndex = cellId * SlotIndex.RING + (bucket & (SlotIndex.RING - 1));
        if (cellId < 0 || headIndex >= heads.length) {
            next = SlotDescriptor.NIL;
            return false;
        }
        final long head = (long) SlotIndex.HEAD.getAcquire(heads, headIndex);
        // Pages are read after the head: a head published after a page was added is seen with it.
        pages = index.pagesForReaders();
        next = (int) (head >>> 32) == bucket ? (int) head : SlotDescriptor.NIL;
        return next != SlotDescriptor.NIL;
    }

    /** Moves to the next record that is not GONE; {@code false} at the end of the chain. */
    public boolean next() {
        while (next != SlotDescriptor.NIL) {
            final int r = next;
            if (SlotDescriptor.page(r) >= pages.length) {
                pages = index.pagesForReaders();
            }
            final ByteBuffer b = pages[SlotDescriptor.page(r)];
            final int o = SlotDescriptor.offset(r);
            final int word = (int) SlotIndex.INT.getAcquire(b, o + SlotDescriptor.STATE_WORD_OFFSET);
            final int s = (int) SlotIndex.INT.get(b, o + SlotDescriptor.START_OFFSET);
            if (Minutes.bucket(s) != bucket) {
                // The bucket expired and its page was reused while we walked: nothing more here.
                next = SlotDescriptor.NIL;
                return false;
            }
            next = (int) SlotIndex.INT.get(b, o + SlotDescriptor.NEXT_IN_CELL_OFFSET);
            if (SlotDescriptor.state(word) == SlotDescriptor.STATE_GONE) {
                continue;
            }
            record = r;
            stateWord = word;
            start = s;
            practitioner = (int) SlotIndex.INT.get(b, o + SlotDescriptor.PRACTITIONER_OFFSET);
            packed = (int) SlotIndex.INT.get(b, o + SlotDescriptor.PACKED_OFFSET);
            return true;
        }
        return false;
    }

    /** Index of the current record (for {@link SlotIndex#casState}). */
    public int record() {
        return record;
    }

    /** State word as read (state and version). */
    public int stateWord() {
        return stateWord;
    }

    /** {@link SlotDescriptor#STATE_FREE} etc. */
    public int state() {
        return SlotDescriptor.state(stateWord);
    }

    public int practitioner() {
        return practitioner;
    }

    /** Start, minutes since 2020-01-01T00:00Z. */
    public int startMinute() {
        return start;
    }

    /** End, minutes since 2020-01-01T00:00Z. */
    public int endMinute() {
        return start + SlotDescriptor.duration(packed);
    }

    /** Set of {@link fr.creneau.feed.Modality#bit()}. */
    public int modalities() {
        return SlotDescriptor.modalities(packed);
    }

    /** {@code true} for a PROFESSIONAL slot, {@code false} for PUBLIC. */
    public boolean professional() {
        return SlotDescriptor.professional(packed);
    }

    /** Vendor id, or 0 for a manual slot. */
    public int source() {
        return SlotDescriptor.source(packed);
    }
}
