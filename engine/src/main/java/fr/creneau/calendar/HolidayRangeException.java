package fr.creneau.calendar;

import fr.creneau.error.CreneauException;
import java.time.LocalDate;

/**
 * A date outside the years the holiday data cover. Thrown instead of answering "not a holiday",
 * so that a host running on a stale bundle finds out at the first query past its end rather than
 * sending patients to closed SAS lines on 1 January.
 */
public final class HolidayRangeException extends CreneauException {
    private static final long serialVersionUID = 1L;

    private final LocalDate date;
    private final LocalDate firstCovered;
    private final LocalDate lastCovered;

    public HolidayRangeException(final LocalDate date, final LocalDate firstCovered,
                                 final LocalDate lastCovered) {
        super("no public-holiday data for " + date + ": the holiday data cover " + firstCovered
            + " to " + lastCovered + " (update the bundled jours-feries.csv or load a newer file"
            + " with PublicHolidays.parse)");
        this.date = date;
        this.firstCovered = firstCovered;
        this.lastCovered = lastCovered;
    }

    /** The date that was asked about. */
    public LocalDate date() {
        return date;
    }

    /** First covered date (1 January of the first year in the data). */
    public LocalDate firstCovered() {
        return firstCovered;
    }

    /** Last covered date (31 December of the last year in the data). */
    public LocalDate lastCovered() {
        return lastCovered;
    }
}
