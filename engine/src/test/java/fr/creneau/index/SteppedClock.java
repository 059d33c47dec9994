package fr.creneau.index;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move by hand. Thread-safe (volatile instant). */
public final class SteppedClock extends Clock {
    private volatile Instant now;

    public SteppedClock(final Instant now) {
        this.now = now;
    }

    public void set(final Instant instant) {
        now = instant;
    }

    public void advance(final Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone) {
        return this;
    }
}
