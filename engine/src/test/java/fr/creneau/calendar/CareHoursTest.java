package fr.creneau.calendar;

import static fr.creneau.calendar.CareChannel.PDSA;
import static fr.creneau.calendar.CareChannel.SAS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.creneau.error.CreneauException;
import fr.creneau.directory.Territory;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class CareHoursTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final CareHours NATIONAL = CareHours.defaults();
    private static final CareHours ALSACE = CareHours.of(CareHoursConfig.builder()
        .holidayZone(HolidayZone.ALSACE_MOSELLE).build());

    /** An instant given as Paris wall-clock time (never ambiguous in these tests). */
    private static Instant paris(final String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(PARIS).toInstant();
    }

    // --- ordinary weeks -------------------------------------------------------------------

    @Test
    void weekdayAt0800IsSas() {
        assertThat(NATIONAL.channelAt(paris("2025-06-10T08:00"))).isEqualTo(SAS);
        assertThat(NATIONAL.channelAt(paris("2025-06-13T08:00"))).isEqualTo(SAS);
    }

    @Test
    void weekdayAt0759IsPdsa() {
        assertThat(NATIONAL.channelAt(paris("2025-06-10T07:59:59.999"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2025-06-10T03:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2025-06-10T00:00"))).isEqualTo(PDSA);
    }

    @Test
    void weekdayAt2000IsPdsa() {
        assertThat(NATIONAL.channelAt(paris("2025-06-10T19:59:59"))).isEqualTo(SAS);
        assertThat(NATIONAL.channelAt(paris("2025-06-10T20:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2025-06-10T23:59"))).isEqualTo(PDSA);
    }

    @Test
    void saturdayAt1159IsSas() {
        assertThat(NATIONAL.channelAt(paris("2025-06-14T08:00"))).isEqualTo(SAS);
        assertThat(NATIONAL.channelAt(paris("2025-06-14T11:59"))).isEqualTo(SAS);
    }

    @Test
    void saturdayAt1200IsPdsa() {
        assertThat(NATIONAL.channelAt(paris("2025-06-14T12:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2025-06-14T15:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2025-06-14T07:59"))).isEqualTo(PDSA);
    }

    @Test
    void sundayIsPdsaAllDay() {
        final LocalDate sunday = LocalDate.of(2025, 6, 15);
        for (int minute = 0; minute < 24 * 60; minute += 15) {
            final Instant i = sunday.atTime(LocalTime.MIN.plusMinutes(minute)).atZone(PARIS)
                .toInstant();
            assertThat(NATIONAL.channelAt(i)).as("%s", i).isEqualTo(PDSA);
        }
        assertThat(NATIONAL.isPdsaAllDay(sunday)).isTrue();
        assertThat(NATIONAL.isBridgeDay(sunday)).isFalse();
        assertThat(NATIONAL.isPdsaAllDay(sunday.plusDays(1))).isFalse();
    }

    // --- public holidays ------------------------------------------------------------------

    @Test
    void bastilleDayIsPdsa() {
        // Monday 14 July 2025.
        assertThat(NATIONAL.isHoliday(LocalDate.of(2025, 7, 14))).isTrue();
        assertThat(NATIONAL.channelAt(paris("2025-07-14T10:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2025-07-14T08:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2025-07-15T10:00"))).isEqualTo(SAS);
        // A holiday is not called a bridge day, even when the rules would also make it one.
        assertThat(NATIONAL.isBridgeDay(LocalDate.of(2025, 7, 14))).isFalse();
    }

    @Test
    void easterMondayIsPdsa() {
        assertThat(NATIONAL.channelAt(paris("2025-04-21T10:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2025-04-22T10:00"))).isEqualTo(SAS);
        // The Saturday before Easter is an ordinary Saturday outside Alsace-Moselle.
        assertThat(NATIONAL.channelAt(paris("2025-04-19T10:00"))).isEqualTo(SAS);
    }

    @Test
    void holidayOnSaturdayClosesSaturdayMorningSas() {
        // Saturday 1 November 2025.
        assertThat(NATIONAL.channelAt(paris("2025-11-01T09:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2025-10-25T09:00"))).isEqualTo(SAS);
    }

    // --- bridge days ----------------------------------------------------------------------

    @Test
    void mondayBeforeTuesdayHolidayIsBridgeDay() {
        // Tuesday 11 November 2025.
        final LocalDate monday = LocalDate.of(2025, 11, 10);
        assertThat(NATIONAL.isBridgeDay(monday)).isTrue();
        assertThat(NATIONAL.channelAt(paris("2025-11-10T08:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2025-11-10T15:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2025-11-03T15:00"))).isEqualTo(SAS);
        assertThat(NATIONAL.channelAt(paris("2025-11-12T08:00"))).isEqualTo(SAS);
    }

    @Test
    void saturdayBeforeMondayBridgeIsNotBridgeDay() {
        // "Le lundi lorsqu'il précède un jour férié": only the Monday, not the weekend before.
        assertThat(NATIONAL.isBridgeDay(LocalDate.of(2025, 11, 8))).isFalse();
        assertThat(NATIONAL.channelAt(paris("2025-11-08T10:00"))).isEqualTo(SAS);
    }

    @Test
    void daysAroundMidweekHolidayAreNotBridgeDays() {
        // Wednesday 1 May 2024: no day of that week is a bridge day.
        for (int day = 29; day <= 34; day++) {
            final LocalDate d = LocalDate.of(2024, 4, 1).plusDays(day - 1);
            if (d.getDayOfMonth() == 1) {
                continue;
            }
            assertThat(NATIONAL.isBridgeDay(d)).as("%s", d).isFalse();
            assertThat(NATIONAL.channelAt(d.atTime(10, 0).atZone(PARIS).toInstant()))
                .as("%s", d).isEqualTo(SAS);
        }
    }

    @Test
    void fridayAndSaturdayAfterAscensionThursdayAreBridgeDays() {
        // Ascension: Thursday 29 May 2025.
        assertThat(NATIONAL.isBridgeDay(LocalDate.of(2025, 5, 30))).isTrue();
        assertThat(NATIONAL.isBridgeDay(LocalDate.of(2025, 5, 31))).isTrue();
        assertThat(NATIONAL.channelAt(paris("2025-05-30T10:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2025-05-31T10:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2025-06-07T10:00"))).isEqualTo(SAS);
        assertThat(NATIONAL.channelAt(paris("2025-06-02T08:00"))).isEqualTo(SAS);
        assertThat(NATIONAL.isBridgeDay(LocalDate.of(2025, 5, 29))).isFalse();
        assertThat(NATIONAL.isBridgeDay(LocalDate.of(2025, 6, 1))).isFalse();
    }

    @Test
    void pdsaRunsFromAscensionEveToTheMondayMorningAfter() {
        assertThat(NATIONAL.nextChangeAfter(paris("2025-05-28T12:00")))
            .contains(paris("2025-05-28T20:00"));
        assertThat(NATIONAL.nextChangeAfter(paris("2025-05-28T20:00")))
            .contains(paris("2025-06-02T08:00"));
    }

    @Test
    void saturdayAfterFridayHolidayIsBridgeDay() {
        // Christmas 2026 is a Friday; Thursday 24 December is an ordinary day.
        assertThat(NATIONAL.isBridgeDay(LocalDate.of(2026, 12, 26))).isTrue();
        assertThat(NATIONAL.channelAt(paris("2026-12-26T09:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2026-12-24T09:00"))).isEqualTo(SAS);
    }

    @Test
    void bridgeRulesCanBeSwitchedOffByARegion() {
        final CareHours none = CareHours.of(CareHoursConfig.builder().noBridgeDays().build());
        assertThat(none.isBridgeDay(LocalDate.of(2025, 5, 30))).isFalse();
        assertThat(none.channelAt(paris("2025-05-30T10:00"))).isEqualTo(SAS);
        assertThat(none.channelAt(paris("2025-11-10T10:00"))).isEqualTo(SAS);
        // Holidays still close the SAS without bridge days.
        assertThat(none.channelAt(paris("2025-05-29T10:00"))).isEqualTo(PDSA);

        final CareHours literal = CareHours.of(CareHoursConfig.builder()
            .bridgeRule(BridgeRule.SATURDAY_AFTER_THURSDAY_HOLIDAY, false).build());
        assertThat(literal.channelAt(paris("2025-05-30T10:00"))).isEqualTo(PDSA);
        assertThat(literal.channelAt(paris("2025-05-31T10:00"))).isEqualTo(SAS);
        assertThat(literal.channelAt(paris("2026-12-26T09:00"))).isEqualTo(PDSA);

        final CareHours mondaysOnly = CareHours.of(CareHoursConfig.builder()
            .bridgeRules(EnumSet.of(BridgeRule.MONDAY_BEFORE_TUESDAY_HOLIDAY)).build());
        assertThat(mondaysOnly.isBridgeDay(LocalDate.of(2025, 11, 10))).isTrue();
        assertThat(mondaysOnly.isBridgeDay(LocalDate.of(2025, 5, 30))).isFalse();
    }

    // --- regional overrides ---------------------------------------------------------------

    @Test
    void alsaceMoselleSecondChristmasDayIsPdsaAndBridgesToTheWeekend() {
        // Christmas 2024 is a Wednesday, so 26 December is a Thursday.
        assertThat(ALSACE.channelAt(paris("2024-12-26T10:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2024-12-26T10:00"))).isEqualTo(SAS);
        // In Alsace-Moselle only, Friday 27 and Saturday 28 follow a Thursday holiday.
        assertThat(ALSACE.isBridgeDay(LocalDate.of(2024, 12, 27))).isTrue();
        assertThat(ALSACE.channelAt(paris("2024-12-27T10:00"))).isEqualTo(PDSA);
        assertThat(ALSACE.channelAt(paris("2024-12-28T10:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.isBridgeDay(LocalDate.of(2024, 12, 27))).isFalse();
        assertThat(NATIONAL.channelAt(paris("2024-12-27T10:00"))).isEqualTo(SAS);
        assertThat(NATIONAL.channelAt(paris("2024-12-28T10:00"))).isEqualTo(SAS);
    }

    @Test
    void alsaceMoselleGoodFridayIsPdsaAndItsSaturdayIsBridgeDay() {
        assertThat(ALSACE.channelAt(paris("2025-04-18T10:00"))).isEqualTo(PDSA);
        assertThat(ALSACE.channelAt(paris("2025-04-19T10:00"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(paris("2025-04-18T10:00"))).isEqualTo(SAS);
        assertThat(NATIONAL.channelAt(paris("2025-04-19T10:00"))).isEqualTo(SAS);
    }

    @Test
    void laReunionAbolitionOfSlaveryDayIsPdsaInReunionTime() {
        final CareHours reunion = CareHours.forTerritory(Territory.LA_REUNION);
        assertThat(reunion.config().zone()).isEqualTo(ZoneId.of("Indian/Reunion"));
        // Wednesday 20 December 2023, 14:00 in Saint-Denis (UTC+4) is 11:00 in Paris.
        final Instant afternoon = Instant.parse("2023-12-20T10:00:00Z");
        assertThat(reunion.isHoliday(LocalDate.of(2023, 12, 20))).isTrue();
        assertThat(reunion.channelAt(afternoon)).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(afternoon)).isEqualTo(SAS);
        // Thursday 21: the SAS opens at 08:00 Réunion time, 04:00 UTC, when Paris is at 05:00.
        assertThat(reunion.channelAt(Instant.parse("2023-12-21T03:59:00Z"))).isEqualTo(PDSA);
        assertThat(reunion.channelAt(Instant.parse("2023-12-21T04:00:00Z"))).isEqualTo(SAS);
        assertThat(NATIONAL.channelAt(Instant.parse("2023-12-21T04:00:00Z"))).isEqualTo(PDSA);
        assertThat(reunion.channelAt(Instant.parse("2023-12-21T15:59:00Z"))).isEqualTo(SAS);
        assertThat(reunion.channelAt(Instant.parse("2023-12-21T16:00:00Z"))).isEqualTo(PDSA);
    }

    @Test
    void regionalHoursOverrideTheNationalOnes() {
        final CareHours shorter = CareHours.of(CareHoursConfig.builder()
            .weekdayHours(OpeningHours.of(LocalTime.of(8, 30), LocalTime.of(19, 0)))
            .saturdayHours(OpeningHours.closed()).build());
        assertThat(shorter.channelAt(paris("2025-06-10T08:15"))).isEqualTo(PDSA);
        assertThat(shorter.channelAt(paris("2025-06-10T08:30"))).isEqualTo(SAS);
        assertThat(shorter.channelAt(paris("2025-06-10T19:00"))).isEqualTo(PDSA);
        assertThat(shorter.channelAt(paris("2025-06-14T09:00"))).isEqualTo(PDSA);
        assertThat(shorter.isPdsaAllDay(LocalDate.of(2025, 6, 14))).isTrue();
        assertThat(shorter.nextChangeAfter(paris("2025-06-13T19:00")))
            .contains(paris("2025-06-16T08:30"));
    }

    @Test
    void extraHolidayFromConfigurationClosesSasAndMakesBridges() {
        // A host-declared local holiday on Tuesday 3 June 2025.
        final CareHours local = CareHours.of(CareHoursConfig.builder()
            .extraHoliday(LocalDate.of(2025, 6, 3)).build());
        assertThat(local.isHoliday(LocalDate.of(2025, 6, 3))).isTrue();
        assertThat(local.channelAt(paris("2025-06-03T10:00"))).isEqualTo(PDSA);
        assertThat(local.isBridgeDay(LocalDate.of(2025, 6, 2))).isTrue();
        assertThat(NATIONAL.channelAt(paris("2025-06-03T10:00"))).isEqualTo(SAS);
        assertThat(NATIONAL.holidays().isHoliday(HolidayZone.METROPOLE, LocalDate.of(2025, 6, 3)))
            .isFalse();
    }

    @Test
    void configurationIsImmutableValueWithNationalDefaults() {
        final CareHoursConfig d = CareHoursConfig.defaults();
        assertThat(d.zone()).isEqualTo(PARIS);
        assertThat(d.holidayZone()).isEqualTo(HolidayZone.METROPOLE);
        assertThat(d.weekdayHours()).isEqualTo(OpeningHours.ofHours(8, 20));
        assertThat(d.saturdayHours()).isEqualTo(OpeningHours.ofHours(8, 12));
        assertThat(d.bridgeRules()).containsExactlyInAnyOrder(BridgeRule.values());
        assertThat(d.extraHolidays()).isEmpty();
        assertThat(d.toBuilder().build()).isEqualTo(d).hasSameHashCodeAs(d);
        final CareHoursConfig none = d.toBuilder().noBridgeDays().build();
        assertThat(none.toBuilder().build()).isEqualTo(none).isNotEqualTo(d);
        assertThat(d.bridgeRules()).hasSize(4);
        assertThatThrownBy(() -> d.bridgeRules().clear())
            .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> OpeningHours.ofHours(20, 8))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(CareHoursConfig.forTerritory(Territory.GUYANE).holidayZone())
            .isEqualTo(HolidayZone.GUYANE);
    }

    // --- daylight-saving time -------------------------------------------------------------

    @Test
    void springForwardMondaySasOpensAt0800SummerTime() {
        // Clocks went 02:00 -> 03:00 on Sunday 30 March 2025; Monday 08:00 CEST is 06:00 UTC.
        assertThat(NATIONAL.channelAt(Instant.parse("2025-03-31T05:59:00Z"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(Instant.parse("2025-03-31T06:00:00Z"))).isEqualTo(SAS);
        assertThat(NATIONAL.channelAt(Instant.parse("2025-03-31T17:59:00Z"))).isEqualTo(SAS);
        assertThat(NATIONAL.channelAt(Instant.parse("2025-03-31T18:00:00Z"))).isEqualTo(PDSA);
        // The Friday before, still in winter time, opened at 07:00 UTC.
        assertThat(NATIONAL.channelAt(Instant.parse("2025-03-28T06:30:00Z"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(Instant.parse("2025-03-28T07:00:00Z"))).isEqualTo(SAS);
    }

    @Test
    void fallBackMondaySasOpensAt0800WinterTime() {
        // Clocks went 03:00 -> 02:00 on Sunday 26 October 2025; Monday 08:00 CET is 07:00 UTC.
        assertThat(NATIONAL.channelAt(Instant.parse("2025-10-27T06:59:00Z"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(Instant.parse("2025-10-27T07:00:00Z"))).isEqualTo(SAS);
        assertThat(NATIONAL.channelAt(Instant.parse("2025-10-27T18:59:00Z"))).isEqualTo(SAS);
        assertThat(NATIONAL.channelAt(Instant.parse("2025-10-27T19:00:00Z"))).isEqualTo(PDSA);
        // The Saturday before, still summer time, closed at 12:00 CEST = 10:00 UTC.
        assertThat(NATIONAL.channelAt(Instant.parse("2025-10-25T09:59:00Z"))).isEqualTo(SAS);
        assertThat(NATIONAL.channelAt(Instant.parse("2025-10-25T10:00:00Z"))).isEqualTo(PDSA);
    }

    @Test
    void dstSundaysArePdsaAt2000AndAllDay() {
        for (final LocalDate sunday : List.of(LocalDate.of(2025, 3, 30), LocalDate.of(2025, 10, 26))) {
            assertThat(sunday.getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
            assertThat(NATIONAL.channelAt(sunday.atTime(20, 0).atZone(PARIS).toInstant()))
                .isEqualTo(PDSA);
            assertThat(NATIONAL.channelAt(sunday.atTime(19, 59).atZone(PARIS).toInstant()))
                .isEqualTo(PDSA);
        }
        // Both passes through 02:30 on the fall-back night.
        assertThat(NATIONAL.channelAt(Instant.parse("2025-10-26T00:30:00Z"))).isEqualTo(PDSA);
        assertThat(NATIONAL.channelAt(Instant.parse("2025-10-26T01:30:00Z"))).isEqualTo(PDSA);
    }

    @Test
    void nextChangeAcrossDstWeekendsIsMondayAt0800Local() {
        assertThat(NATIONAL.nextChangeAfter(Instant.parse("2025-03-29T11:00:00Z")))
            .contains(Instant.parse("2025-03-31T06:00:00Z"));
        assertThat(NATIONAL.nextChangeAfter(Instant.parse("2025-10-25T10:00:00Z")))
            .contains(Instant.parse("2025-10-27T07:00:00Z"));
        assertThat(NATIONAL.nextChangeAfter(Instant.parse("2025-10-27T07:00:00Z")))
            .contains(Instant.parse("2025-10-27T19:00:00Z"));
    }

    @Test
    void sasBoundaryInSpringForwardGapTakesEffectAtTheTransition() {
        // Israel moves 02:00 -> 03:00 on Friday 28 March 2025; 02:30 does not exist that day.
        final CareHours early = CareHours.of(CareHoursConfig.builder()
            .zone(ZoneId.of("Asia/Jerusalem"))
            .weekdayHours(OpeningHours.of(LocalTime.of(2, 30), LocalTime.of(20, 0))).build());
        assertThat(early.nextChangeAfter(Instant.parse("2025-03-27T18:00:00Z")))
            .contains(Instant.parse("2025-03-28T00:00:00Z"));
        assertThat(early.channelAt(Instant.parse("2025-03-27T23:59:59Z"))).isEqualTo(PDSA);
        assertThat(early.channelAt(Instant.parse("2025-03-28T00:00:00Z"))).isEqualTo(SAS);
    }

    @Test
    void sasBoundaryInFallBackOverlapIsCrossedTwice() {
        // Tehran went back from 24:00 (+04:30) to 23:00 (+03:30) at the end of Tuesday
        // 21 September 2021, so 23:30 happened twice.
        final CareHours late = CareHours.of(CareHoursConfig.builder()
            .zone(ZoneId.of("Asia/Tehran"))
            .weekdayHours(OpeningHours.of(LocalTime.of(8, 0), LocalTime.of(23, 30))).build());
        Instant t = Instant.parse("2021-09-21T18:00:00Z");
        assertThat(late.channelAt(t)).isEqualTo(SAS);
        final List<String> expected = List.of("2021-09-21T19:00:00Z", "2021-09-21T19:30:00Z",
            "2021-09-21T20:00:00Z", "2021-09-22T04:30:00Z");
        CareChannel c = SAS;
        for (final String e : expected) {
            t = late.nextChangeAfter(t).orElseThrow();
            assertThat(t).isEqualTo(Instant.parse(e));
            c = c == SAS ? PDSA : SAS;
            assertThat(late.channelAt(t)).isEqualTo(c);
        }
    }

    @Test
    void nextChangeIsEmptyWhenSasNeverOpens() {
        final CareHours never = CareHours.of(CareHoursConfig.builder()
            .weekdayHours(OpeningHours.closed()).saturdayHours(OpeningHours.closed()).build());
        assertThat(never.channelAt(paris("2025-06-10T10:00"))).isEqualTo(PDSA);
        assertThat(never.nextChangeAfter(paris("2025-06-10T10:00"))).isEmpty();
    }

    // --- range of the holiday data --------------------------------------------------------

    @Test
    void dateOutsideHolidayRangeThrowsTypedError() {
        assertThatThrownBy(() -> NATIONAL.channelAt(paris("2032-01-05T10:00")))
            .isInstanceOf(HolidayRangeException.class)
            .isInstanceOf(CreneauException.class)
            .hasMessageContaining("2032-01-05");
        // Sundays too, although their answer does not depend on holidays: a stale bundle must
        // show on every date past its end.
        assertThatThrownBy(() -> NATIONAL.channelAt(paris("2032-01-04T10:00")))
            .isInstanceOf(HolidayRangeException.class);
        assertThatThrownBy(() -> NATIONAL.isBridgeDay(LocalDate.of(2005, 12, 30)))
            .isInstanceOf(HolidayRangeException.class);
        // The search for the next change runs into the end of the data.
        assertThatThrownBy(() -> NATIONAL.nextChangeAfter(paris("2031-12-31T20:00")))
            .isInstanceOf(HolidayRangeException.class);
        assertThatThrownBy(() -> CareHours.of(CareHoursConfig.builder()
                .extraHoliday(LocalDate.of(2033, 6, 1)).build()))
            .isInstanceOf(HolidayRangeException.class);
        // The last covered day still answers.
        assertThat(NATIONAL.channelAt(paris("2031-12-31T10:00"))).isEqualTo(SAS);
    }
}
