package fr.creneau.feed;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The caller's stream, read up to {@code limit} bytes: one byte more is a
 * {@link FeedTooLargeException}, thrown from {@code read} so that no parser reads (and keeps) more
 * than the limit. Closing it does not close the caller's stream. One per parse, one thread.
 */
final class LimitedInput extends FilterInputStream {
    private final long limit;
    private final String label;
    private long count;

    LimitedInput(final InputStream in, final long limit, final String label) {
        super(in);
        this.limit = limit;
        this.label = label;
    }

    @Override
    public int read() throws IOException {
        final int b = in.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(final byte[] b, final int off, final int len) throws IOException {
        // Never ask for more than one byte past the limit: that byte is enough to know.
        final int n = in.read(b, off, (int) Math.min(len, limit - count + 1));
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(final long n) throws IOException {
        final long skipped = in.skip(Math.min(n, limit - count + 1));
        if (skipped > 0) {
            counted(skipped);
        }
        return skipped;
    }

    private void counted(final long n) {
        count += n;
        if (count > limit) {
            throw new FeedTooLargeException(label, limit);
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // The caller's stream stays open: it is the caller's.
    }
}
