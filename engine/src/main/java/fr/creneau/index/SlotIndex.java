package fr.creneau.index;

import java.lang.invoke.MethodHandles;
import java.lang.ref.WeakReference;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntArrayQueue;
import org.agrona.collections.LongArrayQueue;
import org.agrona.collections.Int2ObjectHashMap;

import fr.creneau.directory.Directory;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.SlotSink;
import fr.creneau.feed.Visibility;
import fr.creneau.slot.IndexView;
import fr.creneau.slot.Minutes;
import fr.creneau.slot.IndexStats;

/**
 * The off-heap slot index: the next 48 hours of a whole country's slots in 20-byte records outside
 * the Java heap, grouped by time bucket and H3 cell.
 *
 * <p><b>Thread-safety.</b> One writer thread calls {@link #replace}, {@link #updateDirectory} and
 * {@link #advance} (the ingestion thread; calls must not overlap). Any number of reader threads use
 * their own {@link SlotCursor} and {@link #findSlot}, lock-free and wait-free, concurrently with
 * the writer; booking threads change a record's state with {@link #casState}. No method blocks.
 *
 * <h2>Design</h2>
 * <pre>
 *  heads: int[cellId * 52 + bucket % 52] = first record, or -1              (heap, 4 B per entry)
 *                │
 *                ▼
 *  pages: ByteBuffer[]  (direct, 20 KiB, each owned by one bucket)
 *     [rec]──next──▶[rec]──next──▶[rec]──▶ -1       one chain per (bucket, cell)
 * </pre>
 * <ul>
 *   <li><b>Buckets of one hour</b> in a ring of 52 over the live window now-1 h .. now+49 h (51
 *       buckets). One hour because a regulator's window is 4 to 48 hours: a query visits 5 to 49
 *       chains per cell and skips all others; narrower buckets would multiply the chains a 48 h
 *       query walks, wider ones would keep ended slots longer and let a 4 h query walk slots it
 *       cannot use.</li>
 *   <li><b>Expiry without a scan of the slots.</b> Every page belongs to one bucket. When the clock
 *       passes a bucket, the heads of its ring position are reset (one int per occupied cell),
 *       the reclamation epoch is raised and the pages wait in a quarantine: no record is visited.
 *       A page leaves the quarantine for the free list once no begun cursor announces an older
 *       epoch and {@link #GRACE_MINUTES} have passed (see {@link SlotDescriptor}), so a reader
 *       that read a head or a link just before the reset finishes on the bytes it started on.</li>
 *   <li><b>The unit is the site</b>: a record names a (practitioner, site) unit word
 *       ({@link SlotDescriptor#unit}) and sits in the chains of that site's cell, so a slot at a
 *       practitioner's second site is found around that site and ranked by its distance. A
 *       snapshot still replaces by (practitioner, source): the writer collects the records of every
 *       site of the practitioner, so a slot that moves from one site to another is one changed
 *       slot (published at the new site, then retired at the old), never two live copies of one
 *       slot id.</li>
 *   <li><b>Snapshot replacement</b> by (practitioner, source): the writer finds the practitioner's
 *       current records, keeps unchanged ones in place, publishes new records, and only then
 *       marks removed ones {@code GONE} by compare-and-set. A reader thus sees the old slots, then
 *       old and new, then the new ones; never neither. A held or booked record is never removed by
 *       a snapshot.</li>
 *   <li><b>How the writer finds a practitioner's records</b>: by walking the live chains of the
 *       practitioner's cell once and grouping what it finds by practitioner; the grouping (kept
 *       up to date with the records written since) serves every later replacement in that cell
 *       until the writer moves to another cell or a bucket expires. Replacing practitioners
 *       cell by cell (the {@link #localityKey} order, which the {@code Ingestor} follows) thus
 *       costs one walk of each touched cell per snapshot, and no record carries a link to its
 *       practitioner's next one. Any other order is just as correct, but walks a cell whenever
 *       the writer's cell changes. Held or booked records left in a
 *       practitioner's previous cell when it moves are remembered apart ({@code stragglers}).</li>
 *   <li><b>Chain order.</b> A record is linked after its unit's last record in the chain that
 *       starts no later and is not GONE; a unit's first record goes first of its chain class
 *       ({@link CellTable#chainClass}: profession, then SAS participants first; written in the
 *       record's packed word). So along a chain a unit's records that are not GONE come in
 *       ascending start order, which readers rely on: a search takes a candidate's first fitting
 *       record as its earliest and stops reading the chain once every candidate has one. And
 *       the classes come in order, which only shortens that read: a GP search whose candidates
 *       are participants reads the head of each chain, not the non-participants, nurses and
 *       midwives behind them, whatever vendor sent which slot when. A directory change that
 *       moves a practitioner to another class leaves its records where they are until its next
 *       snapshot, which finds their class changed and writes them anew. The link is published by
 *       a release store, of the head or of the predecessor's {@code next}, which readers read
 *       with acquire.</li>
 *   <li><b>Office hints</b> ({@link CellTable#hint}): per unit, its earliest record of the office
 *       modality that is not GONE and has not begun by the writer's clock ({@code hintFloor}),
 *       set by the writer at the end of each {@link #replace} of the
 *       practitioner (from the records it collected and wrote; none when two start at the same
 *       minute), taken out when that record's bucket expires ({@code clearHints}) and carried
 *       across a directory change for practitioners whose sites stay. The invariant readers rely
 *       on: <em>no record of the unit in its cell's chains that has the office modality, is
 *       not GONE and starts at or after {@code hintFloor} starts before its hint</em>, but for
 *       the records of a replacement in progress, which a reader may see as old (the previous
 *       hint) or new (the next). So a search whose "now" is not before {@code hintFloor} and
 *       that finds the hint still the unit's, FREE, of the office modality and in the hour it
 *       wants from now on has the unit's earliest free office slot of that hour, as its chain walk
 *       would have found it; any other hint (held, booked, GONE, begun, another hour, a next life
 *       of the location) sends it to the chain. A retire or a hold never changes a hint: the
 *       record it names is then not FREE, or is the same record free again. Why at all: at 20M
 *       slots a (cell, hour) chain holds records of a dozen vendors' runs, each elsewhere in the
 *       bucket's pages, and its walk was half of a query (bench/results/query-limit-notes.md).
 *       No byte added: the hint rides in the entry's RPPS word.</li>
 *   <li><b>Locality</b>: a bucket's pages are filled in write order, so practitioners replaced
 *       cell by cell ({@link #localityKey}) leave each (bucket, cell) chain in consecutive
 *       records, read sequentially by queries.</li>
 * </ul>
 * Memory: 20 B per record; heads 208 B per occupied cell; the writer's grouping of one cell;
 * pages are allocated as needed (no capacity to configure) and reused after expiry.
 */
public final class SlotIndex implements SlotSink {
    /**
     * Ring size: the 51 buckets of the live window and one spare, so that the bucket of a slot that
     * starts at the very end of the window (now + 49 h) never shares a position with a live one.
     * Not a power of two (64 would cost 48 more bytes per occupied cell for nothing): the JIT turns
     * {@code % RING} into a multiply and shift.
     */
    static final int RING = 52;
    /** Buckets kept behind the current one (slots in progress). */
    public static final int PAST_BUCKETS = 1;
    /** Buckets accepted ahead of the current one: 48 h of slots plus the partial current hour. */
    public static final int FUTURE_BUCKETS = 49;
    private static final int NO_BUCKET = Integer.MIN_VALUE;
    /**
     * How long, on the index's clock, a page of an expired bucket stays untouched before it is
     * written again. Readers never lock: this is what keeps a cursor that read a head or a
     * {@code next} link into the page before it was freed from reading a record of the page's
     * next life. The assumption it rests on: no single cursor walk lasts an hour.
     */
    public static final int GRACE_MINUTES = 60;
    static final int SEQUENCE_MASK = (1 << 29) - 1;

    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /**
     * Two adjacent int fields of a record in one plain read (a cursor's practitioner and start,
     * never written after publication): records are 20 B, so half of them are not 8-byte aligned,
     * which plain {@code get} allows. Little-endian like {@link #INT}: the field at the lower
     * offset is the low half.
     */
    static final VarHandle PAIR = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle HEAD = MethodHandles.arrayElementVarHandle(int[].class);

    private final Clock clock;
    /**
     * The read-only face hosts get: a private class, so a host cannot cast it back to this writer
     * (and, the package being internal to the module, cannot name this class at all).
     */
    private final IndexView view = new View();

    private final class View implements IndexView {
        @Override
        public int findSlot(final int practitioner, final int source, final int startMinute) {
            return SlotIndex.this.findSlot(practitioner, source, startMinute);
        }

        @Override
        public int stateWord(final int record) {
            return SlotIndex.this.stateWord(record);
        }

        @Override
        public int startMinute(final int record) {
            return SlotIndex.this.startMinute(record);
        }

