package fr.creneau.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import fr.creneau.slot.Minutes;

/**
 * A reader's flyweight over the slots of one cell in a time window of a {@link SlotIndex}:
 * {@link #open}, then {@link #next} until it returns {@code false}, reading the current record
 * through the accessors. It walks the (bucket, cell) chains of the buckets the window covers, and
 * shows the records that start in {@code [from, to)} and end after {@code notEndedAt}, in chain
 * order: within one bucket, the records of one unit in ascending start order (the
 * {@link SlotIndex}'s "Chain order"), units in no order a caller may rely on. Records marked
 * GONE are skipped, except those removed after the cursor was opened: they are shown as the free
 * slots they were when the read began (see {@code SlotIndex.removalSequence}). Held and booked records are shown with their state.
 *
 * <p>One cursor per thread, reused for every chain: it allocates nothing after construction. Not
 * thread-safe; runs concurrently with the index's writer without locks. A record seen through the
 * cursor is never torn (fields are immutable once published); its state may change right after it
 * was read, which booking settles by compare-and-set.
 */
public final class SlotCursor {
    /** Announced when no read is begun: blocks no page's reuse. */
    private static final long IDLE = Long.MAX_VALUE;
    private static final VarHandle ANNOUNCED;

    static {
        try {
            ANNOUNCED = MethodHandles.lookup().findVarHandle(SlotCursor.class, "announced", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        // next() reads (practitioner, start) as a pair: the layout must keep them adjacent.
        if (SlotDescriptor.START_OFFSET != SlotDescriptor.PRACTITIONER_OFFSET + 4) {
            throw new ExceptionInInitializerError("record layout: field pairs not adjacent");
        }
    }

    private final SlotIndex index;
    /**
     * The reclamation epoch this cursor began its read in, or {@link #IDLE}; read by the writer
     * (any time) before it reuses a freed page. Written by the owner thread only.
     */
    @SuppressWarnings("unused") // through ANNOUNCED
    private volatile long announced = IDLE;
    private ByteBuffer[] pages;
    private int[] heads;
    private int cellId;
    private int bucket;
    /** First minute of {@code bucket}: a record of the chain starts in [bucketStart, bucketStart + 60). */
    private int bucketStart;
    private int lastBucket;
    private int from;
    private int to;
    private int notEndedAt;
    private int sequence;
    /** Between {@link #begin} and {@link #end}: every {@link #open} keeps the sequence read by {@code begin}. */
    private boolean begun;
    private int next = SlotDescriptor.NIL;
    private int record = SlotDescriptor.NIL;
    private int stateWord;
    private int practitioner;
    private int start;
    private int packed;
    /** Records this cursor has read, for {@code QueryAnatomy} and the tests (owner thread only). */
    private long visited;

    SlotCursor(final SlotIndex index) {
        this.index = index;
    }

    /**
     * Starts a read of several cells that must agree with one cell table (a query): reads the
     * removal sequence, then the table, and keeps that sequence for every {@link #open} until
     * {@link #end}. Reading them in this order is what guarantees a practitioner moved by a
     * directory change is seen with its slots in one cell or the other (see
     * {@link SlotIndex#updateDirectory}); a table read before the sequence could be the previous
     * one while the sequence already hides the previous cell's records.
     *
     * <p>It also announces the reclamation epoch: until {@link #end}, no page this read may reach
     * is written again (see {@link SlotDescriptor}). Always pair it with {@code end()} (in a
     * {@code finally}): a cursor left begun keeps the memory of every hour that expires after it.
     *
     * @return the cell table to resolve the read's practitioners and cells against
     */
    public CellTable begin() {
        // Announce, then check the epoch did not move meanwhile: if it did, the writer may have
        // scanned the announcements before ours was visible, so announce the new one. Once the
        // re-read agrees, any page the writer frees from now on waits for our end().
        long e = index.epochForReaders();
        while (true) {
            ANNOUNCED.setVolatile(this, e);
            final long again = index.epochForReaders();
            if (again == e) {
                break;
            }
            e = again;
        }
        this.sequence = index.removalSequenceForReaders();
        this.begun = true;
        return index.cells();
    }

    /** Ends a read started by {@link #begin}: later opens read the removal sequence afresh. */
    public void end() {
        this.begun = false;
        ANNOUNCED.setRelease(this, IDLE);
    }

    long announcedEpoch() {
        return (long) ANNOUNCED.getVolatile(this);
    }

    /**
     * Positions the cursor before the first slot of cell {@code cellId} that starts in
     * {@code [fromMinute, toMinute)} and ends after {@code notEndedAt} (all in minutes since
     * 2020-01-01T00:00Z). The window is clamped to the index's live hours (now - 1 h .. now + 49 h
     * on the writer's clock), so any minutes are accepted and only live buckets are walked.
     */
    public void open(final int cellId, final int fromMinute, final int toMinute, final int notEndedAt) {
        if (!begun) {
            // The sequence is read first: a removal after this point leaves the record visible to us.
            this.sequence = index.removalSequenceForReaders();
        }
        final int live = index.liveBucketForReaders();
        this.heads = index.headsForReaders();
        this.cellId = cellId;
        this.from = fromMinute;
        this.to = toMinute;
        this.notEndedAt = notEndedAt;
        // Buckets before the first live one or after the last are never walked: their ring
        // positions hold other hours (or nothing), and a bucket of a minute before 2020 would be a
        // negative position.
        final int first = Math.max(Minutes.bucket(fromMinute), live - SlotIndex.PAST_BUCKETS);
        final int last = Math.min(toMinute > fromMinute ? Minutes.bucket(toMinute - 1) : Integer.MIN_VALUE,
            live + SlotIndex.FUTURE_BUCKETS);
        this.bucket = first - 1;
        this.lastBucket = last < first ? this.bucket : last;
        this.next = SlotDescriptor.NIL;
    }

    /** Moves to the head of the next bucket's chain for the cell; {@code false} past the window. */
    private boolean nextChain() {
        while (bucket < lastBucket) {
            bucket++;
            bucketStart = bucket * Minutes.BUCKET_MINUTES;
            final int headIndex = cellId * SlotIndex.RING + bucket % SlotIndex.RING;
            if (cellId < 0 || headIndex < 0 || headIndex >= heads.length) {
                return false;
            }
            final int head = (int) SlotIndex.HEAD.getAcquire(heads, headIndex);
            if (head != SlotDescriptor.NIL) {
                // Pages are read after the head: a head published after a page was added is seen
                // with it. A head of another bucket sharing the ring position (not reclaimed yet)
                // fails the start-minute check in next().
                pages = index.pagesForReaders();
                next = head;
                return true;
            }
        }
        return false;
    }

    /** Moves to the next slot of the window; {@code false} when there is none. */
    public boolean next() {
        while (true) {
            while (next == SlotDescriptor.NIL) {
                if (!nextChain()) {
                    return false;
                }
            }
            final int r = next;
            visited++;
            if (SlotDescriptor.page(r) >= pages.length) {
                pages = index.pagesForReaders();
            }
            final ByteBuffer b = pages[SlotDescriptor.page(r)];
            final int o = SlotDescriptor.offset(r);
            int word = (int) SlotIndex.INT.getAcquire(b, o + SlotDescriptor.STATE_WORD_OFFSET);
            // Practitioner and start in one read, after the state word's acquire (see PAIR); the
            // link with acquire: the writer may link a new record after this one (SlotIndex, "Chain
            // order") by a release store of it, and what it points to must be seen whole.
            final long practitionerAndStart = (long) SlotIndex.PAIR.get(b, o + SlotDescriptor.PRACTITIONER_OFFSET);
            final int p = (int) SlotIndex.INT.get(b, o + SlotDescriptor.PACKED_OFFSET);
            final int link = (int) SlotIndex.INT.getAcquire(b, o + SlotDescriptor.NEXT_IN_CELL_OFFSET);
            final int s = (int) (practitionerAndStart >>> 32);
            final int offset = s - bucketStart;
            if (offset < 0 || offset >= Minutes.BUCKET_MINUTES) { // Minutes.bucket(s) != bucket, without a division
                // The bucket expired and its page was reused while we walked: nothing more here.
                next = SlotDescriptor.NIL;
                continue;
            }
            next = link;
            if (SlotDescriptor.state(word) == SlotDescriptor.STATE_GONE) {
                // Removed at sequence version(word): still ours if that is after the one we read.
                if (((SlotDescriptor.version(word) - sequence) << 3) <= 0) {
                    continue;
                }
                word = SlotDescriptor.STATE_FREE;
            }
            if (s < from || s >= to || s + SlotDescriptor.duration(p) <= notEndedAt) {
                continue;
            }
            record = r;
            stateWord = word;
            start = s;
            packed = p;
            practitioner = (int) practitionerAndStart;
            return true;
        }
    }

    /**
     * Positions the cursor on the one record {@code r} (a hint: {@link CellTable#hint}), as
     * {@link #next} would have on meeting it: {@code true} when it starts in
     * {@code [fromMinute, toMinute)} and ends after {@code notEndedAt}, its fields then readable
     * as the current record's. A GONE record reads as GONE whatever the removal sequence (the
     * caller then walks the chain, which knows). {@code false} for -1. Leaves the chain walk of
     * an {@link #open} as it was. Must be called between {@link #begin} and {@link #end}: what
     * keeps the record's page from a next life while it is read (see {@link SlotDescriptor}).
     */
    public boolean load(final int r, final int fromMinute, final int toMinute, final int notEndedAt) {
        if (r < 0) {
            return false;
        }
        // After the hint's acquire (the caller's): a page added before the hint was set is here.
        final ByteBuffer[] ps = index.pagesForReaders();
        if (SlotDescriptor.page(r) >= ps.length) {
            return false;
        }
        final ByteBuffer b = ps[SlotDescriptor.page(r)];
        final int o = SlotDescriptor.offset(r);
        final int word = (int) SlotIndex.INT.getAcquire(b, o + SlotDescriptor.STATE_WORD_OFFSET);
        final long practitionerAndStart = (long) SlotIndex.PAIR.get(b, o + SlotDescriptor.PRACTITIONER_OFFSET);
        final int p = (int) SlotIndex.INT.get(b, o + SlotDescriptor.PACKED_OFFSET);
        final int s = (int) (practitionerAndStart >>> 32);
        visited++;
        if (s < fromMinute || s >= toMinute || s + SlotDescriptor.duration(p) <= notEndedAt) {
            return false;
        }
        // The same five stores as next()'s, not a shared method: the measured code (a jar with
        // one, alternated in JMH at 20M, ran 0.5-1 µs slower in two pairs of two; noise or not).
        record = r;
        stateWord = word;
        start = s;
        packed = p;
        practitioner = (int) practitionerAndStart;
        return true;
    }

    /** Records read by this cursor since it was made (any chain, any outcome). Owner thread. */
    public long recordsVisited() {
        return visited;
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

    /** Practitioner (directory index) of the current slot. */
    public int practitioner() {
        return SlotDescriptor.practitionerOf(practitioner);
    }

    /** Unit word (practitioner and site, see {@link SlotDescriptor#unit}) of the current slot. */
    public int unit() {
        return practitioner;
    }

    /** Site ordinal of the current slot in its practitioner's sites. */
    public int site() {
        return SlotDescriptor.siteOf(practitioner);
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
