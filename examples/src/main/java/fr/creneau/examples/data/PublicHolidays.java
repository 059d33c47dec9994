package fr.creneau.examples.data;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.MonthDay;

import fr.creneau.directory.Territory;

/**
 * French public holidays (jours fériés) by holiday zone, computed from the rules rather than read
 * from a table, so that a sample generated relative to "now" works in any year.
 *
 * <p>Zone names are those of the Etalab data set and of {@link Territory#holidayZone()}
 * ("Métropole", "Alsace-Moselle", "Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte").
 * The rules: eleven days everywhere (1 January, Easter Monday, 1 May, 8 May, Ascension, Whit
 * Monday, 14 July, 15 August, 1 November, 11 November, 25 December); Alsace-Moselle adds Good
 * Friday and 26 December; each overseas département adds its own abolition-of-slavery day.
 * {@code PublicHolidaysTest} checks them against the Etalab file for 2006-2031.
 *
 * <p>Stateless and thread-safe.
 */
public final class PublicHolidays {
    /** Holiday zone of the three départements under local law (57 Moselle, 67 Bas-Rhin, 68 Haut-Rhin). */
    public static final String ALSACE_MOSELLE = "Alsace-Moselle";

    private static final MonthDay[] EVERYWHERE = {
        MonthDay.of(Month.JANUARY, 1), MonthDay.of(Month.MAY, 1), MonthDay.of(Month.MAY, 8),
        MonthDay.of(Month.JULY, 14), MonthDay.of(Month.AUGUST, 15), MonthDay.of(Month.NOVEMBER, 1),
        MonthDay.of(Month.NOVEMBER, 11), MonthDay.of(Month.DECEMBER, 25),
    };

    private PublicHolidays() {
    }

    /** The holiday zone of a département: Alsace-Moselle for 57, 67 and 68, else the territory's. */
    public static String zoneOf(final Territory territory, final String depCode) {
        if ("57".equals(depCode) || "67".equals(depCode) || "68".equals(depCode)) {
            return ALSACE_MOSELLE;
        }
        return territory.holidayZone();
    }

    /** {@code true} when {@code date} is a public holiday in the holiday zone {@code zone}. */
    public static boolean isHoliday(final LocalDate date, final String zone) {
        final MonthDay md = MonthDay.from(date);
        for (final MonthDay fixed : EVERYWHERE) {
            if (fixed.equals(md)) {
                return true;
            }
        }
        final LocalDate easter = easterSunday(date.getYear());
        // Easter Monday (+1), Ascension Thursday (+39), Whit Monday (+50).
        if (date.equals(easter.plusDays(1)) || date.equals(easter.plusDays(39)) || date.equals(easter.plusDays(50))) {
            return true;
        }
        switch (zone) {
            case ALSACE_MOSELLE:
                return date.equals(easter.minusDays(2)) || md.equals(MonthDay.of(Month.DECEMBER, 26));
            case "Guadeloupe":
                return md.equals(MonthDay.of(Month.MAY, 27));
            case "Martinique":
                return md.equals(MonthDay.of(Month.MAY, 22));
            case "Guyane":
                return md.equals(MonthDay.of(Month.JUNE, 10));
            case "La Réunion":
                return md.equals(MonthDay.of(Month.DECEMBER, 20));
            case "Mayotte":
                return md.equals(MonthDay.of(Month.APRIL, 27));
            default:
                return false;
        }
    }

    /** {@code true} for a Sunday or a public holiday: the days most practices are closed. */
    public static boolean isSundayOrHoliday(final LocalDate date, final String zone) {
        return date.getDayOfWeek() == DayOfWeek.SUNDAY || isHoliday(date, zone);
    }

    /** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
    public static LocalDate easterSunday(final int year) {
        final int a = year % 19;
        final int b = year / 100;
        final int c = year % 100;
        final int d = b / 4;
        final int e = b % 4;
        final int f = (b + 8) / 25;
        final int g = (b - f + 1) / 3;
        final int h = (19 * a + b - d - g + 15) % 30;
        final int i = c / 4;
        final int k = c % 4;
        final int l = (32 + 2 * e + 2 * i - h - k) % 7;
        final int m = (a + 11 * h + 22 * l) / 451;
        final int month = (h + l - 7 * m + 114) / 31;
        final int day = (h + l - 7 * m + 114) % 31 + 1;
        return LocalDate.of(year, month, day);
    }
}
