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
 */
final class FaultyIo implements JournalIo {
    static final String ENOSPC = "No space left on device";
    static final String EIO = "Input/output error";

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
        if (Files.isDirectory(path)) {
            return new Faulty(real, true);
        }
        return path.getFileName().toString().equals(Journal.FILE) ? new Faulty(real, false) : real;
    }

    private final class Faulty extends FileChannel {
        private final FileChannel d;
        private final boolean directory;

        Faulty(final FileChannel d, final boolean directory) {
            this.d = d;
            this.directory = directory;
        }

        private void writeFault(final ByteBuffer src, final long position) throws IOException {
            final String m = failWrite;
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
            writeFault(src, position);
            return d.write(src, position);
        }

        @Override
        public int write(final ByteBuffer src) throws IOException {
            writeFault(src, d.position());
            return d.write(src);
        }

        @Override
        public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException {
            if (failWrite != null) {
                throw new IOException(failWrite);
            }
            return d.write(srcs, offset, length);
        }

        @Override
        public void force(final boolean metaData) throws IOException {
            final String m;
            synchronized (FaultyIo.this) {
                m = directory ? failDirectoryForce : failForce;
                if (!directory) {
                    failForce = null; // one EIO: the retry of the cut-back may succeed
                }
            }
            if (m != null) {
                throw new IOException(m);
            }
            d.force(metaData);
        }

        @Override
        public FileChannel truncate(final long size) throws IOException {
            if (failTruncate != null) {
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