        @Override
        public int practitioner(final int record) {
            return SlotIndex.this.practitioner(record);
        }

        @Override
        public IndexStats stats() {
            return SlotIndex.this.stats();
        }
    }

    // ---- read by readers (published by volatile write) ----
    private volatile ByteBuffer[] pages = new ByteBuffer[64];
    private volatile int[] heads = new int[0];
    private volatile CellTable cells = CellTable.empty();
    private volatile long liveSlots;
    /**
     * The writer's current bucket, for readers: a cursor clamps its window to the live buckets
     * {@code [liveBucket - PAST_BUCKETS, liveBucket + FUTURE_BUCKETS]}, so it never walks a ring
     * position for a bucket the writer does not hold, whatever {@code now} the host passed.
     */
    private volatile int liveBucket = NO_BUCKET;
    /**
     * Reclamation epoch, raised after each expiry has reset the heads of the buckets it frees.
     * Pages freed by that expiry carry the raised value; a cursor between {@link SlotCursor#begin}
     * and {@link SlotCursor#end} announces the epoch it began in, and a page is written again only
     * once no cursor announces an epoch older than the page's (and its grace period has passed).
     */
    private volatile long epoch = 1;
    /** Every cursor this index made, for the announcements; weak, so a dead thread's cursor goes. */
    private final CopyOnWriteArrayList<WeakReference<SlotCursor>> cursors = new CopyOnWriteArrayList<>();
    /**
     * Records that a hold or booking retired to GONE ({@link #retire}, any thread), per ring
     * position: the bucket in the high half (so a late retire of an expired bucket's record is
     * not counted against the next bucket at that position), the count in the low half.
     * {@link #stats} subtracts them from {@code liveSlots} until the bucket expires, when the
     * writer takes the whole bucket out of {@code liveSlots} and closes the count.
     */
    private final AtomicLongArray retiredByHolds = new AtomicLongArray(RING);
    /**
     * Removal sequence (30 bits, wrapping). A GONE record stores the value it was removed at, and
     * the writer raises it after publishing a replacement's new records and before marking the
     * old ones GONE. A reader that read the sequence before a removal keeps seeing the removed
     * record; one that read it after also sees the new records. So no reader sees neither.
     */
    private volatile int removalSequence;

    // ---- writer only ----
    private int pageCount;
    private int[] pageBucket = new int[64];
    private final IntArrayQueue freePages = new IntArrayQueue(IntArrayQueue.DEFAULT_NULL_VALUE);
    /**
     * Pages of expired buckets waiting out {@link #GRACE_MINUTES} before they go to
     * {@code freePages}, with the minute each was freed at (both FIFO, in step): a reader that
     * started on a page before it was freed finishes on the same bytes (see {@link SlotDescriptor}).
     */
    private final IntArrayQueue quarantinedPages = new IntArrayQueue(IntArrayQueue.DEFAULT_NULL_VALUE);
    private final IntArrayQueue quarantinedAt = new IntArrayQueue(Integer.MIN_VALUE);
    /** The reclamation epoch each quarantined page was freed in (see {@link #epoch}). */
    private final LongArrayQueue quarantinedEpoch = new LongArrayQueue(Long.MIN_VALUE);
    private final IntArrayList[] bucketPages = new IntArrayList[RING];
    private final int[] ringBucket = new int[RING];
    private final int[] bucketFill = new int[RING];
    private final long[] bucketLive = new long[RING];
    /** The writer's grouping of one cell's live, not GONE records by practitioner (see the class comment). */
    private int groupedCell = SlotDescriptor.NIL;
    /** Entries {@code [0, groupedSorted)} are sorted; {@code [groupedSorted, groupedCount)} were appended since. */
    private int groupedCount;
    private int groupedSorted;
    private long[] groupedKey = new long[256];
    /** Held or booked records a practitioner left in its previous cell when it moved. */
    private final Int2ObjectHashMap<IntArrayList> stragglers = new Int2ObjectHashMap<>();
    private int currentBucket = NO_BUCKET;
    /** The minute the writer's clock read at its last {@link #advance} (writer only). */
    private int writerMinute = Integer.MIN_VALUE;
    /**
     * The latest minute from which a hint was chosen ({@code hintUnits}: records that start
     * before it are left out), raised before the hints it covers are stored. A search takes a
     * hint only when its "now" is not before this, read after the hint: then every record the
     * hint was chosen among includes all that a search from "now" may want. Never lowered.
     */
    private volatile int hintFloor = Integer.MIN_VALUE;
    private int oldestLiveBucket = NO_BUCKET;
    private int[] scratchRecord = new int[64];
    private int[] scratchStart = new int[64];

    public SlotIndex(final Directory directory, final Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        for (int i = 0; i < RING; i++) {
            bucketPages[i] = new IntArrayList();
            ringBucket[i] = NO_BUCKET;
            bucketFill[i] = SlotDescriptor.RECORDS_PER_PAGE;
            retiredByHolds.set(i, retiredTag(NO_BUCKET));
        }
        Arrays.fill(pageBucket, -1);
        updateDirectory(directory);
        advance();
    }

    // =====================================================================================
    // Writer
    // =====================================================================================

    /**
     * Expires the buckets the clock has left behind (older than now - 1 h) and returns how many.
     * Called by {@link #replace} itself; a host with no ingest for a while may call it from its
     * ingest thread to give memory back sooner. Writer thread only.
     */
    public int advance() {
        final Instant now = clock.instant();
        if (!Minutes.supported(now)) {
            throw new IllegalStateException("the index's clock reads " + now + ", outside the supported range "
                + Minutes.toInstant(0) + " .. " + Instant.ofEpochSecond(Minutes.LAST_EPOCH_SECOND));
        }
        final int nowMinute = Minutes.floor(now);
        writerMinute = nowMinute;
        releaseQuarantine(nowMinute);
        final int nowBucket = Minutes.bucket(nowMinute);
        if (nowBucket == currentBucket) {
            return 0;
        }
        currentBucket = nowBucket;
        oldestLiveBucket = nowBucket - PAST_BUCKETS;
        int reclaimed = 0;
        for (int slot = 0; slot < RING; slot++) {
            if (ringBucket[slot] != NO_BUCKET && ringBucket[slot] < oldestLiveBucket) {
                reclaim(slot, nowMinute);
                reclaimed++;
            }
        }
        if (reclaimed > 0) {
            epoch = epoch + 1; // after the heads' reset: a cursor that begins in the new epoch cannot reach the freed pages
        }
        // After the reclaims: a reader that reads the new bucket clamps its window to buckets
        // whose ring positions no longer hold the reclaimed ones.
        liveBucket = nowBucket;
        return reclaimed;
    }

    /**
     * Gives the free list the quarantined pages (FIFO: oldest first) whose grace period has
     * passed and that no cursor can still be walking: none announces an epoch older than theirs.
     */
    private void releaseQuarantine(final int nowMinute) {
        long oldestReader = Long.MIN_VALUE; // not computed yet
        while (!quarantinedAt.isEmpty() && nowMinute - quarantinedAt.peekInt() >= GRACE_MINUTES) {
            if (oldestReader == Long.MIN_VALUE) {
                oldestReader = oldestAnnouncedEpoch();
            }
            if (oldestReader < quarantinedEpoch.peekLong()) {
                return; // a cursor that began before these pages were freed is still reading
            }
            quarantinedAt.pollInt();
            quarantinedEpoch.pollLong();
            freePages.addInt(quarantinedPages.pollInt());
        }
    }

    /** The oldest epoch a begun cursor announces, or {@link Long#MAX_VALUE} when none is begun. */
    private long oldestAnnouncedEpoch() {
        long oldest = Long.MAX_VALUE;
        boolean cleared = false;
        for (final WeakReference<SlotCursor> ref : cursors) {
            final SlotCursor c = ref.get();
            if (c == null) {
                cleared = true;
            } else {
                oldest = Math.min(oldest, c.announcedEpoch());
            }
        }
        if (cleared) {
            cursors.removeIf(ref -> ref.get() == null);
        }
        return oldest;
    }

    private static long retiredTag(final int bucket) {
        return (long) bucket << 32;
    }

