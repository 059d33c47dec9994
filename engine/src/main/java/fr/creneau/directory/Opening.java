package fr.creneau.directory;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * Whether a list of {@link WeeklyHours} (a structure's opening hours) is open at an instant, and from when. An empty list is
 * always open (a structure that gave no hours). Stateless, thread-safe; allocates (java.time), for
 * the host side of a search and the PDSA second level, never the slot path.
 */
public final class Opening {
    private Opening() {
    }

    /** {@code true} when one of the periods holds {@code at}, read in {@code zone}. */
    public static boolean openAt(final List<WeeklyHours> hours, final Instant at, final ZoneId zone) {
        if (hours.isEmpty()) {
            return true;
        }
        final LocalDateTime local = LocalDateTime.ofInstant(at, zone);
        final DayOfWeek day = local.getDayOfWeek();
        final LocalTime time = local.toLocalTime();
        for (final WeeklyHours h : hours) {
            if (h.overnight()) {
                // Started today and not yet midnight, or started yesterday and not yet closed.
                if (h.days().contains(day) && !time.isBefore(h.from())) {
                    return true;
                }
                if (h.days().contains(day.minus(1)) && !h.to().equals(LocalTime.MIDNIGHT) && time.isBefore(h.to())) {
                    return true;
                }
            } else if (h.days().contains(day) && !time.isBefore(h.from()) && time.isBefore(h.to())) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code at} when open then, else the next instant a period opens (within a week), or
     * {@code null} when none does.
     */
    public static Instant nextOpening(final List<WeeklyHours> hours, final Instant at, final ZoneId zone) {
        if (openAt(hours, at, zone)) {
            return at;
        }
        final LocalDate today = LocalDateTime.ofInstant(at, zone).toLocalDate();
        Instant best = null;
        for (int d = 0; d <= 7; d++) {
            final LocalDate date = today.plusDays(d);
            for (final WeeklyHours h : hours) {
                if (h.days().contains(date.getDayOfWeek())) {
                    final Instant opens = date.atTime(h.from()).atZone(zone).toInstant();
                    if (opens.isAfter(at) && (best == null || opens.isBefore(best))) {
                        best = opens;
                    }
                }
            }
            if (best != null) {
                return best;
            }
        }
        return null;
    }
}
