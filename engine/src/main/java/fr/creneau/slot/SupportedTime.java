package fr.creneau.slot;

import java.time.Instant;

import fr.creneau.slot.Minutes;

/**
 * The instants Créneau accepts, in one place: from {@link #EARLIEST} (inclusive) to {@link #END}
 * (exclusive). Every public entry point that takes an instant, or reads one from the host's clock,
 * checks it here and throws {@link TimeOutOfRangeException} with these bounds; past that check the
 * engine may assume its arithmetic cannot overflow.
 *
 * <p>Why these bounds: the index stores minutes since {@link Minutes#EPOCH_SECOND}
 * (2020-01-01T00:00Z) in an {@code int}, and nothing may go below that epoch: the index keeps the
 * past hour, and a slot that started before "now" (at most 48 h long) may still be live. One day
 * inside the epoch leaves room for both. The upper bound is far below the int's limit (year 6103),
 * so "now" plus any duration Créneau accepts (48 h at most: the window, the ingest horizon, a hold)
 * stays representable; 2100 is also as far as anyone plans an agenda.
 */
public final class SupportedTime {
    /** First supported instant: 2020-01-02T00:00:00Z. */
    public static final Instant EARLIEST = Instant.ofEpochSecond(Minutes.EPOCH_SECOND + 86_400L);
    /** First instant past the supported range: 2100-01-01T00:00:00Z. */
    public static final Instant END = Instant.ofEpochSecond(Minutes.LAST_EPOCH_SECOND);

    private static final long EARLIEST_MILLIS = EARLIEST.toEpochMilli();
    private static final long END_MILLIS = END.toEpochMilli();

    private SupportedTime() {
    }

    /**
     * {@code instant}, when supported.
     *
     * @param what names the value in the message ("now", "the clock's instant")
     * @throws TimeOutOfRangeException when it is not in {@code [EARLIEST, END)}
     * @throws NullPointerException    when it is {@code null}
     */
    public static Instant check(final Instant instant, final String what) {
        if (instant.compareTo(EARLIEST) < 0 || instant.compareTo(END) >= 0) {
            throw new TimeOutOfRangeException(what, instant.toString());
        }
        return instant;
    }

    /** As {@link #check(Instant, String)}, allocation-free, for epoch milliseconds. */
    public static long checkEpochMillis(final long epochMillis, final String what) {
        if (epochMillis < EARLIEST_MILLIS || epochMillis >= END_MILLIS) {
            throw new TimeOutOfRangeException(what, epochMillis + " ms since 1970");
        }
        return epochMillis;
    }

    /** {@code true} when the instant is supported. */
    public static boolean contains(final Instant instant) {
        return instant.compareTo(EARLIEST) >= 0 && instant.compareTo(END) < 0;
    }
}
