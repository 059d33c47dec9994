package fr.creneau.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.creneau.error.CreneauException;
import fr.creneau.directory.Territory;
import java.io.StringReader;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PublicHolidaysTest {

    private static final PublicHolidays H = PublicHolidays.bundled();

    @Test
    void bundledDataCoverWholeYears2006To2031() {
        assertThat(H.firstCovered()).isEqualTo(LocalDate.of(2006, 1, 1));
        assertThat(H.lastCovered()).isEqualTo(LocalDate.of(2031, 12, 31));
        assertThat(H.source()).startsWith("classpath:");
        // The last row of the file is 26 December: the days after it are still answered.
        assertThat(H.isHoliday(HolidayZone.METROPOLE, LocalDate.of(2031, 12, 31))).isFalse();
        assertThat(H.isHoliday(HolidayZone.METROPOLE, LocalDate.of(2006, 1, 1))).isTrue();
    }

    @Test
    void dateOutsideBundledRangeThrowsRatherThanAnsweringNo() {
        for (final LocalDate d : List.of(LocalDate.of(2005, 12, 31), LocalDate.of(2032, 1, 1),
                LocalDate.of(2040, 7, 14))) {
            assertThatThrownBy(() -> H.isHoliday(HolidayZone.METROPOLE, d))
                .isInstanceOf(HolidayRangeException.class)
                .isInstanceOf(CreneauException.class)
                .hasMessageContaining(d.toString())
                .hasMessageContaining("2006-01-01")
                .hasMessageContaining("2031-12-31")
                .satisfies(e -> {
                    final HolidayRangeException r = (HolidayRangeException) e;
                    assertThat(r.date()).isEqualTo(d);
                    assertThat(r.firstCovered()).isEqualTo(LocalDate.of(2006, 1, 1));
                    assertThat(r.lastCovered()).isEqualTo(LocalDate.of(2031, 12, 31));
                });
            assertThat(H.covers(d)).isFalse();
        }
        assertThatThrownBy(() -> H.holidays(HolidayZone.METROPOLE, 2032))
            .isInstanceOf(HolidayRangeException.class);
    }

    @Property
    void metropoleHolidaysAreExactlyTheElevenNationalDays(
            @ForAll @IntRange(min = 2006, max = 2031) final int year) {
        final LocalDate easter = easterSunday(year);
        final Set<LocalDate> national = new TreeSet<>(List.of(
            LocalDate.of(year, 1, 1), easter.plusDays(1), LocalDate.of(year, 5, 1),
            LocalDate.of(year, 5, 8), easter.plusDays(39), easter.plusDays(50),
            LocalDate.of(year, 7, 14), LocalDate.of(year, 8, 15), LocalDate.of(year, 11, 1),
            LocalDate.of(year, 11, 11), LocalDate.of(year, 12, 25)));
        // A set, not a count of 11: in 2008 Ascension fell on 1 May.
        assertThat(H.holidays(HolidayZone.METROPOLE, year)).containsExactlyElementsOf(national);
        final Set<LocalDate> alsace = new TreeSet<>(national);
        alsace.add(easter.minusDays(2));
        alsace.add(LocalDate.of(year, 12, 26));
        assertThat(H.holidays(HolidayZone.ALSACE_MOSELLE, year)).containsExactlyElementsOf(alsace);
    }

    @Property
    void fixedDateNationalHolidaysEveryYear(@ForAll @IntRange(min = 2006, max = 2031) final int year) {
        for (final MonthDay md : List.of(MonthDay.of(1, 1), MonthDay.of(5, 1), MonthDay.of(5, 8),
                MonthDay.of(7, 14), MonthDay.of(8, 15), MonthDay.of(11, 1), MonthDay.of(11, 11),
                MonthDay.of(12, 25))) {
            for (final HolidayZone z : HolidayZone.values()) {
                assertThat(H.isHoliday(z, md.atYear(year))).as("%s %s", z, md).isTrue();
            }
        }
        assertThat(H.isHoliday(HolidayZone.METROPOLE, LocalDate.of(year, 12, 24))).isFalse();
        assertThat(H.isHoliday(HolidayZone.METROPOLE, LocalDate.of(year, 7, 13))).isFalse();
    }

    @Property
    void easterBasedHolidaysMatchComputedEaster(@ForAll @IntRange(min = 2006, max = 2031) final int year) {
        final LocalDate easter = easterSunday(year);
        final LocalDate easterMonday = easter.plusDays(1);
        final LocalDate ascension = easter.plusDays(39);
        final LocalDate whitMonday = easter.plusDays(50);
        final LocalDate goodFriday = easter.minusDays(2);
        assertThat(ascension.getDayOfWeek()).isEqualTo(DayOfWeek.THURSDAY);
        for (final HolidayZone z : HolidayZone.values()) {
            assertThat(H.isHoliday(z, easterMonday)).isTrue();
            assertThat(H.isHoliday(z, ascension)).isTrue();
            assertThat(H.isHoliday(z, whitMonday)).isTrue();
        }
        assertThat(H.isHoliday(HolidayZone.ALSACE_MOSELLE, goodFriday)).isTrue();
        assertThat(H.isHoliday(HolidayZone.METROPOLE, goodFriday)).isFalse();
        assertThat(H.isHoliday(HolidayZone.METROPOLE, easter.plusDays(2))).isFalse();
    }

    @Test
    void alsaceMoselleAddsGoodFridayAndSecondChristmasDay() {
        assertThat(H.isHoliday(HolidayZone.ALSACE_MOSELLE, LocalDate.of(2025, 4, 18))).isTrue();
        assertThat(H.isHoliday(HolidayZone.ALSACE_MOSELLE, LocalDate.of(2024, 12, 26))).isTrue();
        assertThat(H.isHoliday(HolidayZone.METROPOLE, LocalDate.of(2025, 4, 18))).isFalse();
        assertThat(H.isHoliday(HolidayZone.METROPOLE, LocalDate.of(2024, 12, 26))).isFalse();
    }

    @Test
    void eachOverseasDepartementHasItsOwnAbolitionOfSlaveryDay() {
        final LocalDate reunion = LocalDate.of(2025, 12, 20);
        final LocalDate mayotte = LocalDate.of(2025, 4, 27);
        final LocalDate martinique = LocalDate.of(2025, 5, 22);
        final LocalDate guadeloupe = LocalDate.of(2025, 5, 27);
        final LocalDate guyane = LocalDate.of(2025, 6, 10);
        assertThat(H.isHoliday(HolidayZone.LA_REUNION, reunion)).isTrue();
        assertThat(H.isHoliday(HolidayZone.MAYOTTE, mayotte)).isTrue();
        assertThat(H.isHoliday(HolidayZone.MARTINIQUE, martinique)).isTrue();
        assertThat(H.isHoliday(HolidayZone.GUADELOUPE, guadeloupe)).isTrue();
        assertThat(H.isHoliday(HolidayZone.GUYANE, guyane)).isTrue();
        for (final LocalDate d : List.of(reunion, mayotte, martinique, guadeloupe, guyane)) {
            assertThat(H.isHoliday(HolidayZone.METROPOLE, d)).as("%s", d).isFalse();
        }
        assertThat(H.isHoliday(HolidayZone.LA_REUNION, guyane)).isFalse();
        assertThat(H.holidays(HolidayZone.LA_REUNION, 2025))
            .hasSize(H.holidays(HolidayZone.METROPOLE, 2025).size() + 1);
    }

    @Test
    void territoriesMapToTheirHolidayZones() {
        assertThat(HolidayZone.of(Territory.METROPOLE)).isEqualTo(HolidayZone.METROPOLE);
        assertThat(HolidayZone.of(Territory.LA_REUNION)).isEqualTo(HolidayZone.LA_REUNION);
        for (final Territory t : Territory.values()) {
            assertThat(HolidayZone.of(t).label()).isEqualTo(t.holidayZone());
        }
        assertThatThrownBy(() -> HolidayZone.fromLabel("Nouvelle-Calédonie"))
            .isInstanceOf(UnknownHolidayZoneException.class)
            .hasMessageContaining("Alsace-Moselle");
    }

    @Test
    void extraHolidaysAreAddedToOneZoneOnlyAndLeaveTheOriginalUnchanged() {
        final LocalDate local = LocalDate.of(2026, 6, 3);
        final PublicHolidays more = H.withExtraHolidays(HolidayZone.GUYANE, List.of(local));
        assertThat(more.isHoliday(HolidayZone.GUYANE, local)).isTrue();
        assertThat(more.isHoliday(HolidayZone.METROPOLE, local)).isFalse();
        assertThat(H.isHoliday(HolidayZone.GUYANE, local)).isFalse();
        assertThat(more.holidays(HolidayZone.GUYANE, 2026))
            .hasSize(H.holidays(HolidayZone.GUYANE, 2026).size() + 1);
        assertThat(H.withExtraHolidays(HolidayZone.GUYANE, List.of())).isSameAs(H);
    }

    @Test
    void extraHolidayOutsideRangeIsRejected() {
        assertThatThrownBy(() -> H.withExtraHolidays(HolidayZone.METROPOLE,
                List.of(LocalDate.of(2035, 5, 2))))
            .isInstanceOf(HolidayRangeException.class);
    }

    @Test
    void parsedFileDefinesItsOwnRange() {
        final PublicHolidays p = PublicHolidays.parse(new StringReader(
            "date,nom_jour_ferie,zones\n"
                + "2040-01-01,1er janvier,Métropole|Nouvelle-Calédonie\n"
                + "2041-07-14,\"14 juillet, fête nationale\",Métropole\n"
                + "2041-07-15,Only elsewhere,Wallis-et-Futuna\n"), "test.csv");
        assertThat(p.firstCovered()).isEqualTo(LocalDate.of(2040, 1, 1));
        assertThat(p.lastCovered()).isEqualTo(LocalDate.of(2041, 12, 31));
        assertThat(p.isHoliday(HolidayZone.METROPOLE, LocalDate.of(2041, 7, 14))).isTrue();
        assertThat(p.isHoliday(HolidayZone.METROPOLE, LocalDate.of(2041, 7, 15))).isFalse();
        assertThatThrownBy(() -> p.isHoliday(HolidayZone.METROPOLE, LocalDate.of(2031, 7, 14)))
            .isInstanceOf(HolidayRangeException.class);
        // A zone without any row is unknown, not "never a holiday".
        assertThatThrownBy(() -> p.isHoliday(HolidayZone.LA_REUNION, LocalDate.of(2040, 12, 20)))
            .isInstanceOf(HolidayDataException.class)
            .hasMessageContaining("La Réunion");
    }

    @Test
    void malformedFilesAreRejectedWithTheLine() {
        assertThatThrownBy(() -> PublicHolidays.parse(new StringReader("day,name\n"), "a.csv"))
            .isInstanceOf(HolidayDataException.class).hasMessageContaining("header");
        assertThatThrownBy(() -> PublicHolidays.parse(new StringReader(
                "date,nom_jour_ferie,zones\n2025-02-30,x,Métropole\n"), "b.csv"))
            .isInstanceOf(HolidayDataException.class).hasMessageContaining("b.csv:2");
        assertThatThrownBy(() -> PublicHolidays.parse(new StringReader(
                "date,nom_jour_ferie,zones\n2025-05-01,1er mai,\n"), "c.csv"))
            .isInstanceOf(HolidayDataException.class).hasMessageContaining("no zone");
        assertThatThrownBy(() -> PublicHolidays.parse(new StringReader(
                "date,nom_jour_ferie,zones\n"), "d.csv"))
            .isInstanceOf(HolidayDataException.class).hasMessageContaining("no public-holiday row");
    }

    @Test
    void bundledDataAreLoadedOnceAndSharedAcrossThreads() throws InterruptedException {
        final Set<PublicHolidays> seen = ConcurrentHashMap.newKeySet();
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 16; i++) {
            pool.execute(() -> seen.add(PublicHolidays.bundled()));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).hasSize(1).containsExactly(H);
    }

    /** Anonymous Gregorian algorithm (Meeus/Jones/Butcher), independent of the data. */
    static LocalDate easterSunday(final int year) {
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
        final int day = ((h + l - 7 * m + 114) % 31) + 1;
        return LocalDate.of(year, month, day);
    }
}
