package fr.creneau.calendar;

import fr.creneau.directory.Territory;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which care channel, {@link CareChannel#SAS} daytime or {@link CareChannel#PDSA} out-of-hours,
 * is open at an instant, for one SAS's {@link CareHoursConfig}.
 *
 * <p>National rules (DOMAIN.md "Hours", seed documents {@code 000}, {@code 001}, {@code 003}): the
 * SAS is open weekdays 08:00-20:00 and Saturday 08:00-12:00, local time; the PDSA covers the rest:
 * every night 20:00-08:00, Saturday from 12:00, and all day on Sundays, public holidays and bridge
 * days. The two channels partition time, so the PDSA is modelled as "not SAS" and no instant has
 * both or neither.
 *
 * <p>Bridge days: the regulation says "le lundi lorsqu'il précède un jour férié, le vendredi et le
 * samedi lorsqu'ils suivent un jour férié" (seed {@code 003}, after CSP art. R6315-1). Read as
 * bridges between a holiday and the weekend, that is: the Monday before a Tuesday holiday, the
 * Friday after a Thursday holiday, the Saturday after a Friday holiday, and the Saturday after a
 * Thursday holiday (whose Friday is itself a bridge, so the PDSA runs Thursday 08:00 to
 * Monday 08:00). A Monday before a Wednesday holiday, or the Saturday before a Monday bridge, is
 * not a bridge day. A holiday is never itself called a bridge day. Each of the four readings is a
 * {@link BridgeRule} that a regional configuration can switch off.
 *
 * <p>Times are wall-clock times in {@link CareHoursConfig#zone()}: at the Europe/Paris changes
 * (last Sunday of March 02:00 to 03:00, last Sunday of October 03:00 to 02:00) the SAS still opens
 * at 08:00 local, i.e. 06:00 UTC in summer and 07:00 UTC in winter.
 *
 * <p>A query whose local date, or a neighbour it needs for the bridge rules (up to two days before
 * or one after), is outside the holiday data's range throws {@link HolidayRangeException}.
 *
 * <p>Immutable, safe to share between threads; {@link #channelAt(Instant)} allocates nothing
 * (offsets come from a table built once over the holiday range).
 */
public final class CareHours {

    private static final long SECONDS_PER_DAY = 86_400L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_DAY = SECONDS_PER_DAY * NANOS_PER_SECOND;
    /**
     * How far {@link #nextChangeAfter} looks before concluding that the channel never changes.
     * When the SAS opens at all, the longest PDSA stretch from holidays and bridges is under a
     * week (Thursday holiday to Monday); only a configuration whose SAS never opens, or one that
     * declares months of extra holidays, reaches this horizon.
     */
    private static final long SEARCH_HORIZON_DAYS = 366;
    // Day of week as 0 = Monday .. 6 = Sunday, the order of DayOfWeek.
    private static final int MONDAY = DayOfWeek.MONDAY.ordinal();
    private static final int FRIDAY = DayOfWeek.FRIDAY.ordinal();
    private static final int SATURDAY = DayOfWeek.SATURDAY.ordinal();
    private static final int SUNDAY = DayOfWeek.SUNDAY.ordinal();

    private final CareHoursConfig config;
    private final PublicHolidays holidays;
    private final HolidayZone holidayZone;
    /** Cached: {@link ZoneId#getRules()} may look the rules up on each call. */
    private final ZoneRules rules;
    /**
     * UTC offsets over the holiday range, precomputed because {@link ZoneRules#getOffset(Instant)}
     * boxes the year into a cache key for dates past the zone's last listed transition (every
     * current year in Europe/Paris). {@code transitionSeconds} holds the epoch seconds of the zone
     * transitions strictly inside [{@code tableStart}, {@code tableEnd}), ascending;
     * {@code offsetSeconds[i]} is the offset in force after {@code i} of them.
     */
    private final long tableStart;
    private final long tableEnd;
    private final long[] transitionSeconds;
    private final int[] offsetSeconds;
    // SAS windows in nanoseconds of the local day, open inclusive, close exclusive.
    private final long weekdayOpen;
    private final long weekdayClose;
    private final long saturdayOpen;
    private final long saturdayClose;
    private final boolean mondayBeforeTuesday;
    private final boolean fridayAfterThursday;
    private final boolean saturdayAfterFriday;
    private final boolean saturdayAfterThursday;

    private CareHours(final CareHoursConfig config, final PublicHolidays holidays) {
        this.config = Objects.requireNonNull(config, "config");
        this.holidayZone = config.holidayZone();
        this.holidays = Objects.requireNonNull(holidays, "holidays")
            .withExtraHolidays(holidayZone, config.extraHolidays());
        // Fail now, not on the first call, when the data do not know the zone.
        this.holidays.isHoliday(holidayZone, this.holidays.firstCovered());
        this.rules = config.zone().getRules();
        // A day of margin each side: every instant whose local date is covered is in the table.
        this.tableStart = this.holidays.firstCovered().minusDays(1).toEpochDay() * SECONDS_PER_DAY;
        this.tableEnd = (this.holidays.lastCovered().toEpochDay() + 2) * SECONDS_PER_DAY;
        final List<Long> seconds = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();
        offsets.add(rules.getOffset(Instant.ofEpochSecond(tableStart)).getTotalSeconds());
        ZoneOffsetTransition tr = rules.nextTransition(Instant.ofEpochSecond(tableStart));
        while (tr != null && tr.toEpochSecond() < tableEnd) {
            seconds.add(tr.toEpochSecond());
            offsets.add(tr.getOffsetAfter().getTotalSeconds());
            tr = rules.nextTransition(tr.getInstant());
        }
        this.transitionSeconds = seconds.stream().mapToLong(Long::longValue).toArray();
        this.offsetSeconds = offsets.stream().mapToInt(Integer::intValue).toArray();
        this.weekdayOpen = config.weekdayHours().opens().toNanoOfDay();
        this.weekdayClose = config.weekdayHours().closes().toNanoOfDay();
        this.saturdayOpen = config.saturdayHours().opens().toNanoOfDay();
        this.saturdayClose = config.saturdayHours().closes().toNanoOfDay();
        this.mondayBeforeTuesday =
            config.bridgeRules().contains(BridgeRule.MONDAY_BEFORE_TUESDAY_HOLIDAY);
        this.fridayAfterThursday =
            config.bridgeRules().contains(BridgeRule.FRIDAY_AFTER_THURSDAY_HOLIDAY);
        this.saturdayAfterFriday =
            config.bridgeRules().contains(BridgeRule.SATURDAY_AFTER_FRIDAY_HOLIDAY);
        this.saturdayAfterThursday =
            config.bridgeRules().contains(BridgeRule.SATURDAY_AFTER_THURSDAY_HOLIDAY);
    }

    /** National rules in Europe/Paris with the bundled Métropole holidays. */
    public static CareHours defaults() {
        return of(CareHoursConfig.defaults());
    }

    /** National rules in a territory's time zone with its holidays (bundled data). */
    public static CareHours forTerritory(final Territory territory) {
        return of(CareHoursConfig.forTerritory(territory));
    }

    /**
     * The given rules with the bundled holidays (plus the configuration's extra holidays).
     *
     * @throws HolidayRangeException when an extra holiday is outside the bundled range
     */
    public static CareHours of(final CareHoursConfig config) {
        return of(config, PublicHolidays.bundled());
    }

    /**
     * The given rules with the given holidays (plus the configuration's extra holidays), e.g. a
     * newer holiday file read with {@link PublicHolidays#parse}.
     *
     * @throws HolidayRangeException when an extra holiday is outside the holidays' range
     * @throws HolidayDataException  when the holidays have no data for the configured zone
     */
    public static CareHours of(final CareHoursConfig config, final PublicHolidays holidays) {
        return new CareHours(config, holidays);
    }

    /** The rules in force. */
    public CareHoursConfig config() {
        return config;
    }

    /** The holidays in force, extra holidays of the configuration included. */
    public PublicHolidays holidays() {
        return holidays;
    }

    /**
     * The channel open at {@code instant}. Never {@code null}.
     *
     * @throws HolidayRangeException when the local date is outside the holiday data
     */
    /**
     * The channel open at an instant given in epoch seconds, without allocating (the ranker's form
     * of {@link #channelAt(Instant)}).
     *
     * @throws HolidayRangeException when the local date is outside the holiday data
     */
    public CareChannel channelAtEpochSecond(final long epochSecond) {
        final long localSecond = epochSecond + offsetSecondsAt(epochSecond);
        return channelAt(Math.floorDiv(localSecond, SECONDS_PER_DAY),
            Math.floorMod(localSecond, SECONDS_PER_DAY) * NANOS_PER_SECOND);
    }

    /**
     * The channel open at {@code instant}. Never {@code null}.
     *
     * @throws HolidayRangeException when the local date is outside the holiday data
     */
    public CareChannel channelAt(final Instant instant) {
        // Local wall-clock time by hand, unlike LocalDateTime.ofInstant, so that nothing is
        // allocated.
        final long epochSecond = instant.getEpochSecond();
        final long localSecond = epochSecond + offsetSecondsAt(epochSecond);
        final long epochDay = Math.floorDiv(localSecond, SECONDS_PER_DAY);
        final long nanoOfDay = Math.floorMod(localSecond, SECONDS_PER_DAY) * NANOS_PER_SECOND
            + instant.getNano();
        return channelAt(epochDay, nanoOfDay);
    }

    /**
     * The channel open at a local wall-clock time in {@link CareHoursConfig#zone()}. The rules are
     * wall-clock rules, so a time repeated at a fall-back change has one answer for both of its
     * instants, and a time inside a spring-forward gap (which no instant has) still gets one.
     */
    public CareChannel channelAt(final LocalDateTime local) {
        return channelAt(local.toLocalDate().toEpochDay(), local.toLocalTime().toNanoOfDay());
    }

    private CareChannel channelAt(final long epochDay, final long nanoOfDay) {
        final int dow = dayOfWeek(epochDay);
        if (isClosedAllDay(epochDay, dow)) {
            return CareChannel.PDSA;
        }
        final long open = dow == SATURDAY ? saturdayOpen : weekdayOpen;
        final long close = dow == SATURDAY ? saturdayClose : weekdayClose;
        return nanoOfDay >= open && nanoOfDay < close ? CareChannel.SAS : CareChannel.PDSA;
    }

    /** UTC offset in seconds at an instant, from the table when the instant is in it. */
    private int offsetSecondsAt(final long epochSecond) {
        if (epochSecond < tableStart || epochSecond >= tableEnd) {
            return rules.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
        }
        final int found = Arrays.binarySearch(transitionSeconds, epochSecond);
        // At a transition's own instant the new offset already applies.
        return offsetSeconds[found >= 0 ? found + 1 : -found - 1];
    }

    /**
     * Whether {@code date} is a public holiday for this configuration (its holiday zone plus its
     * extra holidays).
     *
     * @throws HolidayRangeException when the date is outside the holiday data
     */
    public boolean isHoliday(final LocalDate date) {
        return holidays.isHoliday(holidayZone, date.toEpochDay());
    }

    /**
     * Whether {@code date} is a bridge day under the configured {@link BridgeRule}s: a Monday,
     * Friday or Saturday that is not itself a holiday and that a neighbouring holiday turns into
     * a PDSA day (see the class comment for the exact reading).
     *
     * @throws HolidayRangeException when the date or a neighbour the rules need is outside the
     *                               holiday data
     */
    public boolean isBridgeDay(final LocalDate date) {
        final long epochDay = date.toEpochDay();
        final int dow = dayOfWeek(epochDay);
        return !isHoliday(epochDay) && isBridge(epochDay, dow);
    }

    /**
     * Whether the SAS is closed for the whole of {@code date}: a Sunday, a public holiday, a
     * bridge day, or a day whose configured SAS hours are empty. Such days are PDSA from 00:00 to
     * 24:00 (the regulation's 08:00-24:00 plus the nightly 00:00-08:00).
     *
     * @throws HolidayRangeException when the date or a neighbour the rules need is outside the
     *                               holiday data
     */
    public boolean isPdsaAllDay(final LocalDate date) {
        final long epochDay = date.toEpochDay();
        final int dow = dayOfWeek(epochDay);
        return isClosedAllDay(epochDay, dow)
            || (dow == SATURDAY ? config.saturdayHours() : config.weekdayHours()).isClosed();
    }

    /**
     * The first instant strictly after {@code after} at which the open channel differs from
     * {@code channelAt(after)}; the channel from then on is the other one. Empty when the channel
     * does not change within a year (a configuration whose SAS never opens).
     *
     * <p>Correct across daylight-saving changes: a SAS boundary that falls in a spring-forward gap
     * takes effect at the transition, and one inside a repeated fall-back hour is crossed twice.
     *
     * @throws HolidayRangeException when the search reaches a date outside the holiday data
     */
    public Optional<Instant> nextChangeAfter(final Instant after) {
        final CareChannel current = channelAt(after);
        final Instant limit = after.plus(Duration.ofDays(SEARCH_HORIZON_DAYS));
        Instant t = after;
        while (t.isBefore(limit)) {
            t = nextCandidate(t);
            if (channelAt(t) != current) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The first instant after {@code t} at which the channel could change. Between two candidates
     * the local time is continuous (no zone transition) and crosses no SAS boundary nor midnight,
     * so the channel is constant there; checking each candidate finds every change.
     */
    private Instant nextCandidate(final Instant t) {
        final ZoneOffsetTransition transition = rules.nextTransition(t);
        Instant best = transition == null ? null : transition.getInstant();
        final LocalDateTime local = LocalDateTime.ofInstant(t, config.zone());
        final long epochDay = local.toLocalDate().toEpochDay();
        final long nanoOfDay = local.toLocalTime().toNanoOfDay();
        final long boundary = nextBoundary(epochDay, nanoOfDay);
        final LocalDateTime boundaryLocal = boundary == NANOS_PER_DAY
            ? local.toLocalDate().plusDays(1).atStartOfDay()
            : local.toLocalDate().atStartOfDay().plusNanos(boundary);
        // Empty in a spring-forward gap: the transition, already in best, is then the change.
        // Two offsets in a fall-back overlap: the boundary is met once under each.
        final List<ZoneOffset> offsets = rules.getValidOffsets(boundaryLocal);
        for (final ZoneOffset o : offsets) {
            final Instant i = boundaryLocal.toInstant(o);
            if (i.isAfter(t) && (best == null || i.isBefore(best))) {
                best = i;
            }
        }
        if (best == null) {
            // Unreachable: a local time strictly later on the same wall clock maps to a later
            // instant unless it is in a gap, and a gap implies a transition.
            throw new IllegalStateException("no candidate after " + t + " in " + config.zone());
        }
        return best;
    }

    /** The first SAS boundary of the day strictly after {@code nanoOfDay}, else midnight. */
    private long nextBoundary(final long epochDay, final long nanoOfDay) {
        final int dow = dayOfWeek(epochDay);
        if (isClosedAllDay(epochDay, dow)) {
            return NANOS_PER_DAY;
        }
        final long open = dow == SATURDAY ? saturdayOpen : weekdayOpen;
        final long close = dow == SATURDAY ? saturdayClose : weekdayClose;
        if (nanoOfDay < open) {
            return open;
        }
        if (nanoOfDay < close) {
            return close;
        }
        return NANOS_PER_DAY;
    }

    /** Epoch day 0, 1970-01-01, was a Thursday (3). */
    private static int dayOfWeek(final long epochDay) {
        return (int) Math.floorMod(epochDay + 3, 7L);
    }

    /**
     * Holiday, Sunday or bridge day. The holiday lookup comes first even on Sundays, whose answer
     * does not depend on it, so that a stale holiday bundle fails on every date past its end
     * rather than only on working days.
     */
    private boolean isClosedAllDay(final long epochDay, final int dow) {
        return isHoliday(epochDay) || dow == SUNDAY || isBridge(epochDay, dow);
    }

    /** The bridge rules alone; the caller has already ruled out that the day is a holiday. */
    private boolean isBridge(final long epochDay, final int dow) {
        if (dow == MONDAY) {
            return mondayBeforeTuesday && isHoliday(epochDay + 1);
        }
        if (dow == FRIDAY) {
            return fridayAfterThursday && isHoliday(epochDay - 1);
        }
        if (dow == SATURDAY) {
            return (saturdayAfterFriday && isHoliday(epochDay - 1))
                || (saturdayAfterThursday && isHoliday(epochDay - 2));
        }
        return false;
    }

    private boolean isHoliday(final long epochDay) {
        return holidays.isHoliday(holidayZone, epochDay);
    }

    @Override
    public String toString() {
        return "CareHours[" + config + ", " + holidays + "]";
    }
}
