package fr.creneau.feed;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import fr.creneau.directory.Integration;

/**
 * What a parser read from one input: the slots it could read, and the ones it could not, each with
 * a reason. Format-independent: the native JSON feed, the FHIR Bundle and the manual-slot file all
 * end as one of these before the same validation rules run.
 *
 * @param label        file name or label, for reports and errors
 * @param vendor       vendor name for a vendor snapshot, or {@code null} for manual slots
 * @param generatedAt  when the vendor produced the snapshot ({@code null} for manual slots)
 * @param slots        slots read, in input order
 * @param rejected     slots that could not be read (malformed entries), in input order
 * @param declared     integration level the file declares, or {@code null} when the format has
 *                     none (FHIR, manual); checked against the vendor registry on ingest
 */
public record ParsedFeed(String label, String vendor, Instant generatedAt, List<RawSlot> slots,
                         List<Rejection> rejected, Integration declared) {
    public ParsedFeed {
        Objects.requireNonNull(label, "label");
        slots = List.copyOf(slots);
        rejected = List.copyOf(rejected);
    }

    /** A feed whose format declares no integration level. */
    public ParsedFeed(final String label, final String vendor, final Instant generatedAt, final List<RawSlot> slots,
                      final List<Rejection> rejected) {
        this(label, vendor, generatedAt, slots, rejected, null);
    }

    /** {@code true} for a manual-slot file. */
    public boolean isManual() {
        return vendor == null;
    }
}
