package fr.creneau.examples.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import fr.creneau.directory.Participation;
import fr.creneau.directory.Profession;
import fr.creneau.feed.Modality;
import fr.creneau.feed.Visibility;

/**
 * What a generation wrote: counts of practitioners and slots, per file and per category.
 *
 * <p>Immutable and thread-safe (the maps are unmodifiable copies).
 *
 * @param practitioners            entries of {@code practitioners.json}
 * @param byProfession             practitioners per profession
 * @param byParticipation          practitioners per SAS participation
 * @param gpsByDepartement         GPs per département code, in generation order
 * @param withoutVendor            practitioners with no vendor (manual entry only)
 * @param refusingVendorSlots      practitioners who refuse the display of their vendor slots
 * @param slotsByFile              slots per written file, keyed by path relative to the output
 *                                 directory with {@code /} separators ({@code feeds/doctolib.json})
 * @param vendorSlotsByVisibility  vendor-feed slots per declared visibility
 * @param vendorSlotsByModality    vendor-feed slots per modality
 * @param manualSlots              slots of the manual files
 * @param bytes                    total size of the written files
 * @param secondSites              practitioners with a second site
 * @param structures               entries of {@code structures.json}
 */
public record GeneratedSummary(
    int practitioners,
    Map<Profession, Integer> byProfession,
    Map<Participation, Integer> byParticipation,
    Map<String, Integer> gpsByDepartement,
    int withoutVendor,
    int refusingVendorSlots,
    Map<String, Long> slotsByFile,
    Map<Visibility, Long> vendorSlotsByVisibility,
    Map<Modality, Long> vendorSlotsByModality,
    long manualSlots,
    long bytes,
    int secondSites,
    int structures) {

    public GeneratedSummary {
        byProfession = Map.copyOf(byProfession);
        byParticipation = Map.copyOf(byParticipation);
        gpsByDepartement = Collections.unmodifiableMap(new LinkedHashMap<>(gpsByDepartement));
        slotsByFile = Collections.unmodifiableMap(new LinkedHashMap<>(slotsByFile));
        vendorSlotsByVisibility = Map.copyOf(vendorSlotsByVisibility);
        vendorSlotsByModality = Map.copyOf(vendorSlotsByModality);
    }

    /** Slots of all files, vendor and manual. */
    public long totalSlots() {
        long total = 0;
        for (final long n : slotsByFile.values()) {
            total += n;
        }
        return total;
    }

    /** Vendor slots the SAS may show (PUBLIC or PROFESSIONAL), before the refusal rule. */
    public long visibleVendorSlots() {
        return vendorSlotsByVisibility.getOrDefault(Visibility.PUBLIC, 0L)
            + vendorSlotsByVisibility.getOrDefault(Visibility.PROFESSIONAL, 0L);
    }

    /** A few lines for a console. */
    public String describe() {
        final StringBuilder sb = new StringBuilder();
        sb.append("practitioners: ").append(practitioners).append(' ').append(ordered(byProfession, Profession.values()))
            .append('\n');
        sb.append("participation: ").append(ordered(byParticipation, Participation.values())).append('\n');
        sb.append("without vendor: ").append(withoutVendor).append(", refusing vendor slots: ")
            .append(refusingVendorSlots).append('\n');
        sb.append("slots: ").append(totalSlots()).append(" (manual ").append(manualSlots).append(")\n");
        sb.append("vendor slots by visibility: ").append(ordered(vendorSlotsByVisibility, Visibility.values()))
            .append('\n');
        sb.append("vendor slots by modality: ").append(ordered(vendorSlotsByModality, Modality.values())).append('\n');
        for (final Map.Entry<String, Long> e : slotsByFile.entrySet()) {
            if (!e.getKey().startsWith("manual/")) {
                sb.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            }
        }
        sb.append("bytes: ").append(bytes).append('\n');
        return sb.toString();
    }

    private static <K> String ordered(final Map<K, ? extends Number> map, final K[] keys) {
        final StringBuilder sb = new StringBuilder("{");
        for (final K k : keys) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            final Number n = map.get(k);
            sb.append(k).append('=').append(n == null ? 0 : n);
        }
        return sb.append('}').toString();
    }
}
