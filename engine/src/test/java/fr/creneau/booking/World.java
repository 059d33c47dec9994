package fr.creneau.booking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import fr.creneau.Creneau;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.slot.Minutes;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;

/**
 * A data set written as real JSON files in the native formats (directory, vendor snapshots,
 * manual slots) and loaded through the {@link Creneau} facade, for booking tests. RPPS numbers
 * start with 1, as real ones do (the RS-SAS-RDV schema requires it); names are "Given FAMILY".
 * Also usable from a child JVM ({@link CrashingBooker}). Not thread-safe.
 */
final class World {
    static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z"); // Monday 10:00 in Paris
    static final double LAT = 48.8566;
    static final double LON = 2.3522;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Map<String, String> INTEGRATION = Map.of("Doctolib", "END_TO_END", "Keldoc", "END_TO_END",
        "Maiia", "AGGREGATION_ONLY", "Clickdoc", "AGGREGATION_ONLY");

    final Path dir;
    private final List<Map<String, Object>> practitioners = new ArrayList<>();
    private final Map<String, Map<SlotId, Map<String, Object>>> feeds = new LinkedHashMap<>();
    private final Map<SlotId, Map<String, Object>> manual = new LinkedHashMap<>();
    private final List<Map<String, Object>> structures = new ArrayList<>();
    private int next = 1;
    private int slotIds;

    World(final Path dir) {
        this.dir = dir;
    }

    /** Adds a practitioner; returns its RPPS. */
    long practitioner(final String given, final String family, final double lat, final double lon, final String vendor,
                      final String participation, final String cptsId) {
        final String rpps = Rpps.withCheckDigit(String.format("1%09d", next++));
        final Map<String, Object> p = new LinkedHashMap<>();
        p.put("rpps", rpps);
        p.put("name", given + " " + family);
        p.put("profession", "GP");
        p.put("lat", lat);
        p.put("lon", lon);
        p.put("phone", "01 40 00 00 " + String.format("%02d", next % 100));
        p.put("vendor", vendor);
        p.put("refusesVendorSlots", false);
        p.put("participation", participation);
        p.put("acceptsExtraPatients", false);
        p.put("cpts", cptsId == null ? null : Map.of("id", cptsId, "name", "CPTS " + cptsId, "phone", "01 45 00 00 00"));
        practitioners.add(p);
        return Long.parseLong(rpps);
    }

    /** A CDS (structures.json, always open) near the patient; returns its id. */
    String cds(final String id, final String name) {
        final Map<String, Object> st = new LinkedHashMap<>();
        st.put("id", id);
        st.put("kind", "CDS");
        st.put("name", name);
        st.put("phone", "01 44 00 00 00");
        st.put("lat", LAT);
        st.put("lon", LON + 0.002);
        structures.add(st);
        return id;
    }

    /** A surnuméraire GP registered through structure {@code structureId}; returns its RPPS. */
    long memberOf(final String structureId, final String family) {
        final long rpps = practitioner("Paul", family, LAT + 0.001 * next, LON, null, "INDIVIDUAL", null);
        final Map<String, Object> p = practitioners.get(practitioners.size() - 1);
        p.remove("vendor");
        p.put("acceptsExtraPatients", true);
        p.put("structure", structureId);
        return rpps;
    }

    long gp(final String family, final String vendor) {
        return practitioner("Marie", family, LAT + 0.001 * next, LON, vendor, "INDIVIDUAL", null);
    }

    /** A 20-minute vendor slot starting {@code minutesFromNow} after {@link #NOW}. */
    SlotId slot(final String vendor, final long rpps, final int minutesFromNow) {
        return slot(vendor, rpps, minutesFromNow, "OFFICE");
    }

    SlotId slot(final String vendor, final long rpps, final int minutesFromNow, final String modality) {
        final Instant start = NOW.plus(Duration.ofMinutes(minutesFromNow));
        final Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", "s" + slotIds++);
        s.put("rpps", Rpps.format(rpps));
        s.put("start", start.atZone(PARIS).toOffsetDateTime().toString());
        s.put("end", start.plus(Duration.ofMinutes(20)).atZone(PARIS).toOffsetDateTime().toString());
        s.put("modality", modality);
        s.put("visibility", "PUBLIC");
        final SlotId id = new SlotId(VendorRegistry.code(vendor), rpps, Minutes.floor(start));
        feeds.computeIfAbsent(vendor, k -> new LinkedHashMap<>()).put(id, s);
        return id;
    }

    /** A 20-minute manual slot. */
    SlotId manualSlot(final long rpps, final int minutesFromNow) {
        final Instant start = NOW.plus(Duration.ofMinutes(minutesFromNow));
        final Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", "m" + slotIds++);
        s.put("rpps", Rpps.format(rpps));
        s.put("start", start.atZone(PARIS).toOffsetDateTime().toString());
        s.put("end", start.plus(Duration.ofMinutes(20)).atZone(PARIS).toOffsetDateTime().toString());
        final SlotId id = new SlotId(SlotId.MANUAL, rpps, Minutes.floor(start));
        manual.put(id, s);
        return id;
    }

    /** Takes a slot out of its vendor's next snapshot. */
    void unlist(final SlotId slot) {
        for (final Map<SlotId, Map<String, Object>> f : feeds.values()) {
            f.remove(slot);
        }
    }

    /** A builder with the stepped clock and no timer (tests move time by hand). */
    static Creneau.Builder builder(final SteppedClock clock) {
        return Creneau.builder().clock(clock).expiryTimer(false);
    }

    /** Builds, loads the directory and ingests every feed. */
    Creneau start(final Creneau.Builder builder) {
        final Creneau creneau = builder.build();
        load(creneau, NOW);
        return creneau;
    }

    /** Loads the directory and ingests every feed (snapshots generated at {@code generatedAt}). */
    void load(final Creneau creneau, final Instant generatedAt) {
        creneau.loadDirectory(writeDirectory());
        for (final String vendor : feeds.keySet()) {
            ingest(creneau, vendor, generatedAt);
        }
        if (!manual.isEmpty()) {
            final Path file = dir.resolve("manual.json");
            write(file, Map.of("slots", new ArrayList<>(manual.values())));
            creneau.ingestManual(file);
        }
    }

    /** Ingests one vendor's snapshot as it is now. */
    void ingest(final Creneau creneau, final String vendor, final Instant generatedAt) {
        final Path feed = dir.resolve(vendor.toLowerCase() + ".json");
        write(feed, Map.of("vendor", vendor, "integration", INTEGRATION.get(vendor), "generatedAt", generatedAt.toString(),
            "slots", new ArrayList<>(feeds.getOrDefault(vendor, Map.of()).values())));
        creneau.ingestVendorFeed(feed);
    }

    Path writeDirectory() {
        final Path file = dir.resolve("practitioners.json");
        write(file, practitioners);
        if (!structures.isEmpty()) {
            write(dir.resolve("structures.json"), structures);
        }
        return file;
    }

    private static void write(final Path file, final Object value) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), value);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every vendor and manual slot of the data set. */
    List<SlotId> slots() {
        final List<SlotId> all = new ArrayList<>();
        for (final Map<SlotId, Map<String, Object>> f : feeds.values()) {
            all.addAll(f.keySet());
        }
        all.addAll(manual.keySet());
        return all;
    }

    static Operator operator(final String id) {
        return new Operator(id, "RICART", "Pauline", id + "@ghsas.fr");
    }
}
