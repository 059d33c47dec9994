package fr.creneau.pull;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A small circuit breaker for one vendor: after {@code threshold} consecutive failed requests it
 * opens, and for {@code openFor} every request is refused without being sent (the vendor is not
 * hammered while it is down, and its batches fail at once instead of each waiting out its
 * timeout). Then it is half open: one trial request goes; its success closes the breaker, its
 * failure opens it again for another {@code openFor}.
 *
 * <p>Why not resilience4j or Failsafe: the puller needs exactly this count-based, three-state
 * breaker (about sixty lines, tested on its own and through real servers), and the engine's
 * runtime dependencies stay h3-java, Agrona and Jackson; a library would add a module to every
 * host's module path for that.
 *
 * <p>Thread-safe: every method is {@code synchronized} (called once per request, a few hundred
 * times a minute at most; never on a search path).
 */
public final class CircuitBreaker {
    /** The breaker's states. */
    public enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int threshold;
    private final long openForNanos;
    private final LongSupplier nanoTime;

    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAt;
    private boolean trialInFlight;
    private long opened;

    /**
     * @param threshold consecutive failures that open it, at least 1
     * @param openFor   how long it stays open before a trial request
     * @param nanoTime  a monotonic clock ({@code System::nanoTime})
     */
    public CircuitBreaker(final int threshold, final Duration openFor, final LongSupplier nanoTime) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1: " + threshold);
        }
        if (openFor.isNegative()) {
            throw new IllegalArgumentException("openFor must not be negative: " + openFor);
        }
        this.threshold = threshold;
        this.openForNanos = openFor.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Whether a request may be sent now. In the half-open state only one caller gets {@code true}
     * until that trial's outcome is recorded.
     */
    public synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (nanoTime.getAsLong() - openedAt < openForNanos) {
                    return false;
                }
                state = State.HALF_OPEN;
                trialInFlight = true;
                return true;
            default: // HALF_OPEN
                if (trialInFlight) {
                    return false;
                }
                trialInFlight = true;
                return true;
        }
    }

    /** A request let through succeeded. */
    public synchronized void onSuccess() {
        consecutiveFailures = 0;
        trialInFlight = false;
        state = State.CLOSED;
    }

    /** A request let through failed. */
    public synchronized void onFailure() {
        consecutiveFailures++;
        trialInFlight = false;
        if (state == State.HALF_OPEN || consecutiveFailures >= threshold) {
            if (state != State.OPEN) {
                opened++;
            }
            state = State.OPEN;
            openedAt = nanoTime.getAsLong();
        }
    }

    /** A request let through ended without telling anything about the vendor (cancelled). */
    public synchronized void onIgnored() {
        trialInFlight = false;
    }

    public synchronized State state() {
        // An open breaker whose time is up shows as half open: the next request is a trial.
        if (state == State.OPEN && nanoTime.getAsLong() - openedAt >= openForNanos) {
            return State.HALF_OPEN;
        }
        return state;
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** How many times it opened since it was made. */
    public synchronized long timesOpened() {
        return opened;
    }
}
