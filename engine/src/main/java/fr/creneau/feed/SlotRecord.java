package fr.creneau.feed;

import java.time.Instant;
import java.util.Objects;

/**
 * A slot that passed every rule, ready for the index. Short-lived: it exists between validation and
 * the index write; the index itself keeps bytes, not these.
 *
 * @param id           the source's slot id
 * @param practitioner dense directory index of the practitioner
 * @param start        start instant, a whole minute
 * @param end          end instant, after start, a whole minute
 * @param modalities   set of {@link Modality#bit()}, never 0
 * @param visibility   {@link Visibility#PUBLIC} or {@link Visibility#PROFESSIONAL}
 * @param vendorId     vendor id, or {@link #MANUAL} for a manual slot
 * @param bookingUrl   deep link at the vendor, or {@code null}
 * @param site         ordinal of the slot's site in the practitioner's
 *                     {@link fr.creneau.directory.Practitioner#sites()} (0: the main site); the
 *                     slot's distance is the distance to that site
 */
public record SlotRecord(String id, int practitioner, Instant start, Instant end, int modalities,
                         Visibility visibility, int vendorId, String bookingUrl, int site) {
    /** Source id of manual slots (vendor ids start at 1). */
    public static final int MANUAL = 0;

    /** A slot at the practitioner's main site. */
    public SlotRecord(final String id, final int practitioner, final Instant start, final Instant end,
                      final int modalities, final Visibility visibility, final int vendorId, final String bookingUrl) {
        this(id, practitioner, start, end, modalities, visibility, vendorId, bookingUrl, 0);
    }

    public SlotRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(visibility, "visibility");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("end " + end + " not after start " + start);
        }
        // The index and the public slot id count in minutes: with whole minutes and no overlap,
        // no two slots of one practitioner and source share an id, whoever builds the records.
        if (!isWholeMinute(start) || !isWholeMinute(end)) {
            throw new IllegalArgumentException("start " + start + " and end " + end + " must be whole minutes");
        }
        if (modalities == 0 || (modalities & ~Modality.ALL) != 0) {
            throw new IllegalArgumentException("bad modality set " + modalities);
        }
        if (site < 0 || site >= fr.creneau.directory.Practitioner.MAX_SITES) {
            throw new IllegalArgumentException("bad site ordinal " + site);
        }
    }

    /** {@code true} when {@code t} has no seconds and no fraction. */
    static boolean isWholeMinute(final Instant t) {
        return t.getNano() == 0 && Math.floorMod(t.getEpochSecond(), 60L) == 0;
    }

    /** {@code true} when this slot was entered by hand (always completed by phone). */
    public boolean isManual() {
        return vendorId == MANUAL;
    }
}
