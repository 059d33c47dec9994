package fr.creneau.calendar;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * French public holidays per {@link HolidayZone}, for whole calendar years.
 *
 * <p>The data are the Etalab "jours fériés" CSV ({@code date,nom_jour_ferie,zones}, zones separated
 * by {@code |}); {@link #bundled()} reads the copy shipped in this jar (2006 to 2031, see
 * {@code fr/creneau/calendar/SOURCES.md}) once, on first use. A host whose copy is stale can
 * {@link #parse parse} a newer file, and can add regional days with {@link #withExtraHolidays}.
 *
 * <p>The covered range is every day from 1 January of the first year that has a row to
 * 31 December of the last one: the upstream file lists every holiday of each year it lists, so a
 * day inside that range without a row is known not to be a holiday. A day outside it is unknown,
 * and asking about it throws {@link HolidayRangeException} rather than answering "no".
 *
 * <p>Lookups are a range check and one bit test in a per-zone {@code long[]} bitmap indexed by
 * day since the first covered day: no allocation, no locking. Instances are immutable and safe to
 * share between threads.
 */
public final class PublicHolidays {

    /** Class-path name of the bundled copy, relative to this class's package. */
    static final String RESOURCE = "jours-feries.csv";

    private static final String HEADER = "date,nom_jour_ferie,zones";
    private static final HolidayZone[] ZONES = HolidayZone.values();

    /** Loaded on first use; volatile so that the fully built instance is what other threads see. */
    private static volatile PublicHolidays bundled;

    /** Epoch day ({@link LocalDate#toEpochDay()}) of the first covered day, 1 January. */
    private final long firstDay;
    /** Epoch day of the last covered day (inclusive), 31 December. */
    private final long lastDay;
    /**
     * One bitmap per zone, indexed by {@link HolidayZone#ordinal()}: bit {@code d - firstDay} set
     * when epoch day {@code d} is a holiday. {@code null} for a zone the data never mention, so a
     * query about it fails instead of reading an all-zero bitmap as "never a holiday". Never
     * mutated after construction and never handed out.
     */
    private final long[][] bits;
    /** Where the data came from, for error messages. */
    private final String source;

    private PublicHolidays(final long firstDay, final long lastDay, final long[][] bits,
                           final String source) {
        this.firstDay = firstDay;
        this.lastDay = lastDay;
        this.bits = bits;
        this.source = source;
    }

    /**
     * The holidays bundled in this jar. Read from the class path the first time, then shared.
     *
     * @throws HolidayDataException when the resource is missing or unreadable (a packaging bug)
     */
    public static PublicHolidays bundled() {
        PublicHolidays h = bundled;
        if (h == null) {
            synchronized (PublicHolidays.class) {
                h = bundled;
                if (h == null) {
                    h = loadBundled();
                    bundled = h;
                }
            }
        }
        return h;
    }

    private static PublicHolidays loadBundled() {
        final String name = "classpath:fr/creneau/calendar/" + RESOURCE;
        try (InputStream in = PublicHolidays.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new HolidayDataException("bundled public-holiday data " + name
                    + " is missing from the class path");
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), name);
        } catch (final IOException e) {
            throw new HolidayDataException("cannot read bundled public-holiday data " + name, e);
        }
    }

    /**
     * Reads holidays in the Etalab CSV format. Zones that {@link HolidayZone} does not model
     * (Nouvelle-Calédonie, Polynésie Française, ...) are skipped. The reader is not closed.
     *
     * @param reader the CSV text, header line first
     * @param source a name for the data, used in error messages
     * @throws HolidayDataException when the header, a date or a zone list is malformed, or when
     *                              there is no row at all
     */
    public static PublicHolidays parse(final Reader reader, final String source) {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(source, "source");
        // Rows as (epoch day, bit mask of zone ordinals); the range is only known at the end.
        final List<long[]> rows = new ArrayList<>();
        int presentZones = 0;
        try {
            final BufferedReader in = new BufferedReader(reader);
            String line = in.readLine();
            if (line != null && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (line == null || !HEADER.equals(line.strip())) {
                throw new HolidayDataException(source + ": expected header '" + HEADER
                    + "', found '" + line + "'");
            }
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                // The holiday name sits between the first and the last comma; it is not needed
                // and splitting on those two commas keeps a comma inside a name harmless.
                final int first = line.indexOf(',');
                final int last = line.lastIndexOf(',');
                if (first < 0 || first == last) {
                    throw new HolidayDataException(source + ":" + lineNo
                        + ": expected 'date,name,zones', found '" + line + "'");
                }
                final long day;
                try {
                    day = LocalDate.parse(line.substring(0, first).strip()).toEpochDay();
                } catch (final DateTimeException e) {
                    throw new HolidayDataException(source + ":" + lineNo + ": bad date in '"
                        + line + "'", e);
                }
                final String zones = line.substring(last + 1).strip();
                if (zones.isEmpty()) {
                    throw new HolidayDataException(source + ":" + lineNo + ": no zone in '"
                        + line + "'");
                }
                long mask = 0;
                for (final String label : zones.split("\\|", -1)) {
                    final HolidayZone z = HolidayZone.fromLabelOrNull(label.strip());
                    if (z != null) {
                        mask |= 1L << z.ordinal();
                    }
                }
                presentZones |= (int) mask;
                rows.add(new long[] {day, mask});
            }
        } catch (final IOException e) {
            throw new HolidayDataException("cannot read public-holiday data " + source, e);
        }
        if (rows.isEmpty()) {
            throw new HolidayDataException(source + ": no public-holiday row");
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (final long[] r : rows) {
            min = Math.min(min, r[0]);
            max = Math.max(max, r[0]);
        }
        final long firstDay = LocalDate.ofEpochDay(min).withDayOfYear(1).toEpochDay();
        final LocalDate maxDate = LocalDate.ofEpochDay(max);
        final long lastDay = LocalDate.of(maxDate.getYear(), 12, 31).toEpochDay();
        final int words = wordsFor(firstDay, lastDay);
        final long[][] bits = new long[ZONES.length][];
        for (final HolidayZone z : ZONES) {
            if ((presentZones & (1 << z.ordinal())) != 0) {
                bits[z.ordinal()] = new long[words];
            }
        }
        for (final long[] r : rows) {
            final int offset = (int) (r[0] - firstDay);
            for (final HolidayZone z : ZONES) {
                if ((r[1] & (1L << z.ordinal())) != 0) {
                    bits[z.ordinal()][offset >>> 6] |= 1L << offset;
                }
            }
        }
        return new PublicHolidays(firstDay, lastDay, bits, source);
    }

    private static int wordsFor(final long firstDay, final long lastDay) {
        return (int) ((lastDay - firstDay + 1 + 63) >>> 6);
    }

    /**
     * A copy with more holidays in one zone: a regional day the national data do not list, or a
     * one-off public holiday decreed after the data were published.
     *
     * @throws HolidayRangeException when a date is outside the covered range (a bitmap cannot
     *                               grow past its data, and a silently ignored day would be worse)
     * @throws HolidayDataException  when the data have no row for {@code zone} at all
     */
    public PublicHolidays withExtraHolidays(final HolidayZone zone,
                                            final Collection<LocalDate> dates) {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(dates, "dates");
        if (dates.isEmpty()) {
            return this;
        }
        final long[] zoneBits = zoneBits(zone);
        final long[] copy = zoneBits.clone();
        for (final LocalDate date : dates) {
            final long d = Objects.requireNonNull(date, "extra holiday date").toEpochDay();
            checkRange(d);
            final int offset = (int) (d - firstDay);
            copy[offset >>> 6] |= 1L << offset;
        }
        final long[][] newBits = bits.clone();
        newBits[zone.ordinal()] = copy;
        return new PublicHolidays(firstDay, lastDay, newBits, source + " + extra holidays");
    }

    /**
     * Whether {@code date} is a public holiday in {@code zone}.
     *
     * @throws HolidayRangeException when the date is outside {@link #firstCovered()} ..
     *                               {@link #lastCovered()}
     * @throws HolidayDataException  when the data have no row for {@code zone}
     */
    public boolean isHoliday(final HolidayZone zone, final LocalDate date) {
        return isHoliday(zone, date.toEpochDay());
    }

    /**
     * Same as {@link #isHoliday(HolidayZone, LocalDate)} for an epoch day as counted by
     * {@link LocalDate#toEpochDay()}; the allocation-free path for callers that already work in
     * epoch days.
     */
    public boolean isHoliday(final HolidayZone zone, final long epochDay) {
        final long[] zoneBits = zoneBits(zone);
        checkRange(epochDay);
        final int offset = (int) (epochDay - firstDay);
        return (zoneBits[offset >>> 6] & (1L << offset)) != 0;
    }

    /** Whether {@code date} lies in the covered range, i.e. whether queries about it answer. */
    public boolean covers(final LocalDate date) {
        final long d = date.toEpochDay();
        return d >= firstDay && d <= lastDay;
    }

    /** First covered day: 1 January of the first year in the data. */
    public LocalDate firstCovered() {
        return LocalDate.ofEpochDay(firstDay);
    }

    /** Last covered day: 31 December of the last year in the data. */
    public LocalDate lastCovered() {
        return LocalDate.ofEpochDay(lastDay);
    }

    /**
     * The holidays of {@code zone} in {@code year}, in date order. Allocates a list: for reports
     * and tests, not for the query path.
     *
     * @throws HolidayRangeException when the year is not covered
     */
    public List<LocalDate> holidays(final HolidayZone zone, final int year) {
        final long from = LocalDate.of(year, 1, 1).toEpochDay();
        final long to = LocalDate.of(year, 12, 31).toEpochDay();
        checkRange(from);
        final List<LocalDate> out = new ArrayList<>();
        for (long d = from; d <= to; d++) {
            if (isHoliday(zone, d)) {
                out.add(LocalDate.ofEpochDay(d));
            }
        }
        return out;
    }

    /** Where the data came from (the class-path resource, or the name given to {@link #parse}). */
    public String source() {
        return source;
    }

    private long[] zoneBits(final HolidayZone zone) {
        final long[] zoneBits = bits[zone.ordinal()];
        if (zoneBits == null) {
            throw new HolidayDataException(source + " has no public holiday for zone "
                + zone.label());
        }
        return zoneBits;
    }

    private void checkRange(final long epochDay) {
        if (epochDay < firstDay || epochDay > lastDay) {
            throw new HolidayRangeException(LocalDate.ofEpochDay(epochDay), firstCovered(),
                lastCovered());
        }
    }

    @Override
    public String toString() {
        return "PublicHolidays[" + source + ", " + firstCovered() + ".." + lastCovered() + "]";
    }
}
