package fr.creneau.pull;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An answer body read into memory up to a bound: a vendor that streams without end is cut off
 * (the request fails, {@link TooLargeException}) instead of filling the heap. One subscriber per
 * response; the HTTP client calls it from one thread at a time.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    /** The body passed the bound. */
    static final class TooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeException(final long max) {
            super("answer larger than " + max + " bytes");
        }
    }

    private final long max;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BoundedBody(final long max) {
        this.max = max;
    }

    static HttpResponse.BodyHandler<byte[]> handler(final long max) {
        return info -> new BoundedBody(max);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(final Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(final List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (final ByteBuffer b : items) {
            if (bytes.size() + (long) b.remaining() > max) {
                subscription.cancel();
                result.completeExceptionally(new TooLargeException(max));
                return;
            }
            final byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            bytes.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(final Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(bytes.toByteArray());
    }
}
