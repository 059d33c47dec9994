package fr.creneau.rank;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import fr.creneau.Creneau;
import fr.creneau.directory.Rpps;

/**
 * Writes a directory, vendor feeds and manual slots as real JSON files in the native format, then
 * loads them through the {@link Creneau} facade with a fixed clock.
 */
final class Scenario {
    static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z"); // Monday 10:00 in Paris
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final Path dir;
    private final List<Map<String, Object>> practitioners = new ArrayList<>();
    private final Map<String, List<Map<String, Object>>> feeds = new LinkedHashMap<>();
    private final List<Map<String, Object>> manual = new ArrayList<>();
    private final List<Map<String, Object>> structures = new ArrayList<>();
    /** The reports of the last {@link #load}: directory, then each feed, then the manual file. */
    final List<fr.creneau.feed.IngestReport> reports = new ArrayList<>();
    private int next = 1;
    private Map<String, Object> last;
    private int slotIds;

    Scenario(final Path dir) {
        this.dir = dir;
    }

    /** Adds a practitioner; returns its RPPS. */
    long practitioner(final String name, final String profession, final double lat, final double lon,
                      final String vendor, final boolean acceptsExtra, final String cptsId) {
        return practitioner(name, profession, lat, lon, vendor, acceptsExtra, cptsId,
            cptsId == null ? "INDIVIDUAL" : "CPTS");
    }

    /** Adds a practitioner with that participation; returns its RPPS. */
    long practitioner(final String name, final String profession, final double lat, final double lon,
                      final String vendor, final boolean acceptsExtra, final String cptsId, final String participation) {
        final String rpps = Rpps.withCheckDigit(String.format("2%09d", next++));
        final Map<String, Object> p = new LinkedHashMap<>();
        p.put("rpps", rpps);
        p.put("name", name);
        p.put("profession", profession);
        p.put("lat", lat);
        p.put("lon", lon);
        p.put("phone", "tel-" + name);
        p.put("vendor", vendor);
        p.put("refusesVendorSlots", false);
        p.put("participation", participation);
        p.put("acceptsExtraPatients", acceptsExtra);
        p.put("cpts", cptsId == null ? null : Map.of("id", cptsId, "name", "CPTS " + cptsId, "phone", "tel-" + cptsId));
        practitioners.add(p);
        last = p;
        return Long.parseLong(rpps);
    }

    /** The entry written for {@code rpps}, to add fields ({@code sites}, {@code structure}) before {@link #load}. */
    Map<String, Object> entry(final long rpps) {
        for (final Map<String, Object> p : practitioners) {
            if (p.get("rpps").equals(Rpps.format(rpps))) {
                return p;
            }
        }
        throw new IllegalArgumentException("no practitioner " + rpps);
    }

    /** Adds a structure to {@code structures.json}; {@code hours} may be {@code null} (always open). */
    void structure(final String id, final String kind, final double lat, final double lon, final List<?> hours) {
        final Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        s.put("kind", kind);
        s.put("name", kind + " " + id);
        s.put("phone", "tel-" + id);
        s.put("address", Map.of("lines", List.of("1 place " + id), "postalCode", "48000", "city", "Mende"));
        s.put("lat", lat);
        s.put("lon", lon);
        if (hours != null) {
            s.put("hours", hours);
        }
        structures.add(s);
    }

    /** A vendor slot at site {@code site} of the practitioner. */
    String slotAt(final String vendor, final long rpps, final int minutesFromNow, final String modality,
                  final String site) {
        final String id = slot(vendor, rpps, minutesFromNow, modality);
        final List<Map<String, Object>> slots = feeds.get(vendor);
        slots.get(slots.size() - 1).put("site", site);
        return id;
    }

    /** Sets an optional key of the practitioner added last (regulationPhone, homeVisitRadiusKm). */
    Scenario with(final String key, final Object value) {
        last.put(key, value);
        return this;
    }

    long gp(final String name, final double lat, final double lon, final String vendor) {
        return practitioner(name, "GP", lat, lon, vendor, false, null);
    }

    /** A vendor slot starting {@code minutesFromNow} after {@link #NOW}, 20 minutes long. */
    String slot(final String vendor, final long rpps, final int minutesFromNow, final String modality) {
        final String id = "s" + slotIds++;
        final Instant start = NOW.plus(Duration.ofMinutes(minutesFromNow));
        final Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        s.put("rpps", Rpps.format(rpps));
        s.put("start", start.atZone(PARIS).toOffsetDateTime().toString());
        s.put("end", start.plus(Duration.ofMinutes(20)).atZone(PARIS).toOffsetDateTime().toString());
        s.put("modality", modality);
        s.put("visibility", "PUBLIC");
        feeds.computeIfAbsent(vendor, k -> new ArrayList<>()).add(s);
        return id;
    }

    void manualSlot(final long rpps, final int minutesFromNow) {
        final Instant start = NOW.plus(Duration.ofMinutes(minutesFromNow));
        manual.add(Map.of("id", "m" + slotIds++, "rpps", Rpps.format(rpps),
            "start", start.atZone(PARIS).toOffsetDateTime().toString(),
            "end", start.plus(Duration.ofMinutes(20)).atZone(PARIS).toOffsetDateTime().toString()));
    }

    /** Writes {@code practitioners.json} (and {@code structures.json}) again, for a reload; returns the file. */
    Path writeDirectory() {
        try {
            final Path directory = dir.resolve("practitioners.json");
            JSON.writeValue(directory.toFile(), practitioners);
            if (!structures.isEmpty()) {
                JSON.writeValue(dir.resolve("structures.json").toFile(), structures);
            }
            return directory;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Creneau load() {
        return load(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    Creneau load(final Clock clock) {
        return load(clock, ProtocolConfig.DEFAULTS);
    }

    /** Loads with a clock and local rules (hours, radii, PDSA layer). */
    Creneau load(final Clock clock, final ProtocolConfig protocol) {
        try {
            final Creneau creneau = Creneau.builder().clock(clock).expiryTimer(false).protocolConfig(protocol).build();
            final Path directory = dir.resolve("practitioners.json");
            JSON.writeValue(directory.toFile(), practitioners);
            if (!structures.isEmpty()) {
                JSON.writeValue(dir.resolve("structures.json").toFile(), structures);
            }
            reports.clear();
            reports.add(creneau.loadDirectory(directory));
            final Map<String, String> integration = Map.of("Doctolib", "END_TO_END", "Keldoc", "END_TO_END",
                "Maiia", "AGGREGATION_ONLY", "Clickdoc", "AGGREGATION_ONLY");
            for (final Map.Entry<String, List<Map<String, Object>>> e : feeds.entrySet()) {
                final Path feed = dir.resolve(e.getKey().toLowerCase() + ".json");
                JSON.writeValue(feed.toFile(), Map.of("vendor", e.getKey(), "integration", integration.get(e.getKey()),
                    "generatedAt", NOW.toString(), "slots", e.getValue()));
                reports.add(creneau.ingestVendorFeed(feed));
            }
            if (!manual.isEmpty()) {
                final Path file = dir.resolve("manual.json");
                JSON.writeValue(file.toFile(), Map.of("slots", manual));
                reports.add(creneau.ingestManual(file));
            }
            Files.createDirectories(dir);
            return creneau;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
