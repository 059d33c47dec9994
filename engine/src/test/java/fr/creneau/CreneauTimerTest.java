package fr.creneau;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The expiry timer reports a failing sweep (counted, kept, logged) and keeps running. */
@Timeout(30)
class CreneauTimerTest {
    /** A clock that throws while {@code broken} is set, as any failure inside a sweep would. */
    private static final class BreakableClock extends Clock {
        volatile boolean broken;

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
                throw new IllegalStateException("clock source unavailable");
            }
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
            while (c.timerFailures() < 2) { // a second failure: the task was not cancelled by the first
                Thread.sleep(10);
            }
            assertThat(c.lastTimerFailure()).hasMessageContaining("clock source unavailable");
            clock.broken = false;
            final long failures = c.timerFailures();
            Thread.sleep(100);
            assertThat(c.timerFailures()).isEqualTo(failures);
        }
    }
}