    private void reclaim(final int slot, final int nowMinute) {
        // Heads first, then pages: from here on no head of this ring position leads into the
        // pages being retired. One int per occupied cell, once an hour; no slot is visited.
        final int[] h = heads;
        for (int i = slot; i < h.length; i += RING) {
            HEAD.setRelease(h, i, SlotDescriptor.NIL);
        }
        // A reader may still be walking these pages (it read a head or a link before the reset):
        // they are not written again before the grace period (releaseQuarantine).
        // The hour leaves every unit's summary before its ring position is written again (a bit
        // left would only be stale, but would send readers to an empty chain for two days).
        cells.summary().clearPosition(slot);
        final IntArrayList list = bucketPages[slot];
        clearHints(ringBucket[slot]);
        for (int i = 0; i < list.size(); i++) {
            final int page = list.getInt(i);
            pageBucket[page] = -1;
            quarantinedPages.addInt(page);
            quarantinedAt.addInt(nowMinute);
            quarantinedEpoch.addLong(epoch + 1); // the epoch the caller raises to once the heads are reset
        }
        list.clear();
        // Every record of the bucket leaves liveSlots here, those a hold retired included, so
        // their separate count is closed (a later retire() finds another tag and counts nothing).
        retiredByHolds.set(slot, retiredTag(NO_BUCKET));
        ringBucket[slot] = NO_BUCKET;
        bucketFill[slot] = SlotDescriptor.RECORDS_PER_PAGE;
        liveSlots -= bucketLive[slot];
        bucketLive[slot] = 0;
        groupedCell = SlotDescriptor.NIL; // it may name records of the reclaimed pages
    }

    /**
     * Takes every hint into the pages of {@code bucket} (expiring: its pages are about to be
     * quarantined, their {@code pageBucket} still set) out of the current table, before those
     * pages can be written again. A reader that read such a hint just before began its cursor
     * first, so the page keeps its bytes until it ends, and the record's start fails its hour
     * check. The unit has no hint until its next snapshot (its next earliest is not known without
     * a walk). Writer thread; one pass over the entries, once an hour.
     */
    private void clearHints(final int bucket) {
        final CellTable table = cells;
        if (!table.keepsHints()) {
            return;
        }
        final int[] owner = pageBucket;
        for (int e = 0, n = table.entryCount(); e < n; e++) {
            final int h = table.hint(e);
            if (h >= 0) {
                final int page = SlotDescriptor.page(h);
                if (page >= owner.length || owner[page] == bucket) {
                    table.hint(e, SlotDescriptor.NIL);
                }
            }
        }
    }

    /**
     * Carries the office hints of the practitioners none of whose sites moves, renumbers or
     * leaves to the table about to be published: their records stay where they are, in the same
     * cells' chains. The others get none (their records are written again, or go) until their
     * next snapshot. Writer thread, before the publication.
     */
    private static void carryHints(final CellTable previous, final CellTable next, final int[] movedFrom,
                                   final int count) {
        if (!next.keepsHints() || !previous.keepsHints()) {
            return;
        }
        final org.agrona.collections.IntHashSet moved = new org.agrona.collections.IntHashSet(Math.max(8, count));
        for (int i = 0; i < count; i++) {
            moved.add(SlotDescriptor.practitionerOf(movedFrom[i]));
        }
        final int practitioners = Math.min(previous.practitionerCapacity(), next.practitionerCapacity());
        for (int p = 0; p < practitioners; p++) {
            if (moved.contains(p)) {
                continue;
            }
            final int sites = Math.min(previous.siteCount(p), next.siteCount(p));
            for (int site = 0; site < sites; site++) {
                final int unit = SlotDescriptor.unit(p, site);
                final int ou = previous.entryOf(unit);
                final int nu = next.entryOf(unit);
                if (ou >= 0 && nu >= 0 && previous.cellOf(unit) == next.cellOf(unit)) {
                    next.hint(nu, previous.hint(ou));
                }
            }
        }
    }

    /**
     * Switches to a new directory (built from the previous one: indices stable). Writer thread only.
     *
     * <p>Order, so that a reader never finds a practitioner without its slots: (1) grow the heads,
     * so the new cells have chains; (2) copy the free slots of every practitioner who moved into
     * its new cell (readers of the previous table do not look there yet); (3) publish the new
     * table; (4) under a new removal sequence, retire the records left in the previous cells. A
     * reader that read the sequence before (4) still sees those records; one that read it after
     * also reads the new table (the sequence is raised after the publication, and
     * {@link SlotCursor#begin} reads the sequence before the table). Held and booked records stay
     * where their tokens point, remembered as stragglers so later snapshots still find them. A
     * practitioner who left the directory loses its free slots; its held or booked ones are
     * marked unlisted (they go when their hold ends).
     */
    public void updateDirectory(final Directory directory) {
        final CellTable previous = cells;
        final CellTable next = CellTable.build(directory, previous);
        final int[] current = heads;
        if (next.cellCount() * (long) RING > current.length) {
            final int capacity = Math.max(next.cellCount(), Math.max(16, current.length / RING * 2));
            final int[] grown = Arrays.copyOf(current, Math.toIntExact((long) capacity * RING));
            Arrays.fill(grown, current.length, grown.length, SlotDescriptor.NIL);
            heads = grown;
        }
        groupedCell = SlotDescriptor.NIL;
        // The summary of the units that keep their unit word goes over to the new table before it
        // is published; moved units get their bits from the copies below (insert).
        carrySummary(previous, next);
        // Sites that moved, were renumbered or left, by previous cell, so that each cell is walked
        // once. A site keeps its slots by its id: the same id at another ordinal is a renumbering
        // (the records are written again under the new unit word), an id no longer listed is a
        // site that left (its free slots go, as a departed practitioner's do).
        long[] moved = new long[16];
        int[] movedFrom = new int[16];
        int[] movedTo = new int[16];
        int count = 0;
        final Directory before = previous.directory();
        for (int p = 0; p < Math.min(previous.practitionerCapacity(), next.practitionerCapacity()); p++) {
            final int sites = previous.siteCount(p);
            final fr.creneau.directory.Practitioner was0 = sites > 1 || next.siteCount(p) > 1 ? before.get(p) : null;
            final fr.creneau.directory.Practitioner is0 = was0 == null ? null : directory.get(p);
            for (int site = 0; site < sites; site++) {
                final int oldUnit = SlotDescriptor.unit(p, site);
                final int was = previous.cellOf(oldUnit);
                int newUnit = oldUnit;
                if (was0 != null) {
                    final int at = is0 == null ? -1 : is0.siteIndex(was0.sites().get(site).id());
                    newUnit = at < 0 ? -1 : SlotDescriptor.unit(p, at);
                } else if (next.siteCount(p) == 0) {
                    newUnit = -1;
                }
                final int is = newUnit < 0 ? -1 : next.cellOf(newUnit);
                if (was >= 0 && (was != is || newUnit != oldUnit)) {
                    if (count == moved.length) {
                        moved = Arrays.copyOf(moved, count * 2);
                        movedFrom = Arrays.copyOf(movedFrom, count * 2);
                        movedTo = Arrays.copyOf(movedTo, count * 2);
                    }
                    movedFrom[count] = oldUnit;
                    movedTo[count] = newUnit;
                    moved[count] = ((long) was << 32) | count;
                    count++;
                }
            }
        }
        carryHints(previous, next, movedFrom, count);
        Arrays.sort(moved, 0, count);
        pendingCount = 0;
        for (int i = 0; i < count; i++) {
            final int k = (int) moved[i];
            copyToNewCell(movedFrom[k], (int) (moved[i] >>> 32), movedTo[k], movedTo[k] < 0 ? -1 : next.cellOf(movedTo[k]),
                next);
        }
        cells = next;
        // Again after the publication: a booking thread that freed a record and OR'ed its bit into
        // the previous table's summary after the first carry, but read the table before this
        // publication, relies on this pass; one that read the table after it OR'ed into the new
        // table itself (markFree).
        carrySummary(previous, next);
        if (pendingCount > 0) {
            final int sequence = (removalSequence + 1) & SEQUENCE_MASK;
            removalSequence = sequence;
            for (int i = 0; i < pendingCount; i++) {
                final int old = pendingOld[i];
                final int fresh = pendingFresh[i];
                if (fresh == SlotDescriptor.NIL) {
                    // Departed: free goes, held or booked is marked, and remembered should the
                    // practitioner come back (the directory gives it its index back): the next
                    // snapshot then finds it rather than writing a free copy of a taken slot.
                    if (!removeOrMark(old, sequence)) {
                        straggler(pendingPractitioner[i], old);
                    }
                } else if (!tombstone(old, sequence)) {
                    tombstone(fresh, sequence); // held meanwhile: the old one stays where it is
                    straggler(pendingPractitioner[i], old);
                }
            }
        }
        int late = -1;
        for (int i = 0; i < count; i++) {
            final int p = SlotDescriptor.practitionerOf(movedFrom[(int) moved[i]]);
            if (next.cellOf(p) < 0) {
                continue; // its held or booked records wait as stragglers (see above)
            }
            // A hold that ended after step (2) saw it held, but before (3) published the new table,
            // freed its record in the cell the practitioner left (retire read the previous table):
            // it goes too, as a later retire would send it (see retire).
            final IntArrayList away = stragglers.get(p);
            for (int k = 0; away != null && k < away.size(); k++) {
                final int r = away.getInt(k);
                if (isLive(r, p) && SlotDescriptor.state(stateWord(r)) == SlotDescriptor.STATE_FREE
                    && !inPractitionersCell(r)) {
                    if (late < 0) {
                        late = (removalSequence + 1) & SEQUENCE_MASK;
                        removalSequence = late;
                    }
                    tombstone(r, late);
                }
            }
        }
    }

