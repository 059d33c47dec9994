package fr.creneau.booking.outbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The delivery loop: one daemon thread that hands every pending message of an {@link Outbox} to the
 * host's {@link MessageSink}, oldest first, and acknowledges it in the outbox once the sink says it
 * is taken. A message the sink refuses (or throws on) is tried again after a back-off that doubles
 * from {@code initialBackoff} up to {@code maxBackoff} per message (no jitter: one host, one loop);
 * other messages are not held up by it. New messages wake the loop ({@link #wake()}); so does the
 * earliest back-off running out.
 *
 * <p>What "never lost" rests on: a message is in the outbox (durably, with its change) before the
 * loop can see it, and leaves it only by {@link Outbox#acknowledge} after the sink said yes. A
 * crash anywhere between leaves it pending, and the loop of the next start delivers it again under
 * the same id. Back-off state lives in memory only: after a restart every pending message is tried
 * at once.
 *
 * <p>Thread-safety: {@link #wake()}, {@link #close()} and the counters from any thread; the sink is
 * called on the loop's thread only. Back-off waits use the system's monotonic clock (not the
 * engine's injected clock, which a test may freeze).
 */
public final class OutboxDelivery implements AutoCloseable {
    private final Outbox outbox;
    private final MessageSink sink;
    private final long initialNanos;
    private final long maxNanos;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // ---- guarded by lock ----
    private boolean woken;
    private volatile boolean closed;
    // ---- loop thread only ----
    private final Map<UUID, long[]> backoff = new HashMap<>(); // id -> {attempts, next attempt (nanoTime)}

    private final LongAdder delivered = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();

    /**
     * Starts the loop.
     *
     * @param initialBackoff wait after a first failed attempt (positive)
     * @param maxBackoff     longest wait between attempts of one message
     */
    public OutboxDelivery(final Outbox outbox, final MessageSink sink, final Duration initialBackoff,
                          final Duration maxBackoff) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.sink = Objects.requireNonNull(sink, "sink");
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("back-off must be positive and at most its maximum");
        }
        this.initialNanos = initialBackoff.toNanos();
        this.maxNanos = maxBackoff.toNanos();
        this.thread = new Thread(this::run, "creneau-outbox");
        thread.setDaemon(true);
        thread.start();
    }

    /** Tells the loop that new messages may be pending. Any thread; never blocks on the sink. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Messages the sink acknowledged since start. */
    public long delivered() {
        return delivered.sum();
    }

    /** Attempts that the sink refused or threw on since start. */
    public long failedAttempts() {
        return failedAttempts.sum();
    }

    private void run() {
        while (!closed) {
            long wait = Long.MAX_VALUE;
            final List<OutboxMessage> pending;
            try {
                pending = outbox.pending();
            } catch (final RuntimeException e) {
                pause(initialNanos); // the store is closing or failed: try again later
                continue;
            }
            backoff.keySet().retainAll(pending.stream().map(OutboxMessage::id).collect(java.util.stream.Collectors.toSet()));
            for (final OutboxMessage m : pending) {
                if (closed) {
                    return;
                }
                final long[] b = backoff.get(m.id());
                final long now = System.nanoTime();
                if (b != null && b[1] - now > 0) {
                    wait = Math.min(wait, b[1] - now);
                    continue;
                }
                boolean taken;
                try {
                    taken = sink.deliver(m);
                } catch (final Exception e) {
                    taken = false;
                }
                if (taken) {
                    try {
                        outbox.acknowledge(m.id());
                        delivered.increment();
                        backoff.remove(m.id());
                    } catch (final RuntimeException e) {
                        // Not recorded (a full disk, a closed store): delivered again later, same id.
                        wait = Math.min(wait, initialNanos);
                    }
                } else {
                    failedAttempts.increment();
                    final long attempts = b == null ? 1 : b[0] + 1;
                    final long delay = Math.min(maxNanos, initialNanos << Math.min(30, attempts - 1));
                    backoff.put(m.id(), new long[] {attempts, System.nanoTime() + delay});
                    wait = Math.min(wait, delay);
                }
            }
            pause(wait);
        }
    }

    /** Waits until woken, closed, or {@code nanos} passed. */
    private void pause(final long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (!woken && !closed && left > 0) {
                try {
                    left = changed.awaitNanos(left);
                } catch (final InterruptedException e) {
                    return; // close() interrupts
                }
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the loop (a delivery in progress finishes first). Any thread; idempotent. */
    @Override
    public void close() {
        closed = true;
        wake();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
