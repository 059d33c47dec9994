package fr.creneau.slot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

import fr.creneau.error.CreneauException;
import fr.creneau.slot.SupportedTime;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.Vendor;
import fr.creneau.directory.VendorRegistry;

/**
 * The stable public identity of a slot: its source, its practitioner's RPPS and its start minute,
 * written {@code doctolib.10000000017.20261123T1300Z} (source code, RPPS, start in UTC). The same
 * slot has the same id in every snapshot, across restarts and in the booking journal, without the
 * index storing any string: a slot is unique by these three (a source never lists two slots of one
 * practitioner starting together; they would overlap).
 *
 * @param source      vendor code ({@link Vendor#code()}) or {@code "manual"}
 * @param rpps        practitioner
 * @param startMinute start, minutes since 2020-01-01T00:00Z
 */
public record SlotId(String source, long rpps, int startMinute) {
    /** Source code of manual slots. */
    public static final String MANUAL = "manual";
    /**
     * Source id of manual slots in the index ({@code fr.creneau.feed.SlotRecord.MANUAL}, equal by
     * a test): repeated here so this leaf package does not depend on the feed package.
     */
    public static final int MANUAL_SOURCE = 0;
    private static final DateTimeFormatter START =
        DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmm'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** First minute past {@link SupportedTime#END}: no slot id starts there or later. */
    private static final int END_MINUTE = Minutes.floor(SupportedTime.END);

    /**
     * @throws IllegalArgumentException when the start is before the index's epoch or from
     *                                  {@link SupportedTime#END} on: the index's chains are
     *                                  addressed by bucket, and a negative one is out of bounds
     */
    public SlotId {
        Objects.requireNonNull(source, "source");
        if (startMinute < 0 || startMinute >= END_MINUTE) {
            throw new IllegalArgumentException("slot start minute " + startMinute + " is outside 0 .. " + END_MINUTE
                + " (2020-01-01T00:00:00Z .. " + SupportedTime.END + ")");
        }
    }

    /** The id of a slot from source id {@code source} (0 for manual). */
    public static SlotId of(final VendorRegistry vendors, final int source, final long rpps, final int startMinute) {
        if (source == MANUAL_SOURCE) {
            return new SlotId(MANUAL, rpps, startMinute);
        }
        final Vendor v = vendors.byId(source);
        if (v == null) {
            throw new IllegalArgumentException("no vendor with id " + source);
        }
        return new SlotId(v.code(), rpps, startMinute);
    }

    /**
     * Reads an id.
     *
     * @throws MalformedSlotIdException when it is not {@code source.rpps.yyyyMMddTHHmmZ}
     */
    public static SlotId parse(final String text) {
        if (text == null) {
            throw new MalformedSlotIdException("null", "no slot id");
        }
        final String[] parts = text.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty()) {
            throw new MalformedSlotIdException(text, "expected source.rpps.yyyyMMddTHHmmZ");
        }
        if (!canonicalSource(parts[0])) {
            // One slot, one text: ids are compared as text by hosts, the LRM and the journal.
            throw new MalformedSlotIdException(text, "the source must be a vendor code (lower-case ASCII letters and"
                + " digits, as VendorRegistry.code gives it) or '" + MANUAL + "'");
        }
        final String problem = Rpps.problem(parts[1]);
        if (problem != null) {
            throw new MalformedSlotIdException(text, problem);
        }
        final Instant start;
        try {
            start = Instant.from(START.parse(parts[2]));
        } catch (final DateTimeParseException e) {
            throw new MalformedSlotIdException(text, "start must be yyyyMMddTHHmmZ (UTC)");
        }
        if (!SupportedTime.contains(start)) {
            // Would overflow (or go below) the index's int minutes: no such slot can exist.
            throw new MalformedSlotIdException(text, "start outside the supported range " + SupportedTime.EARLIEST
                + " .. " + SupportedTime.END);
        }
        return new SlotId(parts[0], Long.parseLong(parts[1]), Minutes.floor(start));
    }

    private static boolean canonicalSource(final String source) {
        for (int i = 0; i < source.length(); i++) {
            final char c = source.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** Source id in the registry (0 for manual), or -1 when the vendor is unknown. */
    public int sourceId(final VendorRegistry vendors) {
        if (MANUAL.equals(source)) {
            return MANUAL_SOURCE;
        }
        final Vendor v = vendors.find(source);
        return v == null ? -1 : v.id();
    }

    public Instant start() {
        return Minutes.toInstant(startMinute);
    }

    @Override
    public String toString() {
        return source + '.' + Rpps.format(rpps) + '.' + START.format(start());
    }

    /** A slot id that cannot be read. */
    public static final class MalformedSlotIdException extends CreneauException {
        private static final long serialVersionUID = 1L;

        public MalformedSlotIdException(final String text, final String why) {
            super("malformed slot id '" + text + "': " + why);
        }
    }
}