    /**
     * Step (2) of {@link #updateDirectory} for one site: its free records of every source are
     * written again in {@code toCell} under {@code toUnit} and noted (old, fresh) for step (4); held
     * and booked ones become stragglers of the practitioner. For a site or practitioner that left
     * ({@code toCell < 0}) every record is noted with no fresh copy.
     */
    private void copyToNewCell(final int fromUnit, final int fromCell, final int toUnit, final int toCell,
                               final CellTable next) {
        final int practitioner = SlotDescriptor.practitionerOf(fromUnit);
        int n = collectUnit(fromUnit, ANY_SOURCE, fromCell, 0);
        n = collectStragglers(practitioner, fromUnit, ANY_SOURCE, n);
        n = sortScratch(n);
        for (int i = 0; i < n; i++) {
            final int r = scratchRecord[i];
            if (toCell < 0) {
                pendingMove(r, SlotDescriptor.NIL, practitioner);
            } else if (SlotDescriptor.state(stateWord(r)) == SlotDescriptor.STATE_FREE) {
                pendingMove(r, insert(toUnit, toCell, scratchStart[i], packed(r), next), practitioner);
            } else {
                straggler(practitioner, r);
            }
        }
    }

    private int[] pendingPractitioner = new int[64];

    /**
     * ORs the summary words of every unit word known to both tables from {@code previous} into
     * {@code next} (dense indices may differ). A bit carried for a unit that moved or was
     * renumbered is at worst stale, which readers tolerate; a bit not carried could hide a free
     * slot, so everything is carried. Writer thread; O(units).
     */
    private static void carrySummary(final CellTable previous, final CellTable next) {
        final UnitSummary from = previous.summary();
        final UnitSummary to = next.summary();
        to.orCells(from);
        final int practitioners = Math.min(previous.practitionerCapacity(), next.practitionerCapacity());
        for (int p = 0; p < practitioners; p++) {
            final int sites = Math.min(previous.siteCount(p), next.siteCount(p));
            for (int site = 0; site < sites; site++) {
                final int unit = SlotDescriptor.unit(p, site);
                final int ou = previous.entryOf(unit);
                final int nu = next.entryOf(unit);
                if (ou >= 0 && nu >= 0) {
                    for (int m = 0; m < UnitSummary.MODALITIES; m++) {
                        to.or(nu, m, from.word(ou, m));
                    }
                }
            }
        }
    }

    private void pendingMove(final int old, final int fresh, final int practitioner) {
        if (pendingCount >= pendingPractitioner.length) {
            pendingPractitioner = Arrays.copyOf(pendingPractitioner, Math.max(64, pendingCount * 2));
        }
        pendingPractitioner[pendingCount] = practitioner;
        pending(old, fresh);
    }

    private void straggler(final int practitioner, final int record) {
        IntArrayList list = stragglers.get(practitioner);
        if (list == null) {
            list = new IntArrayList();
            stragglers.put(practitioner, list);
        }
        if (!list.containsInt(record)) {
            list.addInt(record);
        }
    }

