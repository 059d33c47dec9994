package fr.creneau.calendar;

import fr.creneau.directory.Territory;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hours rules of one SAS: national defaults ({@link #defaults()}) or a regional override built
 * with {@link #builder()}. The regulation lets each region's <i>cahier des charges</i> adapt the
 * hours, so every rule {@link CareHours} applies is a field here.
 *
 * <p>Immutable, safe to share between threads; the builder is not thread-safe.
 */
public final class CareHoursConfig {

    /** Time zone of metropolitan France, where the national hours are defined. */
    public static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** National SAS weekday hours, Monday to Friday. */
    public static final OpeningHours NATIONAL_WEEKDAY_HOURS = OpeningHours.ofHours(8, 20);
    /** National SAS Saturday hours; the PDSA takes over at noon. */
    public static final OpeningHours NATIONAL_SATURDAY_HOURS = OpeningHours.ofHours(8, 12);

    private static final CareHoursConfig DEFAULTS = builder().build();

    private final ZoneId zone;
    private final HolidayZone holidayZone;
    private final OpeningHours weekdayHours;
    private final OpeningHours saturdayHours;
    private final Set<BridgeRule> bridgeRules;
    private final List<LocalDate> extraHolidays;

    private CareHoursConfig(final Builder b) {
        this.zone = b.zone;
        this.holidayZone = b.holidayZone;
        this.weekdayHours = b.weekdayHours;
        this.saturdayHours = b.saturdayHours;
        this.bridgeRules = Collections.unmodifiableSet(EnumSet.copyOf(b.bridgeRules));
        this.extraHolidays = List.copyOf(b.extraHolidays);
    }

    /**
     * National rules: Europe/Paris, Métropole holidays, SAS weekdays 08:00-20:00 and Saturday
     * 08:00-12:00, every {@link BridgeRule}, no extra holiday.
     */
    public static CareHoursConfig defaults() {
        return DEFAULTS;
    }

    /** National rules in a territory's time zone with its holiday zone (overseas départements). */
    public static CareHoursConfig forTerritory(final Territory territory) {
        return builder().territory(territory).build();
    }

    /** A builder starting from the national defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        final Builder b = new Builder();
        b.zone = zone;
        b.holidayZone = holidayZone;
        b.weekdayHours = weekdayHours;
        b.saturdayHours = saturdayHours;
        b.bridgeRules = bridgeRules.isEmpty() ? EnumSet.noneOf(BridgeRule.class)
            : EnumSet.copyOf(bridgeRules);
        b.extraHolidays = new TreeSet<>(extraHolidays);
        return b;
    }

    /** Civil time zone in which the hours are read. */
    public ZoneId zone() {
        return zone;
    }

    /** Whose public holidays close the SAS. */
    public HolidayZone holidayZone() {
        return holidayZone;
    }

    /** SAS hours Monday to Friday, on days that are neither holidays nor bridge days. */
    public OpeningHours weekdayHours() {
        return weekdayHours;
    }

    /** SAS hours on Saturdays that are neither holidays nor bridge days. */
    public OpeningHours saturdayHours() {
        return saturdayHours;
    }

    /** Which bridge days close the SAS (unmodifiable). */
    public Set<BridgeRule> bridgeRules() {
        return bridgeRules;
    }

    /** Holidays added to those of {@link #holidayZone()}, in date order (unmodifiable). */
    public List<LocalDate> extraHolidays() {
        return extraHolidays;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CareHoursConfig)) {
            return false;
        }
        final CareHoursConfig c = (CareHoursConfig) o;
        return zone.equals(c.zone) && holidayZone == c.holidayZone
            && weekdayHours.equals(c.weekdayHours) && saturdayHours.equals(c.saturdayHours)
            && bridgeRules.equals(c.bridgeRules) && extraHolidays.equals(c.extraHolidays);
    }

    @Override
    public int hashCode() {
        return Objects.hash(zone, holidayZone, weekdayHours, saturdayHours, bridgeRules,
            extraHolidays);
    }

    @Override
    public String toString() {
        return "CareHoursConfig[zone=" + zone + ", holidays=" + holidayZone.label()
            + ", weekdays=" + weekdayHours + ", saturday=" + saturdayHours
            + ", bridges=" + bridgeRules + ", extraHolidays=" + extraHolidays + "]";
    }

    /** Mutable builder, pre-filled with the national defaults. Not thread-safe. */
    public static final class Builder {
        private ZoneId zone = PARIS;
        private HolidayZone holidayZone = HolidayZone.METROPOLE;
        private OpeningHours weekdayHours = NATIONAL_WEEKDAY_HOURS;
        private OpeningHours saturdayHours = NATIONAL_SATURDAY_HOURS;
        private EnumSet<BridgeRule> bridgeRules = EnumSet.allOf(BridgeRule.class);
        private TreeSet<LocalDate> extraHolidays = new TreeSet<>();

        private Builder() {
        }

        /** Time zone in which hours and holidays are read. */
        public Builder zone(final ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** Whose public holidays apply (e.g. {@link HolidayZone#ALSACE_MOSELLE}). */
        public Builder holidayZone(final HolidayZone holidayZone) {
            this.holidayZone = Objects.requireNonNull(holidayZone, "holidayZone");
            return this;
        }

        /** Both the time zone and the holiday zone of {@code territory}. */
        public Builder territory(final Territory territory) {
            Objects.requireNonNull(territory, "territory");
            this.zone = territory.zone();
            this.holidayZone = HolidayZone.of(territory);
            return this;
        }

        /** SAS hours Monday to Friday. */
        public Builder weekdayHours(final OpeningHours hours) {
            this.weekdayHours = Objects.requireNonNull(hours, "weekdayHours");
            return this;
        }

        /** SAS hours on Saturday ({@link OpeningHours#closed()} for a SAS closed on Saturdays). */
        public Builder saturdayHours(final OpeningHours hours) {
            this.saturdayHours = Objects.requireNonNull(hours, "saturdayHours");
            return this;
        }

        /** Exactly these bridge rules (an empty collection: no bridge day at all). */
        public Builder bridgeRules(final Collection<BridgeRule> rules) {
            Objects.requireNonNull(rules, "bridgeRules");
            final EnumSet<BridgeRule> set = EnumSet.noneOf(BridgeRule.class);
            for (final BridgeRule r : rules) {
                set.add(Objects.requireNonNull(r, "bridge rule"));
            }
            this.bridgeRules = set;
            return this;
        }

        /** Turns one bridge rule on or off, keeping the others. */
        public Builder bridgeRule(final BridgeRule rule, final boolean enabled) {
            Objects.requireNonNull(rule, "rule");
            if (enabled) {
                bridgeRules.add(rule);
            } else {
                bridgeRules.remove(rule);
            }
            return this;
        }

        /** No bridge day: only Sundays and holidays close the SAS for the whole day. */
        public Builder noBridgeDays() {
            bridgeRules.clear();
            return this;
        }

        /** Adds holidays (e.g. a regional day); they must lie in the holiday data's range. */
        public Builder extraHolidays(final Collection<LocalDate> dates) {
            for (final LocalDate d : Objects.requireNonNull(dates, "extraHolidays")) {
                extraHolidays.add(Objects.requireNonNull(d, "extra holiday"));
            }
            return this;
        }

        /** Adds one holiday. */
        public Builder extraHoliday(final LocalDate date) {
            extraHolidays.add(Objects.requireNonNull(date, "extra holiday"));
            return this;
        }

        /** The immutable configuration. */
        public CareHoursConfig build() {
            return new CareHoursConfig(this);
        }
    }
}
