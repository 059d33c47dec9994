package fr.creneau.examples.data;

import java.time.DayOfWeek;
import java.time.LocalDate;

import fr.creneau.calendar.HolidayZone;
import fr.creneau.directory.Territory;

/**
 * The generator's view of public holidays: the engine's bundled calendar
 * ({@link fr.creneau.calendar.PublicHolidays}), with the one thing a generator knows that a
 * position does not, the département (Alsace-Moselle is a holiday zone of its own).
 *
 * <p>Stateless and thread-safe.
 */
public final class PublicHolidays {
    /** Holiday zone of the three départements under local law (57 Moselle, 67 Bas-Rhin, 68 Haut-Rhin). */
    public static final String ALSACE_MOSELLE = HolidayZone.ALSACE_MOSELLE.label();

    private static final fr.creneau.calendar.PublicHolidays BUNDLED = fr.creneau.calendar.PublicHolidays.bundled();

    private PublicHolidays() {
    }

    /** The holiday zone of a département: Alsace-Moselle for 57, 67 and 68, else the territory's. */
    public static String zoneOf(final Territory territory, final String depCode) {
        if ("57".equals(depCode) || "67".equals(depCode) || "68".equals(depCode)) {
            return ALSACE_MOSELLE;
        }
        return territory.holidayZone();
    }

    /** {@code true} when {@code date} is a public holiday in the holiday zone named {@code zone}. */
    public static boolean isHoliday(final LocalDate date, final String zone) {
        return BUNDLED.isHoliday(HolidayZone.fromLabel(zone), date);
    }

    /** {@code true} for a Sunday or a public holiday: the days most practices are closed. */
    public static boolean isSundayOrHoliday(final LocalDate date, final String zone) {
        return date.getDayOfWeek() == DayOfWeek.SUNDAY || isHoliday(date, zone);
    }
}
