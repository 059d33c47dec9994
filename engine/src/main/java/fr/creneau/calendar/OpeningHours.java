package fr.creneau.calendar;

import java.time.LocalTime;
import java.util.Objects;

/**
 * Daily opening of the SAS daytime channel, local wall-clock time: open from {@code opens}
 * inclusive to {@code closes} exclusive, within one day. {@code opens == closes} means closed
 * all day. A window cannot run past midnight (the SAS is a daytime channel; the latest possible
 * close is {@link LocalTime#MAX}).
 *
 * <p>Immutable record, safe to share between threads.
 *
 * @param opens  first local time the SAS is open
 * @param closes first local time the SAS is closed again (the PDSA takes over)
 */
public record OpeningHours(LocalTime opens, LocalTime closes) {

    private static final OpeningHours CLOSED = new OpeningHours(LocalTime.MIDNIGHT,
        LocalTime.MIDNIGHT);

    public OpeningHours {
        Objects.requireNonNull(opens, "opens");
        Objects.requireNonNull(closes, "closes");
        if (closes.isBefore(opens)) {
            throw new IllegalArgumentException("SAS hours must open before they close within one"
                + " day, got " + opens + "-" + closes);
        }
    }

    /** Open from {@code opens} to {@code closes}. */
    public static OpeningHours of(final LocalTime opens, final LocalTime closes) {
        return new OpeningHours(opens, closes);
    }

    /** Whole hours, e.g. {@code ofHours(8, 20)} for 08:00-20:00. */
    public static OpeningHours ofHours(final int opens, final int closes) {
        return new OpeningHours(LocalTime.of(opens, 0), LocalTime.of(closes, 0));
    }

    /** Never open. */
    public static OpeningHours closed() {
        return CLOSED;
    }

    /** Whether the window is empty. */
    public boolean isClosed() {
        return opens.equals(closes);
    }

    @Override
    public String toString() {
        return isClosed() ? "closed" : opens + "-" + closes;
    }
}
