package fr.creneau.directory;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One opening period repeated every week: on each of {@code days}, local wall-clock time from
 * {@code from} inclusive to {@code to} exclusive. {@code to} before {@code from} runs past
 * midnight into the next day (an MMG open 20:00-00:00 is written {@code 20:00-00:00}; one open
 * 20:00-08:00 closes at 08:00 the next morning). Immutable.
 *
 * <p>In {@code directory}, not {@code calendar}: a structure's opening hours are a directory fact,
 * and {@code calendar} depends on {@code directory} (territories), so a {@link Structure} holding a
 * calendar type made a package cycle ({@code ModuleBoundaryTest}).
 *
 * @param days days on which the period starts
 * @param from first local time open
 * @param to   first local time closed again
 */
public record WeeklyHours(Set<DayOfWeek> days, LocalTime from, LocalTime to) {

    public WeeklyHours {
        Objects.requireNonNull(days, "days");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (days.isEmpty()) {
            throw new IllegalArgumentException("an opening period needs at least one day");
        }
        if (from.equals(to)) {
            throw new IllegalArgumentException("an opening period cannot be empty: " + from + "-" + to);
        }
        days = Set.copyOf(EnumSet.copyOf(days));
    }

    /** {@code true} when the period runs past midnight into the next day. */
    public boolean overnight() {
        return to.isBefore(from) || to.equals(LocalTime.MIDNIGHT);
    }

    @Override
    public String toString() {
        return days + " " + from + "-" + to;
    }
}