    /**
     * Replaces the slots of one practitioner from one source (see {@link SlotSink}). Unchanged slots
     * keep their record (and so their state and version); slots outside the live window are
     * ignored. Writer thread only.
     *
     * @throws IllegalArgumentException when {@code slots} is not empty and the practitioner is not
     *                                  in the directory this index was last given
     */
    @Override
    public boolean replace(final int source, final int practitioner, final List<SlotRecord> slots) {
        advance();
        final CellTable table = cells;
        final int sites = table.siteCount(practitioner);
        if (sites == 0) {
            if (!slots.isEmpty()) {
                throw new IllegalArgumentException("practitioner index " + practitioner
                    + " is not in the index's directory: call updateDirectory first");
            }
            return false; // never had a cell, so never had a record
        }
        // Every site's records, merged by start: a slot is matched by its identity (source,
        // practitioner, start) whatever site it was at, so moving it is a change, not a second copy.
        // Every source's first: they are where this one's new records go in their chains
        // (chainPosition), then this source's alone for the merge below.
        int n = 0;
        for (int site = 0; site < sites; site++) {
            final int unit = SlotDescriptor.unit(practitioner, site);
            n = collectUnit(unit, ANY_SOURCE, table.cellOf(unit), n);
        }
        ownCount = 0;
        for (int i = 0; i < n; i++) {
            own(unitOf(scratchRecord[i]), scratchRecord[i], scratchStart[i]);
        }
        ownPractitioner = practitioner;
        try {
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (SlotDescriptor.source(packed(scratchRecord[i])) == source) {
                    scratchRecord[kept] = scratchRecord[i];
                    scratchStart[kept++] = scratchStart[i];
                }
            }
            n = collectStragglers(practitioner, ANY_UNIT, source, kept);
            n = sortScratch(n);
            pendingCount = 0;
            boolean changed = false;
            final int lastBucket = currentBucket + FUTURE_BUCKETS;
            // Phase 1: publish what is new; note what must go. Both sides are sorted by start: a merge.
            int e = 0;
            for (int k = 0; k < slots.size(); k++) {
                final SlotRecord s = slots.get(k);
                final int start = Minutes.floor(s.start());
                final int bucket = Minutes.bucket(start);
                if (bucket < oldestLiveBucket || bucket > lastBucket) {
                    continue;
                }
                while (e < n && scratchStart[e] < start) {
                    pending(scratchRecord[e++], SlotDescriptor.NIL);
                }
                final int duration = Math.min(0xFFFF, Minutes.ceil(s.end()) - start);
                // A site the directory no longer lists (validated against an older one): the main site.
                final int unit = SlotDescriptor.unit(practitioner, s.site() < sites ? s.site() : 0);
                // With the unit's chain class: a slot whose class changed is written anew, in its class's place.
                final int packed = SlotDescriptor.withClass(SlotDescriptor.pack(duration, s.modalities(),
                    s.visibility() == Visibility.PROFESSIONAL, source), table.chainClass(unit));
                final int cellId = table.cellOf(unit);
                if (e < n && scratchStart[e] == start) {
                    final int r = scratchRecord[e++];
                    final ByteBuffer b = page(r);
                    final int oldPacked = (int) INT.get(b, SlotDescriptor.offset(r) + SlotDescriptor.PACKED_OFFSET);
                    final int oldUnit = (int) INT.get(b, SlotDescriptor.offset(r) + SlotDescriptor.PRACTITIONER_OFFSET);
                    if (oldPacked == packed && oldUnit == unit) {
                        if (!relist(r)) { // listed again: a hold that ends makes it free again
                            insert(unit, cellId, start, packed, table); // retired meanwhile: a new life
                            changed = true;
                        }
                        continue;
                    }
                    pending(r, insert(unit, cellId, start, packed, table));
                } else {
                    insert(unit, cellId, start, packed, table);
                }
                changed = true;
            }
            while (e < n) {
                pending(scratchRecord[e++], SlotDescriptor.NIL);
            }
            // Phase 2: only now retire the old records, under a new removal sequence.
            if (pendingCount > 0) {
                final int sequence = (removalSequence + 1) & SEQUENCE_MASK;
                removalSequence = sequence;
                for (int i = 0; i < pendingCount; i++) {
                    final int old = pendingOld[i];
                    final int fresh = pendingFresh[i];
                    if (removeOrMark(old, sequence)) {
                        changed = true;
                    } else if (fresh != SlotDescriptor.NIL) {
                        // Held or booked: the old record stays (marked), its replacement goes. When
                        // the hold ends the old one goes too; the next snapshot lists the slot anew.
                        tombstone(fresh, sequence);
                    }
                }
                // Records went: the hours they leave empty leave the summary (only now, after the
                // removal: a reader that still sees the old records began before the sequence was
                // raised, and sees the new records' bits, set in phase 1).
                summarise(practitioner, table, sites);
            }
            hintUnits(practitioner, table, sites);
            return changed;
        } finally {
            ownPractitioner = -1; // a later insert (a directory change) must not place by this list
        }
    }

    /**
     * During {@link #replace}: the practitioner's records in its sites' chains when it began
     * (every source, not GONE then) and those it wrote since, as (unit, record, start); what
     * {@link #chainPosition} places a new record by, without the cell's grouping. Writer only.
     */
    private int ownPractitioner = -1;
    private int ownCount;
    private int[] ownUnit = new int[64];
    private int[] ownRecord = new int[64];
    private int[] ownStart = new int[64];

    private void own(final int unit, final int record, final int start) {
        if (ownCount == ownUnit.length) {
            ownUnit = Arrays.copyOf(ownUnit, ownCount * 2);
            ownRecord = Arrays.copyOf(ownRecord, ownCount * 2);
            ownStart = Arrays.copyOf(ownStart, ownCount * 2);
        }
        ownUnit[ownCount] = unit;
        ownRecord[ownCount] = record;
        ownStart[ownCount++] = start;
    }

    /**
     * Recomputes the summary words of a practitioner's units from their records that are not GONE
     * (every source; held and booked ones included: see {@link UnitSummary}). Writer thread.
     */
    private void summarise(final int practitioner, final CellTable table, final int sites) {
        final UnitSummary summary = table.summary();
        for (int site = 0; site < sites; site++) {
            final int unit = SlotDescriptor.unit(practitioner, site);
            final int u = table.entryOf(unit);
            if (u < 0) {
                continue;
            }
            final int n = collectUnit(unit, ANY_SOURCE, table.cellOf(unit), 0);
            long office = 0;
            long tele = 0;
            long home = 0;
            for (int i = 0; i < n; i++) {
                final long bit = 1L << (Minutes.bucket(scratchStart[i]) % RING);
                final int modalities = SlotDescriptor.modalities(packed(scratchRecord[i]));
                office |= (modalities & 1) != 0 ? bit : 0;
                tele |= (modalities & 2) != 0 ? bit : 0;
                home |= (modalities & 4) != 0 ? bit : 0;
            }
            summary.store(u, 0, office);
            summary.store(u, 1, tele);
            summary.store(u, 2, home);
        }
    }

    /**
     * Sets the office hint of each of the practitioner's units from its records as this replace
     * leaves them ({@code own}: those of its cells' chains when it began, and those it wrote):
     * the earliest that is not GONE, has the office modality and starts no earlier than the
     * writer's clock, or none when two such start at the same minute (which of them a chain walk meets first is not known, and the hint must
     * name that one). After phase 2: the records it names are published, and a reader that
     * still takes the previous hint takes a record of the previous snapshot, which it could
     * have seen whole (see the class comment, "Office hints"). Writer thread; O(own records).
     */
    private void hintUnits(final int practitioner, final CellTable table, final int sites) {
        if (!table.keepsHints()) {
            return;
        }
        // Slots begun by the writer's clock are left out: a search from now on cannot take them,
        // and a hint on one would send every search to the chain until it expired.
        final int from = writerMinute;
        if (from > hintFloor) {
            hintFloor = from; // before the hints chosen from it (volatile write, then their release stores)
        }
        for (int site = 0; site < sites; site++) {
            final int unit = SlotDescriptor.unit(practitioner, site);
            final int u = table.entryOf(unit);
            if (u < 0) {
                continue;
            }
            int best = SlotDescriptor.NIL;
            int bestStart = Integer.MAX_VALUE;
            boolean tie = false;
            for (int i = 0; i < ownCount; i++) {
                final int r = ownRecord[i];
                if (ownUnit[i] != unit || ownStart[i] > bestStart || ownStart[i] < from
                    || (SlotDescriptor.modalities(packed(r)) & OFFICE) == 0
                    || SlotDescriptor.state(stateWord(r)) == SlotDescriptor.STATE_GONE) {
                    continue;
                }
                tie = ownStart[i] == bestStart;
                best = r;
                bestStart = ownStart[i];
            }
            table.hint(u, tie ? SlotDescriptor.NIL : best);
        }
    }

    /** The office modality's bit in a record (Modality.OFFICE), the one hints are kept for. */
    private static final int OFFICE = 1;

    private int pendingCount;
    private int[] pendingOld = new int[64];
    private int[] pendingFresh = new int[64];

    private void pending(final int old, final int fresh) {
        if (pendingCount == pendingOld.length) {
            pendingOld = Arrays.copyOf(pendingOld, pendingCount * 2);
            pendingFresh = Arrays.copyOf(pendingFresh, pendingCount * 2);
        }
        pendingOld[pendingCount] = old;
        pendingFresh[pendingCount] = fresh;
        pendingCount++;
    }

    private void ensureScratch(final int n) {
        if (n > scratchRecord.length) {
            final int size = Math.max(n, scratchRecord.length * 2);
            scratchRecord = Arrays.copyOf(scratchRecord, size);
            scratchStart = Arrays.copyOf(scratchStart, size);
        }
    }

    /** {@link #collectUnit} of every source. */
    private static final int ANY_SOURCE = -1;
    /** {@link #collectStragglers} of every site. */
    private static final int ANY_UNIT = -1;

    /**
     * Appends to {@code scratchRecord/scratchStart} from {@code n} the records of (unit, source) in
     * {@code cellId} that are not GONE; returns the new count (unsorted: see {@link #sortScratch}).
     * The main site's cell is grouped once and the grouping serves the next practitioners of the
     * cell; another site's cell is walked without disturbing that grouping (the writer's order
     * follows main sites' cells, so regrouping for a second site would undo the locality).
     */
    private int collectUnit(final int unit, final int source, final int cellId, final int n0) {
        if (cellId < 0) {
            return n0;
        }
        if (groupedCell != cellId) {
            if (SlotDescriptor.siteOf(unit) != 0) {
                return walkUnit(unit, source, cellId, n0);
            }
            group(cellId);
        }
        int n = n0;
        // The sorted part by binary search on (unit, record), then the appended tail.
        int lo = 0;
        int hi = groupedSorted;
        final long first = (long) unit << 32;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (groupedKey[mid] < first) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int i = lo; i < groupedSorted && (int) (groupedKey[i] >>> 32) == unit; i++) {
            n = take((int) groupedKey[i], source, n);
        }
        for (int i = groupedSorted; i < groupedCount; i++) {
            if ((int) (groupedKey[i] >>> 32) == unit) {
                n = take((int) groupedKey[i], source, n);
            }
        }
        return n;
    }

    /** {@link #collectUnit} by a walk of the cell's live chains, for a cell that is not the grouped one. */
    private int walkUnit(final int unit, final int source, final int cellId, final int n0) {
        int n = n0;
        final int[] h = heads;
        for (int bucket = oldestLiveBucket; bucket <= currentBucket + FUTURE_BUCKETS; bucket++) {
            final int slot = bucket % RING;
            if (ringBucket[slot] != bucket) {
                continue;
            }
            int r = h[cellId * RING + slot];
            while (r != SlotDescriptor.NIL) {
                final ByteBuffer b = pages[SlotDescriptor.page(r)];
                final int o = SlotDescriptor.offset(r);
                if ((int) INT.get(b, o + SlotDescriptor.PRACTITIONER_OFFSET) == unit) {
                    n = take(r, source, n);
                }
                r = (int) INT.get(b, o + SlotDescriptor.NEXT_IN_CELL_OFFSET);
            }
        }
        return n;
    }

    /**
     * Appends the practitioner's live stragglers (of {@code unit}, or of any site for
     * {@link #ANY_UNIT}) and of {@code source}; forgets those that expired or went.
     */
    private int collectStragglers(final int practitioner, final int unit, final int source, final int n0) {
        int n = n0;
        final IntArrayList away = stragglers.isEmpty() ? null : stragglers.get(practitioner);
        if (away != null) {
            for (int i = away.size() - 1; i >= 0; i--) {
                final int r = away.getInt(i);
                if (isLive(r, practitioner)) {
                    if (unit == ANY_UNIT || unitOf(r) == unit) {
                        n = take(r, source, n);
                    }
                } else {
                    away.removeAt(i); // expired, reused or GONE: nothing to remember
                }
            }
            if (away.isEmpty()) {
                stragglers.remove(practitioner);
            }
        }
        return n;
    }

    /** Sorts the scratch arrays {@code [0, n)} by start (then record), dropping a record seen twice; the new count. */
    private int sortScratch(final int n) {
        // Insertion sort by start (one practitioner's slots).
        int w = 0;
        for (int i = 0; i < n; i++) {
            final int r = scratchRecord[i];
            final int s = scratchStart[i];
            int j = w - 1;
            while (j >= 0 && (scratchStart[j] > s || scratchStart[j] == s && scratchRecord[j] > r)) {
                j--;
            }
            if (j >= 0 && scratchRecord[j] == r) {
                continue;
            }
            System.arraycopy(scratchRecord, j + 1, scratchRecord, j + 2, w - j - 1);
            System.arraycopy(scratchStart, j + 1, scratchStart, j + 2, w - j - 1);
            scratchRecord[j + 1] = r;
            scratchStart[j + 1] = s;
            w++;
        }
        return w;
    }

    /** Appends {@code record} to the scratch arrays if it is of {@code source} and not GONE. */
    private int take(final int record, final int source, final int n) {
        final ByteBuffer b = page(record);
        final int o = SlotDescriptor.offset(record);
        // A record retire()d to GONE (its hold ended after its vendor stopped listing it) is left
        // out: were it kept, a snapshot listing the slot again would match it and keep it GONE
        // instead of publishing a free record.
        if ((source != ANY_SOURCE && SlotDescriptor.source((int) INT.get(b, o + SlotDescriptor.PACKED_OFFSET)) != source)
            || SlotDescriptor.state((int) INT.getAcquire(b, o + SlotDescriptor.STATE_WORD_OFFSET)) == SlotDescriptor.STATE_GONE) {
            return n;
        }
        ensureScratch(n + 1);
        scratchRecord[n] = record;
        scratchStart[n] = (int) INT.get(b, o + SlotDescriptor.START_OFFSET);
        return n + 1;
    }

    /** {@code true} when a remembered record is still in a live bucket, of that practitioner (any site), not GONE. */
    private boolean isLive(final int record, final int practitioner) {
        final int page = SlotDescriptor.page(record);
        if (page >= pageCount || pageBucket[page] < oldestLiveBucket) {
            return false;
        }
        final ByteBuffer b = pages[page];
        final int o = SlotDescriptor.offset(record);
        return Minutes.bucket((int) INT.get(b, o + SlotDescriptor.START_OFFSET)) == pageBucket[page]
            && SlotDescriptor.practitionerOf((int) INT.get(b, o + SlotDescriptor.PRACTITIONER_OFFSET)) == practitioner
            && SlotDescriptor.state((int) INT.getAcquire(b, o + SlotDescriptor.STATE_WORD_OFFSET)) != SlotDescriptor.STATE_GONE;
    }

    /**
     * Walks the live chains of {@code cellId} and groups their records that are not GONE by
     * practitioner ({@code groupedKey}: practitioner in the high half, record in the low half,
     * sorted). One walk serves every replacement in the cell until the writer moves to another
     * cell or a bucket is reclaimed; records written meanwhile are appended ({@link #appendGrouped}).
     */
    private void group(final int cellId) {
        int n = 0;
        final int[] h = heads;
        for (int bucket = oldestLiveBucket; bucket <= currentBucket + FUTURE_BUCKETS; bucket++) {
            final int slot = bucket % RING;
            if (ringBucket[slot] != bucket) {
                continue; // nothing written in that hour yet
            }
            int r = h[cellId * RING + slot];
            while (r != SlotDescriptor.NIL) {
                final ByteBuffer b = pages[SlotDescriptor.page(r)];
                final int o = SlotDescriptor.offset(r);
                if (SlotDescriptor.state((int) INT.getAcquire(b, o + SlotDescriptor.STATE_WORD_OFFSET))
                    != SlotDescriptor.STATE_GONE) {
                    if (n == groupedKey.length) {
                        groupedKey = Arrays.copyOf(groupedKey, n * 2);
                    }
                    groupedKey[n++] = ((long) (int) INT.get(b, o + SlotDescriptor.PRACTITIONER_OFFSET) << 32)
                        | (r & 0xFFFF_FFFFL);
                }
                r = (int) INT.get(b, o + SlotDescriptor.NEXT_IN_CELL_OFFSET);
            }
        }
        Arrays.sort(groupedKey, 0, n);
        groupedCount = n;
        groupedSorted = n;
        groupedCell = cellId;
    }

    /**
     * Adds a record just written in the grouped cell. The tail of appended entries is merged
     * (GONE entries dropped, everything sorted) when it outgrows a quarter of the sorted part: each
     * insert costs O(log n) amortised and a lookup scans at most that tail.
     */
    private void appendGrouped(final int practitioner, final int record) {
        if (groupedCount == groupedKey.length) {
            groupedKey = Arrays.copyOf(groupedKey, groupedCount * 2);
        }
        groupedKey[groupedCount++] = ((long) practitioner << 32) | (record & 0xFFFF_FFFFL);
        if (groupedCount - groupedSorted > 64 + groupedSorted / 4) {
            int w = 0;
            for (int i = 0; i < groupedCount; i++) {
                if (SlotDescriptor.state(stateWord((int) groupedKey[i])) != SlotDescriptor.STATE_GONE) {
                    groupedKey[w++] = groupedKey[i];
                }
            }
            Arrays.sort(groupedKey, 0, w);
            groupedCount = w;
            groupedSorted = w;
        }
    }

    /**
     * Clears the unlisted flag of a record its vendor lists again. {@code false} when the record
     * is GONE (a hold ended, retiring it, after the writer collected it): the caller writes a new
     * record. One word read, one compare-and-set per attempt.
     */
    private boolean relist(final int record) {
        final ByteBuffer b = page(record);
        final int o = SlotDescriptor.offset(record) + SlotDescriptor.STATE_WORD_OFFSET;
        while (true) {
            final int word = (int) INT.getAcquire(b, o);
            if (SlotDescriptor.state(word) == SlotDescriptor.STATE_GONE) {
                return false;
            }
            if (!SlotDescriptor.unlisted(word) || INT.compareAndSet(b, o, word, word & ~SlotDescriptor.UNLISTED_FLAG)) {
                return true;
            }
        }
    }

    /**
     * A record the latest snapshot no longer lists (as it is): a free one goes GONE at removal
     * {@code sequence} ({@code true}); a held or booked one stays and is marked unlisted, so that
     * it goes, rather than becomes free, when its hold ends ({@code false}). Both decided from one
     * word in one compare-and-set loop: a release between a failed removal and a separate marking
     * would leave a FREE record carrying the flag, or shown free while its replacement is gone.
     */
    private boolean removeOrMark(final int record, final int sequence) {
        final ByteBuffer b = page(record);
        final int o = SlotDescriptor.offset(record) + SlotDescriptor.STATE_WORD_OFFSET;
        while (true) {
            final int word = (int) INT.getAcquire(b, o);
            switch (SlotDescriptor.state(word)) {
                case SlotDescriptor.STATE_GONE:
                    return true;
                case SlotDescriptor.STATE_FREE:
                    if (INT.compareAndSet(b, o, word, SlotDescriptor.gone(sequence))) {
                        removedFree(record);
                        return true;
                    }
                    break;
                default:
                    if (SlotDescriptor.unlisted(word) || INT.compareAndSet(b, o, word, word | SlotDescriptor.UNLISTED_FLAG)) {
                        return false;
                    }
                    break;
            }
        }
    }

    private void removedFree(final int record) {
        final int start = (int) INT.get(page(record), SlotDescriptor.offset(record) + SlotDescriptor.START_OFFSET);
        bucketLive[Minutes.bucket(start) % RING]--;
        liveSlots--;
    }

    /**
     * Marks a record GONE at removal {@code sequence} if it is free; {@code false} when it is held
     * or booked (it stays). A GONE state word holds the sequence in place of the version.
     */
    private boolean tombstone(final int record, final int sequence) {
        final ByteBuffer b = page(record);
        final int o = SlotDescriptor.offset(record) + SlotDescriptor.STATE_WORD_OFFSET;
        while (true) {
            final int word = (int) INT.getAcquire(b, o);
            final int state = SlotDescriptor.state(word);
            if (state == SlotDescriptor.STATE_GONE) {
                return true;
            }
            if (state != SlotDescriptor.STATE_FREE) {
                return false;
            }
            if (INT.compareAndSet(b, o, word, SlotDescriptor.gone(sequence))) {
                removedFree(record);
                return true;
            }
        }
    }

    /**
     * Writes a new FREE record of {@code unit} and links it into its (bucket, cell) chain in chain
     * order ({@link #chainPosition}), then sets its hour in {@code table}'s summary (the current
     * table, or during a directory change the one about to be published).
     */
    private int insert(final int unit, final int cellId, final int start, final int packed, final CellTable table) {
        final int bucket = Minutes.bucket(start);
        final int slot = bucket % RING;
        final int record = allocate(bucket, slot);
        final ByteBuffer b = page(record);
        final int o = SlotDescriptor.offset(record);
        final int[] h = heads;
        final int headIndex = cellId * RING + slot;
        // allocate() reclaimed the ring position if an older bucket held it: any head left here
        // is this bucket's.
        final int chainClass = table.chainClass(unit);
        final int after = chainPosition(unit, cellId, bucket, start, chainClass);
        final int next = after == SlotDescriptor.NIL ? (int) HEAD.getAcquire(h, headIndex)
            : (int) INT.get(page(after), SlotDescriptor.offset(after) + SlotDescriptor.NEXT_IN_CELL_OFFSET);
        // The version continues from whatever this location held before, so a token for an
        // earlier life of the location never matches; nothing else of that life is kept (an
        // unlisted flag left by a booking would send this new slot to GONE when a hold ends).
        final int previousWord = (int) INT.get(b, o + SlotDescriptor.STATE_WORD_OFFSET);
        INT.set(b, o + SlotDescriptor.STATE_WORD_OFFSET,
            SlotDescriptor.transition(previousWord & ~SlotDescriptor.UNLISTED_FLAG, SlotDescriptor.STATE_FREE));
        INT.set(b, o + SlotDescriptor.PRACTITIONER_OFFSET, unit);
        INT.set(b, o + SlotDescriptor.START_OFFSET, start);
        INT.set(b, o + SlotDescriptor.PACKED_OFFSET, SlotDescriptor.withClass(packed, chainClass));
        INT.set(b, o + SlotDescriptor.NEXT_IN_CELL_OFFSET, next);
        // Published by one release store, of the head or of the predecessor's link: a reader that
        // reads that link (acquire) sees the record whole; one that read it before walks on
        // without it, as it would have before a head insertion.
        if (after == SlotDescriptor.NIL) {
            HEAD.setRelease(h, headIndex, record);
        } else {
            INT.setRelease(page(after), SlotDescriptor.offset(after) + SlotDescriptor.NEXT_IN_CELL_OFFSET, record);
        }
        // After the head: a reader that sees the bit (acquire) sees the record. Before the caller
        // raises the removal sequence: a reader that no longer sees the records this one
        // replaces sees its bit (UnitSummary's invariant).
        final int u = table.entryOf(unit);
        if (u >= 0) {
            table.summary().add(u, cellId, SlotDescriptor.modalities(packed), slot);
        }
        if (cellId == groupedCell) {
            appendGrouped(unit, record);
        }
        if (ownPractitioner == SlotDescriptor.practitionerOf(unit)) {
            own(unit, record, start);
        }
        bucketLive[slot]++;
        liveSlots++;
        return record;
    }

    /**
     * Where a new record of {@code unit} starting at {@code start} goes in its (bucket, cell)
     * chain: the record to link it after, or NIL for the head (see "Chain order"). After the
     * unit's last record of the chain that starts no later and is not GONE; when it has none,
     * first of its chain class, or before its first record if that comes earlier (they all start
     * later). During a {@link #replace} the unit's records are the practitioner's, collected once
     * ({@code own}); otherwise (a directory change copying slots to a new cell), or when two of
     * them start at the same minute (which comes last along the chain is not known), the chain
     * is walked. The class's place costs a walk over the records of the lower classes: none for
     * GP participants. Writer thread.
     *
     * <p>GONE records are left out: a new record may go before a GONE one of its unit that
     * starts earlier. Only a reader that began before that record's removal still counts it
     * free, and it may then take the new record, free and published after the removal, for the
     * unit's earliest: a slot that is free, where the removed one no longer is. Keeping GONE
     * records in order would cost a walk of the whole chain for each record: a vendor that
     * changes a slot at every snapshot leaves hundreds of GONE records in an hour's chain.
     */
    private int chainPosition(final int unit, final int cellId, final int bucket, final int start,
                              final int chainClass) {
        if (ownPractitioner == SlotDescriptor.practitionerOf(unit)) {
            // A record that went GONE since is still in its place: after it is as good.
            int last = SlotDescriptor.NIL;
            int lastStart = Integer.MIN_VALUE;
            boolean tie = false;
            for (int i = 0; i < ownCount; i++) {
                final int s = ownStart[i];
                if (ownUnit[i] != unit || s > start || Minutes.bucket(s) != bucket) {
                    continue;
                }
                if (s > lastStart) {
                    last = ownRecord[i];
                    lastStart = s;
                    tie = false;
                } else if (s == lastStart) {
                    tie = true;
                }
            }
            if (last == SlotDescriptor.NIL) {
                return classPosition(unit, cellId, bucket, chainClass);
            }
            if (!tie || lastStart == start) {
                return last;
            }
        }
        // A walk: along the chain the unit's records that are not GONE come in start order, so
        // the last one met that starts no later is the one.
        int last = SlotDescriptor.NIL;
        final int slot = bucket % RING;
        for (int r = heads[cellId * RING + slot]; r != SlotDescriptor.NIL; ) {
            final ByteBuffer b = pages[SlotDescriptor.page(r)];
            final int o = SlotDescriptor.offset(r);
            if ((int) INT.get(b, o + SlotDescriptor.PRACTITIONER_OFFSET) == unit
                && (int) INT.get(b, o + SlotDescriptor.START_OFFSET) <= start
                && SlotDescriptor.state((int) INT.getAcquire(b, o + SlotDescriptor.STATE_WORD_OFFSET))
                != SlotDescriptor.STATE_GONE) {
                last = r;
            }
            r = (int) INT.get(b, o + SlotDescriptor.NEXT_IN_CELL_OFFSET);
        }
        return last != SlotDescriptor.NIL ? last : classPosition(unit, cellId, bucket, chainClass);
    }

    /**
     * For a unit with no record that starts no later in the chain: the record to link after so
     * that the new one comes first of its chain class (see "Chain order"), and before any record of
     * its unit that is not GONE (they all start later). Walks the records of the lower classes.
     */
    private int classPosition(final int unit, final int cellId, final int bucket, final int chainClass) {
        int previous = SlotDescriptor.NIL;
        for (int r = heads[cellId * RING + bucket % RING]; r != SlotDescriptor.NIL; ) {
            final ByteBuffer b = pages[SlotDescriptor.page(r)];
            final int o = SlotDescriptor.offset(r);
            if (SlotDescriptor.chainClass((int) INT.get(b, o + SlotDescriptor.PACKED_OFFSET)) >= chainClass
                || (int) INT.get(b, o + SlotDescriptor.PRACTITIONER_OFFSET) == unit
                && SlotDescriptor.state((int) INT.getAcquire(b, o + SlotDescriptor.STATE_WORD_OFFSET))
                != SlotDescriptor.STATE_GONE) {
                break;
            }
            previous = r;
            r = (int) INT.get(b, o + SlotDescriptor.NEXT_IN_CELL_OFFSET);
        }
        return previous;
    }

    private int allocate(final int bucket, final int slot) {
        if (ringBucket[slot] != bucket) {
            if (ringBucket[slot] != NO_BUCKET) {
                reclaim(slot, Minutes.floor(clock.instant())); // an expired bucket advance() has not reached yet
                epoch = epoch + 1;
            }
            ringBucket[slot] = bucket;
            retiredByHolds.set(slot, retiredTag(bucket));
        }
        if (bucketFill[slot] == SlotDescriptor.RECORDS_PER_PAGE) {
            final int page = freePages.isEmpty() ? newPage() : freePages.pollInt();
            pageBucket[page] = bucket;
            bucketPages[slot].addInt(page);
            bucketFill[slot] = 0;
        }
        final IntArrayList list = bucketPages[slot];
        return (list.getInt(list.size() - 1) << SlotDescriptor.RECORDS_PER_PAGE_SHIFT) | bucketFill[slot]++;
    }

    private int newPage() {
        final int page = pageCount;
        ByteBuffer[] p = pages;
        if (page == p.length) {
            p = Arrays.copyOf(p, p.length * 2);
            pageBucket = Arrays.copyOf(pageBucket, p.length);
            Arrays.fill(pageBucket, page, p.length, -1);
        }
        p[page] = ByteBuffer.allocateDirect(SlotDescriptor.PAGE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        pages = p; // volatile publish before any head can point into the page
        pageCount++;
        return page;
    }

    /**
     * The practitioner's main site's entry in the cell table, counted from the last (-1 when
     * unknown): entries are grouped by cell, so practitioners replaced in this order are replaced
     * cell by cell, and within a cell in reverse entry order. A unit's first record in a chain
     * goes to its head ("Chain order"), so that order leaves each (bucket, cell) chain in entry
     * order, GP participants first, in consecutive records of the bucket's pages: a chain walk
     * reads memory sequentially (see {@link SlotSink#localityKey}). Writer thread.
     */
    @Override
    public int localityKey(final int practitioner) {
        final CellTable table = cells;
        final int e = table.entryOf(practitioner);
        return e < 0 ? -1 : table.unitCount() - 1 - e;
    }

    // =====================================================================================
    // Readers
    // =====================================================================================

    /** The read-only face of this index that hosts get (no writer method, no state change). Any thread. */
    public IndexView view() {
        return view;
    }

    /** The current cell table. Any thread. */
    public CellTable cells() {
        return cells;
    }

    /** A new cursor for the calling thread (reuse it: it allocates nothing once created). */
    public SlotCursor cursor() {
        final SlotCursor c = new SlotCursor(this);
        cursors.add(new WeakReference<>(c));
        return c;
    }

    /** The reclamation epoch (volatile read), announced by {@link SlotCursor#begin}. */
    long epochForReaders() {
        return epoch;
    }

    /** The removal sequence a reader captures when it starts (volatile read). */
    int removalSequenceForReaders() {
        return removalSequence;
    }

    /** The writer's current bucket (volatile read): readers clamp their windows to the live buckets around it. */
    int liveBucketForReaders() {
        return liveBucket;
    }

    ByteBuffer[] pagesForReaders() {
        return pages;
    }

    int[] headsForReaders() {
        return heads;
    }

    ByteBuffer page(final int record) {
        return pages[SlotDescriptor.page(record)];
    }

    /**
     * The record of a slot that is not GONE, by identity (practitioner, source, start minute), or
     * -1. Walks one (bucket, cell) chain per site of the practitioner, main site first. Any
     * thread; allocation-free.
     */
    public int findSlot(final int practitioner, final int source, final int startMinute) {
        final CellTable table = cells;
        final int sites = SlotDescriptor.practitionerOf(practitioner) == practitioner ? table.siteCount(practitioner) : 0;
        for (int site = 0; site < sites; site++) {
            final int unit = SlotDescriptor.unit(practitioner, site);
            final int r = findSlot(unit, table.cellOf(unit), source, startMinute);
            if (r != SlotDescriptor.NIL) {
                return r;
            }
        }
        return SlotDescriptor.NIL;
    }

    /** {@link #findSlot} in the chain of one unit's cell. */
    private int findSlot(final int unit, final int cellId, final int source, final int startMinute) {
        if (cellId < 0) {
            return SlotDescriptor.NIL;
        }
        final int bucket = Minutes.bucket(startMinute);
        final int live = liveBucket;
        if (bucket < live - PAST_BUCKETS || bucket > live + FUTURE_BUCKETS) {
            return SlotDescriptor.NIL; // not a live hour: no chain of it, and no negative ring position
        }
        final int[] h = heads;
        final int headIndex = cellId * RING + (bucket % RING);
        if (headIndex >= h.length) {
            return SlotDescriptor.NIL;
        }
        ByteBuffer[] p = pages;
        // A head of another bucket sharing the ring position fails the start check below.
        int r = (int) HEAD.getAcquire(h, headIndex);
        while (r != SlotDescriptor.NIL) {
            if (SlotDescriptor.page(r) >= p.length) {
                p = pages;
            }
            final ByteBuffer b = p[SlotDescriptor.page(r)];
            final int o = SlotDescriptor.offset(r);
            final int word = (int) INT.getAcquire(b, o + SlotDescriptor.STATE_WORD_OFFSET);
            final int start = (int) INT.get(b, o + SlotDescriptor.START_OFFSET);
            if (Minutes.bucket(start) != bucket) {
                return SlotDescriptor.NIL; // the bucket expired under us
            }
            if (start == startMinute && SlotDescriptor.state(word) != SlotDescriptor.STATE_GONE
                && (int) INT.get(b, o + SlotDescriptor.PRACTITIONER_OFFSET) == unit
                && SlotDescriptor.source((int) INT.get(b, o + SlotDescriptor.PACKED_OFFSET)) == source) {
                return r;
            }
            r = (int) INT.getAcquire(b, o + SlotDescriptor.NEXT_IN_CELL_OFFSET); // linked by a release store
        }
        return SlotDescriptor.NIL;
    }

    /**
     * Removes one slot its vendor no longer lists, without a whole replacement (the check at
     * hold asked the vendor about that slot alone): a free record goes GONE under a new removal
     * sequence, as a replacement would retire it; a held or booked one is marked unlisted, so it
     * goes when its hold ends. The next replacement that lists the slot writes it anew. Writer
     * thread only.
     *
     * @return {@code true} when a free record went
     */
    public boolean forget(final int practitioner, final int source, final int startMinute) {
        final int r = findSlot(practitioner, source, startMinute);
        if (r == SlotDescriptor.NIL) {
            return false;
        }
        final int sequence = (removalSequence + 1) & SEQUENCE_MASK;
        removalSequence = sequence;
        return removeOrMark(r, sequence) && SlotDescriptor.state(stateWord(r)) == SlotDescriptor.STATE_GONE;
    }

    /** The state word of a record (acquire). Any thread. */
    public int stateWord(final int record) {
        return (int) INT.getAcquire(page(record), SlotDescriptor.offset(record) + SlotDescriptor.STATE_WORD_OFFSET);
    }

    /**
     * Compare-and-set of a record's state word: how booking moves a slot between FREE, HELD and
     * BOOKED. Any thread; a query that reads the state after the CAS sees the new state. A record
     * whose hold ends while {@link SlotDescriptor#unlisted} is set should go to GONE, not FREE: use
     * {@link #retire}.
     */
    public boolean casState(final int record, final int expectedWord, final int newWord) {
        if (!INT.compareAndSet(page(record), SlotDescriptor.offset(record) + SlotDescriptor.STATE_WORD_OFFSET,
            expectedWord, newWord)) {
            return false;
        }
        if (SlotDescriptor.state(newWord) == SlotDescriptor.STATE_FREE) {
            markFree(record);
        }
        return true;
    }

    /**
     * After a record went back to FREE (any thread): its hour is set in the summary of the current
     * cell table, and again in a table published meanwhile (the writer carries the previous
     * table's bits over once more after publishing: see {@link #updateDirectory}). A reader that
     * begins after this returns sees the bit; one running meanwhile may miss the slot, as it may
     * any concurrent change.
     */
    private void markFree(final int record) {
        final int unit = unitOf(record);
        final int position = Minutes.bucket(startMinute(record)) % RING;
        final int modalities = SlotDescriptor.modalities(packed(record));
        CellTable t = cells;
        while (true) {
            final int u = t.entryOf(unit);
            if (u >= 0) {
                t.summary().add(u, t.cellOf(unit), modalities, position);
            }
            final CellTable again = cells;
            if (again == t) {
                return;
            }
            t = again;
        }
    }

    /**
     * Ends a hold or booking on a record: back to FREE, or to GONE when the vendor no longer lists
     * it (unlisted flag) or when it is not in its practitioner's current cell. Returns
     * {@code false} when the state word is no longer {@code expectedWord}. Any thread.
     *
     * <p>A record held or booked when its practitioner moved stays in the cell the practitioner
     * left (a straggler). Free there, it would be proposed by searches around the old place but
     * never by {@link #findSlot} (a hold refused GONE) nor by a search of the practitioner's own
     * cell (the médecin traitant's row), until its hour expired: so it goes GONE, and the next
     * snapshot that lists it writes it anew in the current cell (found by the engine simulation).
     */
    public boolean retire(final int record, final int expectedWord) {
        final boolean gone = SlotDescriptor.unlisted(expectedWord) || !inPractitionersCell(record);
        final int next = gone
            ? SlotDescriptor.gone(removalSequence)
            : SlotDescriptor.transition(expectedWord & ~SlotDescriptor.UNLISTED_FLAG, SlotDescriptor.STATE_FREE);
        if (!casState(record, expectedWord, next)) {
            return false; // (a successful CAS to FREE has set the summary's bit)
        }
        if (gone) {
            countRetired(Minutes.bucket(startMinute(record)));
        }
        return true;
    }

    /** {@code true} when {@code record} is the one {@link #findSlot} finds for its identity, in its practitioner's current cell. */
    private boolean inPractitionersCell(final int record) {
        return findSlot(practitioner(record), SlotDescriptor.source(packed(record)), startMinute(record)) == record;
    }

    /** Counts a record of {@code bucket} retired to GONE by a booking thread, unless the bucket already expired. */
    private void countRetired(final int bucket) {
        final int slot = bucket % RING;
        while (true) {
            final long v = retiredByHolds.get(slot);
            if ((int) (v >>> 32) != bucket || retiredByHolds.compareAndSet(slot, v, v + 1)) {
                return;
            }
        }
    }

    /**
     * The minute a search's "now" must reach for it to take a hint (see {@code hintFloor}); read
     * after the hint. Any thread.
     */
    public int hintFloorForReaders() {
        return hintFloor;
    }

    /** Start minute of a record. Any thread. */
    public int startMinute(final int record) {
        return (int) INT.get(page(record), SlotDescriptor.offset(record) + SlotDescriptor.START_OFFSET);
    }

    /** Practitioner (directory index) of a record. Any thread. */
    public int practitioner(final int record) {
        return SlotDescriptor.practitionerOf(unitOf(record));
    }

    /** Unit word (practitioner and site, {@link SlotDescriptor#unit}) of a record. Any thread. */
    public int unitOf(final int record) {
        return (int) INT.get(page(record), SlotDescriptor.offset(record) + SlotDescriptor.PRACTITIONER_OFFSET);
    }

    /** Site ordinal of a record in its practitioner's sites. Any thread. */
    public int site(final int record) {
        return SlotDescriptor.siteOf(unitOf(record));
    }

    /** Packed duration/flags/source of a record (see {@link SlotDescriptor}). Any thread. */
    public int packed(final int record) {
        return (int) INT.get(page(record), SlotDescriptor.offset(record) + SlotDescriptor.PACKED_OFFSET);
    }

    /**
     * Memory and content. Exact when called from the writer thread; from another thread the
     * counts may lag the writer by the update in flight.
     */
    public IndexStats stats() {
        final CellTable c = cells;
        final long heap = heads.length * 4L + c.heapBytes() + groupedKey.length * 8L
            + pageCount * 4L + (long) pages.length * 8;
        long retired = 0;
        for (int i = 0; i < RING; i++) {
            retired += retiredByHolds.get(i) & 0xFFFF_FFFFL;
        }
        return new IndexStats((long) pageCount * SlotDescriptor.PAGE_BYTES, heap, liveSlots - retired, pageCount,
            freePages.size() + quarantinedPages.size(), c.cellCount());
    }
}
