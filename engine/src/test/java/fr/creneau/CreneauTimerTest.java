package fr.creneau;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The expiry timer reports a failing sweep (counted, kept, logged) and keeps running. */
@Timeout(30)
class CreneauTimerTest {
    /** A clock that throws while {@code broken} is set, as any failure inside a sweep would. */
    private static final class BreakableClock extends Clock {
        volatile boolean broken;
        /** One permit per read that threw, one per read that answered: what the test waits on. */
        final Semaphore failedReads = new Semaphore(0);
        final Semaphore goodReads = new Semaphore(0);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            if (broken) {
                failedReads.release();
                throw new IllegalStateException("clock source unavailable");
            }
            goodReads.release();
            return Instant.parse("2026-11-23T09:00:00Z");
        }
    }

    @Test
    void aFailingSweepIsReportedAndTheTimerGoesOn() throws Exception {
        final BreakableClock clock = new BreakableClock();
        final Creneau.Builder builder = Creneau.builder().clock(clock);
        builder.sweepPeriod = Duration.ofMillis(20);
        try (Creneau c = builder.build()) {
            clock.broken = true;
            // The sweeps run one after the other on the timer's thread and a failing one reads the
            // clock once: a third failed read means two sweeps failed and were reported, so the
            // task was not cancelled by the first failure.
            assertThat(clock.failedReads.tryAcquire(3, 20, TimeUnit.SECONDS)).isTrue();
            assertThat(c.timerFailures()).isGreaterThanOrEqualTo(2);
            assertThat(c.lastTimerFailure()).hasMessageContaining("clock source unavailable");
            clock.broken = false;
            // Reads before this point (the build's, say) do not count. A good read after it is a
            // later sweep's on the timer's one thread (a failing sweep throws at its first read),
            // so every sweep that failed before it has finished and been counted.
            clock.goodReads.drainPermits();
            assertThat(clock.goodReads.tryAcquire(1, 20, TimeUnit.SECONDS)).isTrue();
            final long failures = c.timerFailures();
            // Later sweeps, healthy again, report nothing more.
            assertThat(clock.goodReads.tryAcquire(10, 20, TimeUnit.SECONDS)).isTrue();
            assertThat(c.timerFailures()).isEqualTo(failures);
        }
    }
}
