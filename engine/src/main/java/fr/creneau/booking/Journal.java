package fr.creneau.booking;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The write-ahead journal of holds, confirmations, releases and expiries: one append-only file in
 * a directory that one process owns. A record is in the file (and, by the {@link FsyncPolicy},
 * on the device) before the operation it describes is acknowledged; on start the file is
 * replayed to rebuild every standing hold and booking.
 *
 * <h2>Files</h2>
 * <pre>
 *  dir/journal.lock        owner lock (FileChannel.tryLock, polled up to the lock wait), holds the owner's pid
 *  dir/bookings.journal    the journal
 *  dir/bookings.journal.new       the first header being written (replaced at the next start)
 *  dir/bookings.journal.compact   a compaction in progress (deleted at start if left by a crash)
 *  dir/bookings.journal.dropped-OFFSET-MILLIS   a torn tail replay dropped, kept for an operator
 *  dir/bookings.journal.repaired-OFFSET-MILLIS  a damaged tail {@link #repair} moved aside
 * </pre>
 * The directory must be a real directory (not a symbolic link) owned by the user running the
 * process; a writer creates it {@code rwx------} (and tightens an older one to that). Every file
 * is opened with {@code NOFOLLOW_LINKS} and created {@code rw-------}; temporary and kept files
 * are created new ({@code CREATE_NEW}), so a planted link or file is never written through.
 *
 * <h2>Format (version 2, big-endian)</h2>
 * Version 2 is version 1 plus the record types 7 to 12 ({@link BookingRecord}: holds with a case,
 * the outbox's messages inside the records of their changes, outcomes, acknowledgements). A
 * version-1 file replays as it always did; a writer that opens one compacts it at once, so it is
 * never appended a type-2 record under a version-1 header (an older build would call that
 * damage rather than refuse the version).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Magic "CRNJ" (43 52 4E 4A)                    |  0  file header, 16 bytes,
 *  +-------------------------------+-------------------------------+     written once (temp file,
 *  |  Format version (u16) = 1     |  Header length (u16) = 16     |  4  force, atomic rename):
 *  +-------------------------------+-------------------------------+     never torn
 *  |            Created at (i64, epoch milliseconds)               |  8
 *  |                                                               |
 *  +===============================+===============================+
 *  |  Payload length N (u16)       |  N XOR 0xFFFF (u16)           |  record header, 8 bytes
 *  +-------------------------------+-------------------------------+
 *  |    CRC32C of the 4 length bytes, then of the payload (u32)    |
 *  +---------------------------------------------------------------+
 *  |  Payload: N bytes (see BookingRecord: HOLD, CONFIRMING,       |
 *  |  CONFIRM, RELEASE, EXPIRE, CANCELLING)                        |
 *  +===============================================================+
 *  |  next record ...                                              |
 * </pre>
 *
 * <h2>Replay: torn tail versus corruption</h2>
 * A crash (or power loss) during an append can leave a prefix of the last record, or a tail the
 * file system extended with zeros. Such a tail is dropped: copied first into a
 * {@code .dropped-} file (never erased), then the journal truncated to the last good record, so
 * appends resume on a clean boundary:
 * <ul>
 *   <li>fewer than 8 bytes left, or a record running past the end of the file: torn;</li>
 *   <li>a length whose complement does not match, with only zeros from there: torn;</li>
 *   <li>a complete record whose checksum fails and which ends the file (or is followed by zeros
 *       only): torn under {@link FsyncPolicy#NONE} only. Under ALWAYS and GROUP an acknowledged
 *       record was written whole and forced, so a complete record that fails its checksum is
 *       damage (a bit flip), not a torn write: {@link JournalCorruptException}.</li>
 * </ul>
 * Anything else that does not read back is a {@link JournalCorruptException} naming the offset;
 * nothing is skipped, since a skipped record could be a booking, and the file is left untouched.
 * {@link #repair} then moves everything from that offset aside into a {@code .repaired-} file,
 * truncates there and says what the moved bytes held. The length complement makes a damaged
 * length (which would otherwise be read as a record running past the end, hence "torn") almost
 * always detectable. The strictness follows the policy the journal is opened with.
 *
 * <h2>Failed appends</h2>
 * A failed write or force leaves the file's tail unknown, so the journal cuts the file back to
 * the end of the last acknowledged record and forces it: the callers of the failed record (of
 * the whole batch, under GROUP) are told it is not recorded, and no replay brings it back. After
 * a failed write (ENOSPC) the journal stays usable; after a failed force, or when even the cut
 * fails (the outcome is then unknown, and {@link JournalWriteException} says so), it takes no
 * more records until a restart. Every failure goes to the failure listener once.
 *
 * <h2>Read-only replay</h2>
 * {@link #replayReadOnly} reads the file without the lock and writes nothing (a search next to
 * the owner): a torn tail, or an append in flight, is ignored; damage is refused as above.
 *
 * <h2>Durability</h2>
 * {@code FileChannel.force(false)} ({@code fdatasync}: data plus the metadata needed to read it,
 * e.g. the file length). The file and its directory are forced after creation and after each
 * compaction's rename. See {@link FsyncPolicy}.
 *
 * <h2>Compaction</h2>
 * The journal keeps, per standing hold, the framed bytes of its HOLD and CONFIRM records, and of
 * its CONFIRMING or CANCELLING while no answer follows (about 300 bytes each). {@link #compact}
 * writes them to a new file, forces it, renames it over the journal and forces the directory: a
 * crash at any point leaves either the old or the new file, both complete. Ended holds disappear,
 * as do bookings of slots that ended before the retention horizon.
 *
 * <p><b>Thread-safety.</b> {@link #append} is safe from any number of threads: writes (and, for
 * ALWAYS, forces) are serialised by one lock; GROUP callers queue behind a leader that writes and
 * forces their records as one batch. Replay happens in {@link #open}, before the journal is shared.
 * {@code end} (the end of the last acknowledged record) only moves forward after a write and its
 * force succeeded, under appendLock.
 */
final class Journal implements AutoCloseable {
    static final String FILE = "bookings.journal";
    static final String LOCK_FILE = "journal.lock";
    static final String COMPACT_SUFFIX = ".compact";
    /** Written by this build; version 1 (no case, no outbox) is still read, and rewritten as 2 by the first writer. */
    static final int VERSION = 2;
    static final int OLDEST_VERSION = 1;
    static final int HEADER_BYTES = 16;
    static final int RECORD_HEADER_BYTES = 8;
    static final int MAX_PAYLOAD = 0xFFFF;
    private static final byte[] MAGIC = {'C', 'R', 'N', 'J'};

    /** Receives each replayed record with its offset (to name it in an error). */
    @FunctionalInterface
    interface Replayer {
        void apply(BookingRecord record, long offset);
    }

    /** What replay found; {@code keptIn} is the file that holds the dropped tail, or {@code null}. */
    record Replay(long records, long validBytes, long tornBytes, Path keptIn) {
    }

    /** The framed records of one standing hold, for compaction. */
    private static final class Live {
        final byte[] hold;
        final int slotEndMinute;
        /** CONFIRMING while no CONFIRM follows: the hold is in doubt, and must stay so after a compaction. */
        byte[] confirming;
        byte[] confirm;
        /** CANCELLING while no answer follows: the cancellation is in doubt, kept by a compaction too. */
        byte[] cancelling;

        Live(final byte[] hold, final int slotEndMinute) {
            this.hold = hold;
            this.slotEndMinute = slotEndMinute;
        }

        long bytes() {
            return hold.length + (confirming == null ? 0 : confirming.length) + (confirm == null ? 0 : confirm.length)
                + (cancelling == null ? 0 : cancelling.length);
        }
    }

    private final Path dir;
    /** This directory's key in {@link #OWNED}, given back by {@link #close()}. */
    private final Path owned;
    private final JournalIo io;
    private final Path file;
    private final FsyncPolicy policy;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Replay replay;

    private final ReentrantLock appendLock = new ReentrantLock();
    // ---- guarded by appendLock ----
    private FileChannel channel;
    private long end;
    private final Map<HoldToken, Live> live = new LinkedHashMap<>();
    private long liveBytes;
    /** Messages not yet acknowledged, by id, in the order they were recorded: carried by a compaction. */
    private final Map<java.util.UUID, fr.creneau.booking.outbox.OutboxMessage> unacked = new LinkedHashMap<>();
    /** Framed outcomes (without their messages, carried apart), with their minute: kept by a compaction within the horizon. */
    private final List<byte[]> outcomes = new ArrayList<>();
    private final List<Integer> outcomeMinutes = new ArrayList<>();
    // ---- group commit, guarded by queueLock ----
    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition batchDone = queueLock.newCondition();
    private List<Waiter> queue = new ArrayList<>();
    private boolean leading;
    // ---- any thread ----
    private volatile Throwable failure;
    private volatile boolean closed;
    private final LongAdder appends = new LongAdder();
    private final LongAdder forces = new LongAdder();
    private final LongAdder compactions = new LongAdder();
    private final LongAdder writeFailures = new LongAdder();
    private volatile Consumer<JournalWriteException> failureListener;

    private Journal(final Path dir, final Path owned, final FsyncPolicy policy, final JournalIo io,
                    final FileChannel lockChannel, final FileLock lock, final FileChannel channel, final Scan scan,
                    final Path keptIn) {
        this.dir = dir;
        this.owned = owned;
        this.io = io;
        this.file = dir.resolve(FILE);
        this.policy = policy;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.channel = channel;
        this.end = scan.validEnd;
        this.replay = new Replay(scan.records, scan.validEnd, scan.tornBytes, keptIn);
    }

    /**
     * Takes the directory's lock, creates the journal if absent, replays it into {@code replayer}
     * (moving a torn tail aside into a kept file and truncating it), and returns it ready for
     * appends.
     *
     * @throws JournalLockedException   another owner holds the directory
     * @throws JournalCorruptException  a damaged record that is not a torn tail (the file is untouched)
     * @throws JournalVersionException  not a journal, or another format version
     * @throws JournalException         the directory or file cannot be read or written, is a
     *                                  symbolic link, or the directory belongs to another user
     */
    static Journal open(final Path dir, final FsyncPolicy policy, final Replayer replayer) {
        return open(dir, policy, replayer, JournalIo.REAL, Duration.ZERO);
    }

    /**
     * {@link #open(Path, FsyncPolicy, Replayer)} through {@code io} (tests inject failures),
     * waiting up to {@code lockWait} for another owner to let the directory go.
     */
    static Journal open(final Path dir, final FsyncPolicy policy, final Replayer replayer, final JournalIo io,
                        final Duration lockWait) {
        final FileChannel lockChannel;
        final Path owned;
        try {
            ownDirectory(dir, true);
            owned = ownInProcess(dir, lockWait);
        } catch (final IOException e) {
            throw new JournalException(dir, "cannot open the journal directory", e);
        }
        try {
            lockChannel = io.open(dir.resolve(LOCK_FILE), Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), ownerOnly(dir));
            if (posix(dir)) {
                // Before the lock: this opens and closes the file, and closing any descriptor of
                // a file drops the process's POSIX locks on it.
                ownerOnly(dir.resolve(LOCK_FILE), OWNER_FILE);
            }
        } catch (final IOException e) {
            OWNED.remove(owned);
            throw new JournalException(dir, "cannot open the journal directory", e);
        }
        FileLock acquired = null;
        try {
            acquired = lock(dir, lockChannel, lockWait);
            final byte[] me = ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            lockChannel.truncate(0);
            lockChannel.write(ByteBuffer.wrap(me), 0);
            final Path file = dir.resolve(FILE);
            Files.deleteIfExists(dir.resolve(FILE + COMPACT_SUFFIX)); // an interrupted compaction: the journal is intact
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                create(io, dir, file);
            }
            final FileChannel channel = io.open(file, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS));
            try {
                if (posix(dir)) {
                    ownerOnly(file, OWNER_FILE); // an older version created it with the umask's permissions
                }
                final Journal journal;
                final Scan scan = new Scan(file, channel, policy != FsyncPolicy.NONE);
                final List<Pending> pending = new ArrayList<>();
                scan.run((r, offset, frame) -> pending.add(new Pending(r, offset, frame)));
                Path keptIn = null;
                if (scan.tornBytes > 0) {
                    // Never erase what replay drops: it may be the only trace of an operation.
                    keptIn = keepAside(io, dir, channel, scan.validEnd, "dropped");
                    channel.truncate(scan.validEnd);
                    channel.force(true);
                }
                journal = new Journal(dir, owned, policy, io, lockChannel, acquired, channel, scan, keptIn);
                for (final Pending p : pending) {
                    journal.model(p.record, p.frame);
                    replayer.apply(p.record, p.offset);
                }
                if (scan.version < VERSION) {
                    // Rewritten under the current header before any new record: keeps everything
                    // standing (no horizon), every unacknowledged message and every outcome.
                    journal.compact(Integer.MIN_VALUE);
                }
                return journal;
            } catch (final RuntimeException | IOException e) {
                channel.close();
                throw e;
            }
        } catch (final IOException e) {
            release(lockChannel, acquired);
            OWNED.remove(owned);
            throw new JournalException(dir, "cannot open the journal", e);
        } catch (final RuntimeException e) {
            release(lockChannel, acquired);
            OWNED.remove(owned);
            throw e;
        }
    }

    /**
     * Directories (real paths) owned by a journal of this process. A second instance must never
     * open the lock file while the first holds it: closing any descriptor of a file drops every
     * POSIX lock the process holds on it, so a refused second instance would silently hand the
     * directory to a third process.
     */
    private static final java.util.concurrent.ConcurrentHashMap<Path, Boolean> OWNED =
        new java.util.concurrent.ConcurrentHashMap<>();

    /** Claims {@code dir} for this process, waiting up to {@code wait}; returns the key to give back. */
    private static Path ownInProcess(final Path dir, final Duration wait) throws IOException {
        final Path key = dir.toRealPath();
        final long deadline = System.nanoTime() + wait.toNanos();
        while (OWNED.putIfAbsent(key, Boolean.TRUE) != null) {
            if (System.nanoTime() - deadline >= 0) {
                throw new JournalLockedException(dir, "another Créneau instance in this process (pid "
                    + ProcessHandle.current().pid() + ")" + (wait.isZero() ? "" : ", after waiting " + wait.toMillis()
                    + " ms"));
            }
            try {
                Thread.sleep(20);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JournalLockedException(dir, "another Créneau instance in this process, interrupted while waiting");
            }
        }
        return key;
    }

    /**
     * Replays the journal without taking the directory's lock and without writing anything (no
     * directory or file created, no tail truncated, no record appended): what a reader such as
     * a search needs while a writer owns the directory. A torn tail (an append in flight, or a
     * crash) is ignored and counted; a damaged record is refused as at {@link #open}. Records a
     * concurrent writer appends after the file's size is read are not seen.
     *
     * @return what was read; {@code null} when there is no journal yet
     */
    static Replay replayReadOnly(final Path dir, final FsyncPolicy policy, final Replayer replayer, final JournalIo io) {
        final Path file = dir.resolve(FILE);
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            ownDirectory(dir, false);
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            try (FileChannel channel = io.open(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                final Scan scan = new Scan(file, channel, policy != FsyncPolicy.NONE);
                scan.run((r, offset, frame) -> replayer.apply(r, offset));
                return new Replay(scan.records, scan.validEnd, scan.tornBytes, null);
            }
        } catch (final IOException e) {
            throw new JournalException(dir, "cannot read the journal", e);
        }
    }

    /**
     * Moves the damaged tail of a journal aside: from the first record that does not read back
     * (bad length, bad checksum, unreadable payload, or cut short) to the end of the file, into a
     * new file beside it ({@code bookings.journal.repaired-OFFSET-MILLIS}, owner-only, forced),
     * then truncates the journal there and forces it. Nothing is erased; the report says what the
     * moved bytes held, record by record where they still frame records, so an operator can
     * re-enter what was lost. Takes the directory's lock (without waiting): the owner must be
     * stopped. A sound journal is left as it is.
     *
     * @throws JournalLockedException  the directory has an owner
     * @throws JournalVersionException the header itself is damaged (not repairable here)
     * @throws JournalException        no journal, or it cannot be read or written
     */
    static JournalRepair.Report repair(final Path dir, final JournalIo io) {
        final Path file = dir.resolve(FILE);
        final FileChannel lockChannel;
        final Path owned;
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new JournalException(file, "no journal to repair");
            }
            ownDirectory(dir, false);
            owned = ownInProcess(dir, Duration.ZERO);
        } catch (final IOException e) {
            throw new JournalException(dir, "cannot open the journal directory", e);
        }
        try {
            lockChannel = io.open(dir.resolve(LOCK_FILE), Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), ownerOnly(dir));
        } catch (final IOException e) {
            OWNED.remove(owned);
            throw new JournalException(dir, "cannot open the journal directory", e);
        }
        FileLock lock = null;
        try {
            lock = lock(dir, lockChannel, Duration.ZERO);
            try (FileChannel channel = io.open(file, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS))) {
                final long size = channel.size();
                final Scan header = new Scan(file, channel, true);
                header.checkHeader(size);
                final Map<HoldToken, String> holds = new LinkedHashMap<>();
                final Standing standing = new Standing();
                long pos = HEADER_BYTES;
                long good = 0;
                String contradiction = null;
                while (true) {
                    final Framed f = Framed.read(channel, pos, size);
                    if (f == null || !f.sound()) {
                        break;
                    }
                    // A sound record that a start refuses all the same (a hold over a standing
                    // one): the damage starts there, or the repair would leave the journal refused.
                    contradiction = standing.refuses(f.record);
                    if (contradiction != null) {
                        break;
                    }
                    if (f.record instanceof BookingRecord.Hold) {
                        final BookingRecord.Hold h = (BookingRecord.Hold) f.record;
                        holds.put(h.token(), h.facts().slot() + ", held by " + h.operator().id());
                    }
                    good++;
                    pos = f.end;
                }
                if (pos >= size) {
                    return new JournalRepair.Report(file, size, 0, null, good, List.of());
                }
                final List<String> held = new ArrayList<>();
                for (long at = pos; at < size; ) {
                    final Framed read = Framed.read(channel, at, size);
                    final Framed f = at == pos && contradiction != null ? read.refused(contradiction) : read;
                    held.add(f.describe(holds));
                    if (f.end <= at) {
                        break; // no framing left to follow
                    }
                    at = f.end;
                }
                final Path kept = keepAside(io, dir, channel, pos, "repaired");
                channel.truncate(pos);
                channel.force(true);
                return new JournalRepair.Report(file, pos, size - pos, kept, good, held);
            }
        } catch (final IOException e) {
            throw new JournalException(dir, "cannot repair the journal", e);
        } finally {
            release(lockChannel, lock);
            OWNED.remove(owned);
        }
    }

    /** One record as framed at an offset, judged without throwing (for a repair). */
    private static final class Framed {
        final long at;
        /** Where the next record would start; {@code at} when the bytes frame nothing. */
        final long end;
        final String problem;
        final BookingRecord record;

        private Framed(final long at, final long end, final String problem, final BookingRecord record) {
            this.at = at;
            this.end = end;
            this.problem = problem;
            this.record = record;
        }

        boolean sound() {
            return problem == null;
        }

        /** The same record, refused for {@code why} although it reads back. */
        Framed refused(final String why) {
            return new Framed(at, end, why, record);
        }

        static Framed read(final FileChannel c, final long at, final long size) throws IOException {
            if (at >= size) {
                return null;
            }
            if (size - at < RECORD_HEADER_BYTES) {
                return new Framed(at, at, (size - at) + " bytes, too short for a record header (torn write)", null);
            }
            final ByteBuffer rh = ByteBuffer.allocate(RECORD_HEADER_BYTES);
            c.read(rh, at);
            final int length = rh.getShort(0) & 0xFFFF;
            if ((length ^ 0xFFFF) != (rh.getShort(2) & 0xFFFF)) {
                return new Framed(at, at, (size - at) + " bytes that do not frame a record (length and its complement"
                    + " differ)", null);
            }
            final long end = at + RECORD_HEADER_BYTES + length;
            if (end > size) {
                return new Framed(at, at, "a record of " + length
                    + " bytes cut short by the end of the file (torn write)", null);
            }
            final byte[] payload = new byte[length];
            c.read(ByteBuffer.wrap(payload), at + RECORD_HEADER_BYTES);
            final boolean crcOk = (int) crc(rh.array(), payload) == rh.getInt(4);
            BookingRecord r = null;
            String unreadable = null;
            try {
                r = BookingRecord.decode(payload);
            } catch (final IllegalArgumentException e) {
                unreadable = e.getMessage();
            }
            final String problem = !crcOk ? "checksum mismatch"
                : unreadable != null ? "unreadable: " + unreadable : null;
            return new Framed(at, end, problem, r);
        }

        /** One line: the offset, what the bytes say (as far as they can be read), what is wrong. */
        String describe(final Map<HoldToken, String> holds) {
            final StringBuilder sb = new StringBuilder("at byte ").append(at).append(": ");
            if (record == null) {
                sb.append(problem);
                return sb.toString();
            }
            final String type = record.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
            sb.append(type).append(" of hold ").append(record.token()).append(" at ").append(record.at());
            if (record instanceof BookingRecord.Hold) {
                final BookingRecord.Hold h = (BookingRecord.Hold) record;
                sb.append(" (").append(h.facts().slot()).append(", held by ").append(h.operator().id()).append(')');
            } else {
                final String slot = holds.get(record.token());
                sb.append(slot == null ? "" : " (" + slot + ")");
                final String reference = record instanceof BookingRecord.Confirm
                    ? ((BookingRecord.Confirm) record).vendorReference() : null;
                if (reference != null) {
                    sb.append(", vendor reference ").append(reference);
                }
            }
            if (problem != null) {
                sb.append(" - ").append(problem).append(": as read, may be damaged");
            }
            return sb.toString();
        }
    }

    private record Pending(BookingRecord record, long offset, byte[] frame) {
    }

    /**
     * The one rule of {@code BookingService}'s replay that refuses records which read back: a
     * HOLD on a slot that another standing hold has ({@link JournalCorruptException} at a start).
     * The repair applies it too, so that it moves such a record aside instead of calling the
     * journal sound and leaving every start refused. Keep the two in step: a token seen before
     * is the same hold (written again by an append racing a compaction), a RELEASE or EXPIRE
     * ends a hold, and nothing else changes who stands on a slot.
     */
    private static final class Standing {
        private final Map<HoldToken, fr.creneau.slot.SlotId> holds = new java.util.HashMap<>();
        private final Map<fr.creneau.slot.SlotId, HoldToken> bySlot = new java.util.HashMap<>();
        private final java.util.Set<HoldToken> ended = new java.util.HashSet<>();

        /** Why a start would refuse {@code r} after the records seen so far, or {@code null}. */
        String refuses(final BookingRecord r) {
            if (r instanceof BookingRecord.Hold) {
                final fr.creneau.slot.SlotId slot = ((BookingRecord.Hold) r).facts().slot();
                if (holds.containsKey(r.token())) {
                    return null;
                }
                final HoldToken other = bySlot.get(slot);
                if (other != null) {
                    return "hold " + r.token() + " on " + slot + " while hold " + other + " still stands on it";
                }
                holds.put(r.token(), slot);
                bySlot.put(slot, r.token());
            } else if ((r instanceof BookingRecord.Release || r instanceof BookingRecord.Expire)
                && holds.containsKey(r.token()) && ended.add(r.token())) {
                bySlot.remove(holds.get(r.token()), r.token());
            }
            return null;
        }
    }

    /** Takes the lock, polling until {@code wait} has passed (FileChannel.lock cannot time out). */
    private static FileLock lock(final Path dir, final FileChannel lockChannel, final Duration wait) throws IOException {
        final long deadline = System.nanoTime() + wait.toNanos();
        long pause = 10;
        while (true) {
            String owner;
            try {
                final FileLock lock = lockChannel.tryLock();
                if (lock != null) {
                    return lock;
                }
                owner = "another process (" + owner(lockChannel) + ")";
            } catch (final OverlappingFileLockException e) {
                owner = "another Créneau instance in this process (pid " + ProcessHandle.current().pid() + ")";
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new JournalLockedException(dir, owner
                    + (wait.isZero() ? "" : ", after waiting " + wait.toMillis() + " ms"));
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JournalLockedException(dir, owner + ", interrupted while waiting");
            }
            pause = Math.min(pause * 2, 100);
        }
    }

    private static void release(final FileChannel lockChannel, final FileLock lock) {
        try {
            if (lock != null) {
                lock.release();
            }
            lockChannel.close();
        } catch (final IOException ignored) {
            // Closing the channel releases the lock anyway.
        }
    }

    private static String owner(final FileChannel lockChannel) {
        try {
            final ByteBuffer b = ByteBuffer.allocate(64);
            lockChannel.read(b, 0);
            final String text = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? "unknown pid" : text;
        } catch (final IOException e) {
            return "unknown pid";
        }
    }

    // =====================================================================================
    // Files: no link followed, owner-only
    // =====================================================================================

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private static boolean posix(final Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Attributes that create a file readable and writable by its owner only (none where not POSIX). */
    private static FileAttribute<?>[] ownerOnly(final Path dir) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
            : new FileAttribute<?>[0];
    }

    /**
     * Checks (and for a writer creates, owner-only) the journal directory. A directory that is a
     * symbolic link, or that belongs to another user, is refused: whoever controls it could plant
     * links or read the journal, and every file in it would be created on their terms.
     */
    private static void ownDirectory(final Path dir, final boolean create) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new JournalException(dir, "the journal directory is a symbolic link; give its real path");
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (!create) {
                return;
            }
            if (dir.getParent() != null) {
                Files.createDirectories(dir.getParent());
            }
            if (posix(dir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } else {
                Files.createDirectory(dir);
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new JournalException(dir, "the journal directory is not a directory");
        }
        if (posix(dir)) {
            final UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
            if (!ownedByMe(dir, owner)) {
                throw new JournalException(dir, "the journal directory is owned by " + owner.getName() + ", not by "
                    + "the user who runs this process (" + System.getProperty("user.name") + ")");
            }
            if (create) {
                ownerOnly(dir, OWNER_DIR); // an older directory may be group or world readable
            }
        }
    }

    /**
     * Whether {@code owner} of {@code dir} is the user running this process: by uid where the JDK
     * tells it (a container user without a passwd entry has no name to look up), else by name.
     */
    private static boolean ownedByMe(final Path dir, final UserPrincipal owner) throws IOException {
        try {
            final Object uid = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return ((Number) uid).longValue() == new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (final UnsupportedOperationException | IllegalArgumentException | LinkageError e) {
            return owner.equals(dir.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name")));
        }
    }

    /** Sets the permissions of {@code path} itself, never of what a link there points to. */
    private static void ownerOnly(final Path path, final Set<PosixFilePermission> permissions) throws IOException {
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .setPermissions(permissions);
    }

    /** Creates {@code path} new (never through a link, never an existing file), owner-only. */
    private static FileChannel createNew(final JournalIo io, final Path path) throws IOException {
        return io.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
            ownerOnly(path.getParent()));
    }

    /**
     * Copies the bytes of {@code from} from {@code offset} to its end into a new file beside the
     * journal, forced with its directory entry, and returns that file: bytes that replay drops or
     * a repair cuts are kept for an operator, never erased.
     */
    static Path keepAside(final JournalIo io, final Path dir, final FileChannel from, final long offset,
                          final String why) throws IOException {
        final Path kept = dir.resolve(FILE + "." + why + "-" + offset + "-" + System.currentTimeMillis());
        try (FileChannel out = createNew(io, kept)) {
            final long size = from.size();
            long at = offset;
            final ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            while (at < size) {
                b.clear().limit((int) Math.min(b.capacity(), size - at));
                final int n = from.read(b, at);
                if (n < 0) {
                    break;
                }
                b.flip();
                writeFully(out, b, at - offset);
                at += n;
            }
            out.force(true);
        }
        forceDirectory(io, dir);
        return kept;
    }

    /** Writes an empty journal: header in a temp file, forced, renamed into place, directory forced. */
    private static void create(final JournalIo io, final Path dir, final Path file) throws IOException {
        final Path tmp = dir.resolve(FILE + ".new");
        Files.deleteIfExists(tmp); // a leftover (or a planted link): removed, never written through
        try (FileChannel c = createNew(io, tmp)) {
            writeFully(c, header(), 0);
            c.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(io, dir);
    }

    private static ByteBuffer header() {
        final ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
        h.put(MAGIC).putShort((short) VERSION).putShort((short) HEADER_BYTES).putLong(System.currentTimeMillis());
        return h.flip();
    }

    /**
     * Forces a directory's entries (a create or rename) to the device. Only a platform that cannot
     * open a directory (Windows) skips it; anywhere else a failure is the caller's error, since a
     * rename that is not durable can come back as the old file after a power loss.
     */
    static void forceDirectory(final JournalIo io, final Path dir) throws IOException {
        if (!posix(dir)) {
            return; // the rename's durability then rests on the file system
        }
        try (FileChannel d = io.open(dir, Set.of(StandardOpenOption.READ))) {
            d.force(true);
        }
    }

    private static void writeFully(final FileChannel c, final ByteBuffer b, final long position) throws IOException {
        long at = position;
        while (b.hasRemaining()) {
            at += c.write(b, at);
        }
    }

    /** A framed record: header (length, complement, CRC32C) and payload. */
    static byte[] frame(final byte[] payload) {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("journal record longer than " + MAX_PAYLOAD + " bytes");
        }
        final ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER_BYTES + payload.length);
        b.putShort((short) payload.length).putShort((short) (payload.length ^ 0xFFFF));
        b.putInt((int) crc(b.array(), payload));
        b.put(payload);
        return b.array();
    }

    private static long crc(final byte[] header, final byte[] payload) {
        final CRC32C crc = new CRC32C();
        crc.update(header, 0, 4);
        crc.update(payload, 0, payload.length);
        return crc.getValue();
    }

    // =====================================================================================
    // Replay
    // =====================================================================================

    /** Reads a journal file from start to end, judging its tail (see the class comment). */
    private static final class Scan {
        interface Sink {
            void accept(BookingRecord r, long offset, byte[] frame);
        }

        private final Path file;
        private final FileChannel channel;
        /** ALWAYS or GROUP: a record of complete length is never a torn write. */
        private final boolean strict;
        long records;
        long validEnd;
        long tornBytes;
        int version;

        Scan(final Path file, final FileChannel channel, final boolean strict) {
            this.file = file;
            this.channel = channel;
            this.strict = strict;
        }

        void checkHeader(final long size) throws IOException {
            if (size < HEADER_BYTES) {
                throw new JournalVersionException(file, "file of " + size + " bytes is shorter than the journal header");
            }
            final ByteBuffer h = read(0, HEADER_BYTES);
            final byte[] magic = new byte[4];
            h.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new JournalVersionException(file, "not a Créneau booking journal (bad magic)");
            }
            final int version = h.getShort() & 0xFFFF;
            final int headerLength = h.getShort() & 0xFFFF;
            if (version < OLDEST_VERSION || version > VERSION) {
                throw new JournalVersionException(file, "journal format version " + version + "; this build reads "
                    + OLDEST_VERSION + " to " + VERSION);
            }
            this.version = version;
            if (headerLength != HEADER_BYTES) {
                throw new JournalVersionException(file, "header length " + headerLength + ", expected " + HEADER_BYTES);
            }
        }

        void run(final Sink sink) throws IOException {
            final long size = channel.size();
            checkHeader(size);
            long pos = HEADER_BYTES;
            while (pos < size) {
                final long left = size - pos;
                if (left < RECORD_HEADER_BYTES) {
                    torn(pos, size);
                    return;
                }
                final ByteBuffer rh = read(pos, RECORD_HEADER_BYTES);
                final int length = rh.getShort(0) & 0xFFFF;
                final int check = rh.getShort(2) & 0xFFFF;
                final int crc = rh.getInt(4);
                if ((length ^ 0xFFFF) != check) {
                    if (zerosFrom(pos, size)) {
                        torn(pos, size);
                        return;
                    }
                    throw new JournalCorruptException(file, pos, "record length " + length
                        + " does not match its complement");
                }
                final long recordEnd = pos + RECORD_HEADER_BYTES + length;
                if (recordEnd > size) {
                    torn(pos, size);
                    return;
                }
                final byte[] payload = new byte[length];
                read(pos + RECORD_HEADER_BYTES, length).get(payload);
                if ((int) crc(rh.array(), payload) != crc) {
                    if (strict && (recordEnd == size || zerosFrom(recordEnd, size))) {
                        // A forced append is written whole before it is acknowledged: a complete
                        // record that fails its checksum is damage (a bit flip), and dropping it
                        // could forget an acknowledged booking.
                        throw new JournalCorruptException(file, pos, "checksum mismatch in the last record, whose "
                            + "length is complete: damage, not a torn write (ALWAYS/GROUP); the file is untouched, "
                            + "a repair moves the damaged tail aside");
                    }
                    if (recordEnd == size || zerosFrom(recordEnd, size)) {
                        torn(pos, size);
                        return;
                    }
                    throw new JournalCorruptException(file, pos, "checksum mismatch, with records after it");
                }
                final BookingRecord r;
                try {
                    r = BookingRecord.decode(payload);
                } catch (final IllegalArgumentException e) {
                    throw new JournalCorruptException(file, pos, "checksum good but record unreadable: " + e.getMessage());
                }
                final byte[] frame = new byte[RECORD_HEADER_BYTES + length];
                System.arraycopy(rh.array(), 0, frame, 0, RECORD_HEADER_BYTES);
                System.arraycopy(payload, 0, frame, RECORD_HEADER_BYTES, length);
                sink.accept(r, pos, frame);
                records++;
                pos = recordEnd;
                validEnd = pos;
            }
            validEnd = pos;
        }

        private void torn(final long pos, final long size) {
            validEnd = pos;
            tornBytes = size - pos;
        }

        private boolean zerosFrom(final long from, final long size) throws IOException {
            long pos = from;
            final ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            while (pos < size) {
                b.clear().limit((int) Math.min(b.capacity(), size - pos));
                final int n = channel.read(b, pos);
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (b.get(i) != 0) {
                        return false;
                    }
                }
                pos += n;
            }
            return true;
        }

        private ByteBuffer read(final long pos, final int n) throws IOException {
            final ByteBuffer b = ByteBuffer.allocate(n);
            while (b.hasRemaining()) {
                if (channel.read(b, pos + b.position()) < 0) {
                    throw new JournalCorruptException(file, pos, "file shrank while being read");
                }
            }
            return b.flip();
        }
    }

    /**
     * Reads every good record of a journal file, without lock or repair (tools and tests). A torn
     * tail is ignored, corruption thrown as at start.
     */
    static List<BookingRecord> readAll(final Path file) {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            final List<BookingRecord> out = new ArrayList<>();
            new Scan(file, c, false).run((r, offset, frame) -> out.add(r));
            return out;
        } catch (final NoSuchFileException e) {
            return List.of();
        } catch (final IOException e) {
            throw new JournalException(file, "cannot read the journal", e);
        }
    }

    // =====================================================================================
    // Appends
    // =====================================================================================

    /**
     * Appends a record and returns once it is as durable as the policy promises. Any thread.
     *
     * @throws JournalException       the write or force failed: the journal takes no more records
     * @throws BookingClosedException after {@link #close()}
     */
    void append(final BookingRecord record) {
        final byte[] frame = frame(BookingRecord.encode(record));
        if (policy == FsyncPolicy.GROUP) {
            appendInGroup(new Waiter(record, frame));
            return;
        }
        appendLock.lock();
        try {
            usable();
            try {
                writeFully(channel, ByteBuffer.wrap(frame), end);
            } catch (final IOException e) {
                throw writeFailed(e, false);
            }
            if (policy == FsyncPolicy.ALWAYS) {
                try {
                    channel.force(false);
                } catch (final IOException e) {
                    throw writeFailed(e, true);
                }
                forces.increment();
            }
            end += frame.length; // only now: a failed record's bytes are cut off at the old end
            appends.increment();
            model(record, frame);
        } finally {
            appendLock.unlock();
        }
    }

    /** A caller of a GROUP append, waiting for the batch that carries its record. */
    private static final class Waiter {
        final BookingRecord record;
        final byte[] frame;
        boolean done;
        RuntimeException failure;

        Waiter(final BookingRecord record, final byte[] frame) {
            this.record = record;
            this.frame = frame;
        }
    }

    /**
     * Group commit, leader and followers. A caller queues its record; if no batch is being written
     * it becomes the leader: it takes the whole queue, writes it with one write and one force, and
     * wakes the batch. Callers arriving meanwhile only queue (they touch no file page, which a
     * force in flight could stall), and the first of them to wake leads the next batch. So N
     * concurrent operations cost about one force, and a lone caller costs one force as with ALWAYS.
     */
    private void appendInGroup(final Waiter me) {
        queueLock.lock();
        try {
            queue.add(me);
            while (!me.done) {
                if (leading) {
                    batchDone.awaitUninterruptibly();
                    continue;
                }
                leading = true;
                final List<Waiter> batch = queue;
                queue = new ArrayList<>();
                queueLock.unlock();
                RuntimeException failure = null;
                try {
                    writeBatch(batch);
                } catch (final RuntimeException e) {
                    failure = e;
                } catch (final Error e) {
                    // Whatever happens, the batch must be released: its callers wait for nothing else.
                    failure = new JournalException(file, "append failed: " + e, e);
                } finally {
                    queueLock.lock();
                }
                for (final Waiter w : batch) {
                    w.done = true;
                    w.failure = failure;
                }
                leading = false;
                batchDone.signalAll();
            }
        } finally {
            queueLock.unlock();
        }
        if (me.failure != null) {
            throw me.failure;
        }
    }

    private void writeBatch(final List<Waiter> batch) {
        int bytes = 0;
        for (final Waiter w : batch) {
            bytes += w.frame.length;
        }
        final ByteBuffer all = ByteBuffer.allocate(bytes);
        for (final Waiter w : batch) {
            all.put(w.frame);
        }
        appendLock.lock();
        try {
            usable();
            try {
                writeFully(channel, all.flip(), end);
            } catch (final IOException e) {
                throw writeFailed(e, false);
            } catch (final Error e) {
                // Part of the batch may be in the file while its callers are told it failed.
                throw writeFailed(new IOException("append interrupted by " + e, e), false);
            }
            try {
                channel.force(false);
            } catch (final IOException e) {
                throw writeFailed(e, true);
            } catch (final Error e) {
                throw writeFailed(new IOException("force interrupted by " + e, e), true);
            }
            forces.increment();
            end += bytes;
            appends.add(batch.size());
            for (final Waiter w : batch) {
                model(w.record, w.frame);
            }
        } finally {
            appendLock.unlock();
        }
    }

    private void usable() {
        if (closed) {
            throw new BookingClosedException();
        }
        final Throwable f = failure;
        if (f != null) {
            throw new JournalException(file, "an earlier write failed; no more records are accepted: restart to replay", f);
        }
    }

    /**
     * After a failed write or force of the records at {@code end}: cuts the file back to
     * {@code end} and forces it, so that what every caller of the batch is told (not recorded) is
     * what a replay finds, whatever part of the batch had reached the file. A failed write (ENOSPC)
     * leaves the journal usable once the cut is forced: nothing acknowledged is at risk, and the
     * next append may find space again. A failed force also stops the journal: the device lost
     * writes it had taken, and nothing says which. If the cut fails too, the outcome is unknown
     * and the journal stops; a restart's replay decides. Caller holds appendLock.
     */
    private JournalWriteException writeFailed(final IOException e, final boolean duringForce) {
        boolean cut;
        try {
            channel.truncate(end);
            channel.force(true);
            cut = true;
        } catch (final IOException | RuntimeException again) {
            e.addSuppressed(again);
            cut = false;
        }
        final boolean stops = duringForce || !cut;
        final JournalWriteException x = new JournalWriteException(file, duringForce ? "force failed" : "write failed", e,
            cut, stops);
        if (stops) {
            failure = x;
        }
        report(x);
        return x;
    }

    /** Stops the journal after a failure that concerns no caller's record (compaction). Caller holds appendLock. */
    private JournalWriteException stop(final IOException e) {
        final JournalWriteException x = JournalWriteException.compaction(file, e, true);
        failure = x;
        report(x);
        return x;
    }

    private void report(final JournalWriteException x) {
        writeFailures.increment();
        final Consumer<JournalWriteException> l = failureListener;
        if (l != null) {
            l.accept(x);
        }
    }

    /** Who hears of each write failure, once per failure (not once per caller of a batch); any thread. */
    void onFailure(final Consumer<JournalWriteException> listener) {
        this.failureListener = listener;
    }

    /** {@code true} once the journal takes no more records (until a restart). */
    boolean stopped() {
        return failure != null;
    }

    long writeFailures() {
        return writeFailures.sum();
    }

    /**
     * Keeps what a compaction must write again (caller holds appendLock, or is replaying): the
     * framed HOLD/CONFIRM of standing holds, the outcomes, and the messages not yet acknowledged.
     * A kept CONFIRM or OUTCOME is framed again without its message, which is carried apart while
     * unacknowledged: a replay of the compacted file must not bring back an acknowledged message.
     */
    private void model(final BookingRecord r, final byte[] frame) {
        final fr.creneau.booking.outbox.OutboxMessage m = BookingRecord.messageOf(r);
        if (m != null) {
            unacked.put(m.id(), m);
        }
        if (r instanceof BookingRecord.Ack) {
            unacked.remove(((BookingRecord.Ack) r).id());
        } else if (r instanceof BookingRecord.Carried) {
            return;
        } else if (r instanceof BookingRecord.OutcomeRecord) {
            outcomes.add(m == null ? frame : frame(BookingRecord.encode(BookingRecord.withoutMessage(r))));
            outcomeMinutes.add(fr.creneau.slot.Minutes.floor(r.at()));
        } else if (r instanceof BookingRecord.Hold) {
            if (!live.containsKey(r.token())) {
                final Live l = new Live(frame, ((BookingRecord.Hold) r).facts().endMinute());
                live.put(r.token(), l);
                liveBytes += l.bytes();
            }
        } else if (r instanceof BookingRecord.Confirming) {
            final Live l = live.get(r.token());
            if (l != null && l.confirm == null && l.confirming == null) {
                l.confirming = frame;
                liveBytes += frame.length;
            }
        } else if (r instanceof BookingRecord.Cancelling) {
            final Live l = live.get(r.token());
            if (l != null && l.cancelling == null) {
                l.cancelling = frame;
                liveBytes += frame.length;
            }
        } else if (r instanceof BookingRecord.Confirm) {
            final Live l = live.get(r.token());
            if (l != null && l.confirm == null) {
                l.confirm = m == null ? frame : frame(BookingRecord.encode(BookingRecord.withoutMessage(r)));
                liveBytes += l.confirm.length;
                if (l.confirming != null) {
                    liveBytes -= l.confirming.length; // answered: no longer needed
                    l.confirming = null;
                }
            } else if (l != null && l.cancelling != null) {
                liveBytes -= l.cancelling.length; // the vendor refused to cancel: the booking stands
                l.cancelling = null;
            }
        } else {
            final Live l = live.remove(r.token()); // RELEASE, EXPIRE
            if (l != null) {
                liveBytes -= l.bytes();
            }
        }
    }

    // =====================================================================================
    // Compaction
    // =====================================================================================

    /**
     * Rewrites the journal with the standing holds and bookings only, dropping bookings of slots
     * that ended before {@code horizonMinute}. Any thread; appends wait meanwhile.
     *
     * @return bytes saved
     * @throws JournalWriteException when the new file cannot be written (the old one stays in use,
     *                               the journal goes on) or renamed or reopened (the journal then takes
     *                               no more records); told to the failure listener and counted either way
     */
    long compact(final int horizonMinute) {
        appendLock.lock();
        try {
            usable();
            final long before = end;
            final Path tmp = dir.resolve(FILE + COMPACT_SUFFIX);
            long size = HEADER_BYTES;
            try {
                Files.deleteIfExists(tmp); // a leftover or a planted link: never written through
            } catch (final IOException e) {
                final JournalWriteException x = JournalWriteException.compaction(file, e, false);
                report(x);
                throw x;
            }
            try (FileChannel out = createNew(io, tmp)) {
                writeFully(out, header(), 0);
                for (final Live l : live.values()) {
                    if (l.slotEndMinute < horizonMinute) {
                        continue;
                    }
                    writeFully(out, ByteBuffer.wrap(l.hold), size);
                    size += l.hold.length;
                    if (l.confirming != null) {
                        writeFully(out, ByteBuffer.wrap(l.confirming), size);
                        size += l.confirming.length;
                    }
                    if (l.confirm != null) {
                        writeFully(out, ByteBuffer.wrap(l.confirm), size);
                        size += l.confirm.length;
                    }
                    if (l.cancelling != null) {
                        writeFully(out, ByteBuffer.wrap(l.cancelling), size);
                        size += l.cancelling.length;
                    }
                }
                // Outcomes for the bookings' retention and a case's 48 h more: a case's declined
                // rows stay excluded across restarts for as long as the case can search.
                for (int i = 0; i < outcomes.size(); i++) {
                    if (keepsOutcome(outcomeMinutes.get(i), horizonMinute)) {
                        writeFully(out, ByteBuffer.wrap(outcomes.get(i)), size);
                        size += outcomes.get(i).length;
                    }
                }
                // Every unacknowledged message, whatever its age: a compaction never loses one.
                for (final fr.creneau.booking.outbox.OutboxMessage m : unacked.values()) {
                    final byte[] f = frame(BookingRecord.encode(new BookingRecord.Carried(BookingRecord.NO_TOKEN,
                        m.createdAt(), m)));
                    writeFully(out, ByteBuffer.wrap(f), size);
                    size += f.length;
                }
                out.force(true);
            } catch (final IOException e) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (final IOException ignored) {
                    // Deleted at the next start.
                }
                // Told and counted like an append's failure: a full disk met by the sweep is the
                // host's alarm as much as one met by a hold (JournalFaultMatrixTest found it silent).
                final JournalWriteException x = JournalWriteException.compaction(file, e, false);
                report(x);
                throw x;
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                forceDirectory(io, dir);
                channel.close();
                channel = io.open(file, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS));
                end = channel.size();
            } catch (final IOException e) {
                // The new file may or may not be in place, and the channel may be closed: stop.
                throw stop(e);
            }
            for (final Iterator<Live> it = live.values().iterator(); it.hasNext(); ) {
                final Live l = it.next();
                if (l.slotEndMinute < horizonMinute) {
                    liveBytes -= l.bytes();
                    it.remove();
                }
            }
            for (int i = outcomes.size() - 1; i >= 0; i--) {
                if (!keepsOutcome(outcomeMinutes.get(i), horizonMinute)) {
                    outcomes.remove(i);
                    outcomeMinutes.remove(i);
                }
            }
            compactions.increment();
            return before - end;
        } finally {
            appendLock.unlock();
        }
    }

    /** {@code true} when the file is over {@code thresholdBytes} and more than half of it is dead. */
    boolean wantsCompaction(final long thresholdBytes) {
        appendLock.lock();
        try {
            return !closed && failure == null && end > thresholdBytes && end > 2 * (HEADER_BYTES + liveBytes + keptBytes());
        } finally {
            appendLock.unlock();
        }
    }

    /** How much longer than bookings a compaction keeps outcomes: a case's whole search window. */
    static final int OUTCOME_EXTRA_MINUTES = 48 * 60;

    /** In long arithmetic: the horizon of an upgrade compaction is {@code Integer.MIN_VALUE}. */
    private static boolean keepsOutcome(final int outcomeMinute, final int horizonMinute) {
        return outcomeMinute >= (long) horizonMinute - OUTCOME_EXTRA_MINUTES;
    }

    /** Bytes of the outcomes and unacknowledged messages a compaction writes again (estimate). Caller holds appendLock. */
    private long keptBytes() {
        long n = 0;
        for (final byte[] o : outcomes) {
            n += o.length;
        }
        for (final fr.creneau.booking.outbox.OutboxMessage m : unacked.values()) {
            n += 64 + m.json().length();
        }
        return n;
    }

    // =====================================================================================
    // State
    // =====================================================================================

    Path file() {
        return file;
    }

    FsyncPolicy policy() {
        return policy;
    }

    Replay replay() {
        return replay;
    }

    /** Current size of the file, bytes. */
    long size() {
        appendLock.lock();
        try {
            return end;
        } finally {
            appendLock.unlock();
        }
    }

    long appends() {
        return appends.sum();
    }

    long forces() {
        return forces.sum();
    }

    long compactions() {
        return compactions.sum();
    }

    /** Closes the file and releases the directory lock. Idempotent; appends after it throw. */
    @Override
    public void close() {
        appendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                channel.close();
            } catch (final IOException ignored) {
                // Nothing left to do with it.
            }
            release(lockChannel, lock);
            OWNED.remove(owned);
        } finally {
            appendLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Journal{" + file + ", " + policy + '}';
    }
}
