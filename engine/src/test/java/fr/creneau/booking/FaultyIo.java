package fr.creneau.booking;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;

/**
 * Real files, with a switch to make the journal file's next write, force or truncate fail (as
 * ENOSPC or EIO would), or the directory's force. A failing write can first write part of its
 * bytes, as a kernel that runs out of blocks mid-write does. Thread-safe (volatile switches).
 *
 * <p>It also counts every write and every force through the seam, on any file the journal opens
 * (the journal, its lock, the first header, a compaction, a kept tail) and on its directory, so
 * that a test can run a script once to count them and then fail exactly the N-th one
 * ({@link #failWriteAt}, {@link #failForceAt}); and it tells a {@link Hook} before and after each
 * of them, which a child JVM uses to halt at a chosen point.
 */
final class FaultyIo implements JournalIo {
    static final String ENOSPC = "No space left on device";
    static final String EIO = "Input/output error";

    /** Called before and after each write or force through the seam; may halt the JVM. */
    interface Hook {
        /**
         * @param after  {@code false} before the operation, {@code true} once it returned
         * @param write  a write ({@code false}: a force)
         * @param file   the file name ({@code Path.getFileName}), a directory's included
         * @param bytes  bytes the write was asked to write (0 for a force)
         */
        void at(boolean after, boolean write, String file, int bytes) throws IOException;
    }

    final java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger forces = new java.util.concurrent.atomic.AtomicInteger();
    /** The write (1-based, counted by {@link #writes}) that fails with {@link #failAtMessage}; 0 for none. */
    volatile int failWriteAt;
    /** The force (1-based, counted by {@link #forces}) that fails with {@link #failAtMessage}; 0 for none. */
    volatile int failForceAt;
    volatile String failAtMessage;
    /** Bytes the N-th write still writes before it fails; -1 for all of them (the error comes after the data). */
    volatile int failAtWritesFirst;
    /** What the N-th operation was ("write bookings.journal.compact"), once it failed; else null. */
    volatile String failedAt;
    volatile Hook hook;

    /** Message of the IOException the next journal write throws, or null. */
    volatile String failWrite;
    /** Bytes the failing write still writes before it throws. */
    volatile int writeBeforeFailing;
    /** Message of the IOException the next force of the journal file throws (once), or null. */
    volatile String failForce;
    volatile String failTruncate;
    volatile String failDirectoryForce;

    @Override
    public FileChannel open(final Path path, final Set<? extends OpenOption> options, final FileAttribute<?>... attributes)
        throws IOException {
        final FileChannel real = FileChannel.open(path, options, attributes);
        final String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        return new Faulty(real, Files.isDirectory(path), name.equals(Journal.FILE), name);
    }

    private final class Faulty extends FileChannel {
        private final FileChannel d;
        private final boolean directory;
        /** The journal file itself: the only file the single-shot switches ({@link #failWrite}...) act on. */
        private final boolean journal;
        private final String name;

        Faulty(final FileChannel d, final boolean directory, final boolean journal, final String name) {
            this.d = d;
            this.directory = directory;
            this.journal = journal;
            this.name = name;
        }

        private void hook(final boolean after, final boolean write, final int bytes) throws IOException {
            final Hook h = hook;
            if (h != null) {
                h.at(after, write, name, bytes);
            }
        }

        private void writeFault(final ByteBuffer src, final long position) throws IOException {
            hook(false, true, src.remaining());
            final int n = writes.incrementAndGet();
            if (n == failWriteAt && failAtMessage != null) {
                failedAt = "write " + name;
                final int first = failAtWritesFirst < 0 ? src.remaining() : Math.min(failAtWritesFirst, src.remaining());
                if (first > 0) {
                    final ByteBuffer slice = src.duplicate();
                    slice.limit(slice.position() + first);
                    d.write(slice, position);
                }
                throw new IOException(failAtMessage);
            }
            final String m = journal ? failWrite : null;
            if (m != null) {
                final int part = Math.min(writeBeforeFailing, src.remaining());
                if (part > 0) {
                    final ByteBuffer slice = src.duplicate();
                    slice.limit(slice.position() + part);
                    d.write(slice, position);
                }
                throw new IOException(m);
            }
        }

        @Override
        public int write(final ByteBuffer src, final long position) throws IOException {
            final int bytes = src.remaining();
            writeFault(src, position);
            final int n = d.write(src, position);
            hook(true, true, bytes);
            return n;
        }

        @Override
        public int write(final ByteBuffer src) throws IOException {
            final int bytes = src.remaining();
            writeFault(src, d.position());
            final int n = d.write(src);
            hook(true, true, bytes);
            return n;
        }

        @Override
        public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException {
            // The journal never gathers; a gathering write is refused rather than left uncounted.
            throw new IOException("FaultyIo: gathering writes are not counted");
        }

        @Override
        public void force(final boolean metaData) throws IOException {
            hook(false, false, 0);
            final int n = forces.incrementAndGet();
            if (n == failForceAt && failAtMessage != null) {
                failedAt = "force " + name;
                throw new IOException(failAtMessage);
            }
            final String m;
            synchronized (FaultyIo.this) {
                m = directory ? failDirectoryForce : journal ? failForce : null;
                if (journal) {
                    failForce = null; // one EIO: the retry of the cut-back may succeed
                }
            }
            if (m != null) {
                throw new IOException(m);
            }
            d.force(metaData);
            hook(true, false, 0);
        }

        @Override
        public FileChannel truncate(final long size) throws IOException {
            if (journal && failTruncate != null) {
                throw new IOException(failTruncate);
            }
            d.truncate(size);
            return this;
        }

        @Override
        public int read(final ByteBuffer dst) throws IOException {
            return d.read(dst);
        }

        @Override
        public long read(final ByteBuffer[] dsts, final int offset, final int length) throws IOException {
            return d.read(dsts, offset, length);
        }

        @Override
        public int read(final ByteBuffer dst, final long position) throws IOException {
            return d.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return d.position();
        }

        @Override
        public FileChannel position(final long newPosition) throws IOException {
            d.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return d.size();
        }

        @Override
        public long transferTo(final long position, final long count, final WritableByteChannel target) throws IOException {
            return d.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(final ReadableByteChannel src, final long position, final long count) throws IOException {
            return d.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(final MapMode mode, final long position, final long size) throws IOException {
            return d.map(mode, position, size);
        }

        @Override
        public FileLock lock(final long position, final long size, final boolean shared) throws IOException {
            return d.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(final long position, final long size, final boolean shared) throws IOException {
            return d.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            d.close();
        }
    }
}
