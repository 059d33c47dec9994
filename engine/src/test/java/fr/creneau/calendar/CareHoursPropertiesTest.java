package fr.creneau.calendar;

import static fr.creneau.calendar.CareChannel.PDSA;
import static fr.creneau.calendar.CareChannel.SAS;
import static org.assertj.core.api.Assertions.assertThat;

import fr.creneau.directory.Territory;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@link CareHours} over the whole holiday range, for the national rules, every
 * territory, and random regional configurations in zones whose clocks change on weekdays
 * (Asia/Jerusalem on Fridays, Asia/Tehran at midnight until 2022), where a SAS boundary can fall
 * into a gap or an overlap.
 */
class CareHoursPropertiesTest {

    /**
     * Whole minutes, so every SAS boundary and zone transition is on a one-minute lattice. The
     * last instant leaves months before the end of the bundled holidays (2031-12-31): from a date
     * near it, {@code nextChangeAfter} may legitimately search past the data (a regional SAS open
     * only on Saturdays, over Christmas bridge days) and get a {@code HolidayRangeException}.
     */
    private static final long FIRST = LocalDate.of(2006, 1, 3).toEpochDay() * 86_400L;
    private static final long LAST = LocalDate.of(2031, 6, 30).toEpochDay() * 86_400L;

    private static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/Paris"),
        ZoneId.of("Indian/Reunion"), ZoneId.of("America/Cayenne"), ZoneId.of("Asia/Jerusalem"),
        ZoneId.of("Asia/Tehran"));

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(FIRST, LAST)
            .flatMap(s -> Arbitraries.integers().between(0, 999_999_999)
                .map(n -> Instant.ofEpochSecond(s, n)));
    }

    /**
     * A configuration and an instant, half of the time within two days before or one after one of
     * the zone's clock changes, where the hand-made offset table and the gap/overlap handling of
     * {@link CareHours#nextChangeAfter} are exercised.
     */
    @Provide
    Arbitrary<Tuple.Tuple2<CareHours, Instant>> cases() {
        return careHours().flatMap(hours -> {
            final List<Instant> transitions = transitions(hours.config().zone());
            final Arbitrary<Instant> near = transitions.isEmpty() ? instants()
                : Combinators.combine(Arbitraries.of(transitions),
                        Arbitraries.longs().between(-2 * 86_400L, 86_400L))
                    .as((tr, delta) -> tr.plusSeconds(delta));
            return Arbitraries.oneOf(instants(), near).map(t -> Tuple.of(hours, t));
        });
    }

    private static List<Instant> transitions(final ZoneId zone) {
        final List<Instant> out = new ArrayList<>();
        ZoneOffsetTransition tr = zone.getRules().nextTransition(Instant.ofEpochSecond(FIRST));
        while (tr != null && tr.toEpochSecond() < LAST) {
            out.add(tr.getInstant());
            tr = zone.getRules().nextTransition(tr.getInstant());
        }
        return out;
    }

    @Provide
    Arbitrary<CareHours> careHours() {
        final List<CareHours> fixed = new ArrayList<>();
        fixed.add(CareHours.defaults());
        for (final Territory t : Territory.values()) {
            fixed.add(CareHours.forTerritory(t));
        }
        fixed.add(CareHours.of(CareHoursConfig.builder()
            .holidayZone(HolidayZone.ALSACE_MOSELLE).build()));
        return Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.of(fixed)),
            Tuple.of(2, regional()));
    }

    private static Arbitrary<CareHours> regional() {
        // Opening minutes biased towards the small hours, where the weekday clock changes are.
        final Arbitrary<Integer> opens = Arbitraries.oneOf(
            Arbitraries.integers().between(0, 24 * 60 - 1),
            Arbitraries.integers().between(0, 4 * 60));
        final Arbitrary<OpeningHours> hours = opens
            .flatMap(open -> Arbitraries.integers().between(open, 24 * 60 - 1)
                .map(close -> OpeningHours.of(LocalTime.MIN.plusMinutes(open),
                    LocalTime.MIN.plusMinutes(close))));
        return Combinators.combine(Arbitraries.of(ZONES), Arbitraries.of(HolidayZone.class), hours,
                hours, Arbitraries.subsetOf(BridgeRule.values()))
            .as((zone, holidayZone, weekday, saturday, bridges) ->
                CareHours.of(CareHoursConfig.builder()
                    .zone(zone)
                    .holidayZone(holidayZone)
                    .weekdayHours(weekday)
                    .saturdayHours(saturday)
                    .bridgeRules(bridges.isEmpty() ? EnumSet.noneOf(BridgeRule.class)
                        : EnumSet.copyOf(bridges))
                    .build()));
    }

    @Property(tries = 2000)
    void channelAtIsNeverNullAndSasIsNeverOpenOnSundayOrHoliday(
            @ForAll("careHours") final CareHours hours, @ForAll("instants") final Instant t) {
        final CareChannel channel = hours.channelAt(t);
        assertThat(channel).isNotNull();
        final LocalDateTime local = LocalDateTime.ofInstant(t, hours.config().zone());
        final LocalDate date = local.toLocalDate();
        if (date.getDayOfWeek() == DayOfWeek.SUNDAY || hours.isHoliday(date)
                || hours.isBridgeDay(date)) {
            assertThat(channel).as("%s local %s", t, local).isEqualTo(PDSA);
        }
        if (channel == SAS) {
            final OpeningHours open = date.getDayOfWeek() == DayOfWeek.SATURDAY
                ? hours.config().saturdayHours() : hours.config().weekdayHours();
            assertThat(local.toLocalTime()).isAfterOrEqualTo(open.opens()).isBefore(open.closes());
            assertThat(hours.isPdsaAllDay(date)).isFalse();
        }
    }

    @Property(tries = 2000)
    void channelAtAnInstantIsTheChannelAtItsWallClockTime(
            @ForAll("careHours") final CareHours hours, @ForAll("instants") final Instant t) {
        assertThat(hours.channelAt(t))
            .isEqualTo(hours.channelAt(LocalDateTime.ofInstant(t, hours.config().zone())));
    }

    @Property(tries = 1000)
    void nextChangeIsTheFirstInstantWhereTheChannelDiffers(
            @ForAll("cases") final Tuple.Tuple2<CareHours, Instant> c) {
        final CareHours hours = c.get1();
        final Instant t = c.get2();
        final CareChannel current = hours.channelAt(t);
        if (hours.config().weekdayHours().isClosed() && hours.config().saturdayHours().isClosed()) {
            // A SAS that never opens: nothing changes (and the search would run a year ahead).
            assertThat(current).isEqualTo(PDSA);
            return;
        }
        final Instant change = hours.nextChangeAfter(t).orElseThrow();
        assertThat(change).isAfter(t);
        assertThat(hours.channelAt(change)).isNotEqualTo(current);
        assertThat(hours.channelAt(change.minusNanos(1))).isEqualTo(current);
        // Boundaries and clock changes fall on whole minutes, so every constant stretch between
        // them lasts at least a minute and a one-minute scan meets each one.
        for (Instant i = t.plusSeconds(60); i.isBefore(change); i = i.plusSeconds(60)) {
            assertThat(hours.channelAt(i)).as("%s before change %s", i, change).isEqualTo(current);
        }
    }

    @Property(tries = 1000)
    void channelAtNearClockChangesIsTheChannelAtTheWallClockTime(
            @ForAll("cases") final Tuple.Tuple2<CareHours, Instant> c) {
        final CareHours hours = c.get1();
        final Instant t = c.get2();
        assertThat(hours.channelAt(t))
            .isEqualTo(hours.channelAt(LocalDateTime.ofInstant(t, hours.config().zone())));
    }

    @Property(tries = 3000)
    void bridgeDayIsAMondayFridayOrSaturdayNextToAHoliday(
            @ForAll @IntRange(min = 2, max = 9_490) final int dayIndex,
            @ForAll final HolidayZone zone) {
        final CareHours hours = CareHours.of(CareHoursConfig.builder().holidayZone(zone).build());
        final LocalDate d = LocalDate.of(2006, 1, 1).plusDays(dayIndex);
        final boolean expected = !hours.isHoliday(d) && switch (d.getDayOfWeek()) {
            case MONDAY -> hours.isHoliday(d.plusDays(1));
            case FRIDAY -> hours.isHoliday(d.minusDays(1));
            case SATURDAY -> hours.isHoliday(d.minusDays(1)) || hours.isHoliday(d.minusDays(2));
            default -> false;
        };
        assertThat(hours.isBridgeDay(d)).as("%s %s", d, d.getDayOfWeek()).isEqualTo(expected);
        if (expected) {
            assertThat(hours.channelAt(d.atTime(10, 0))).isEqualTo(PDSA);
        }
    }
}
