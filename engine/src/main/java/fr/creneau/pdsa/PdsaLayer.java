package fr.creneau.pdsa;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.geojson.GeoJsonReader;

import fr.creneau.directory.Rpps;

/**
 * The PDSA sectors and their roster of on-call shifts.
 *
 * <p>The patient's sector is found by point-in-polygon over an STRtree of prepared geometries: the
 * tree narrows to the sectors whose envelope holds the point, the prepared polygon answers
 * "covers" in logarithmic time. A point on a shared border belongs to both; the sector with the
 * smallest id wins, so the answer is the same on every call. The lookup allocates (JTS points,
 * the tree's result list): the ranker calls it only in the PDSA channel when nothing is free in
 * the window, never on the slot path.
 *
 * <p>Immutable after loading; thread-safe (the STRtree is built once before it is shared; JTS
 * prepared geometries are safe for concurrent reads after construction, their lazy indexes being
 * built under synchronisation).
 */
public final class PdsaLayer {
    /** No sector, no shift: the PDSA second level then has only the MMGs and SOS Médecins. */
    public static final PdsaLayer EMPTY = new PdsaLayer(Map.of(), new STRtree(), Map.of(), new PdsaReport());

    /** How far ahead a roster may reach: the SAS aggregates 48 hours. */
    public static final Duration HORIZON = Duration.ofHours(48);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    private record Entry(Sector sector, PreparedGeometry prepared) {
    }

    private final Map<String, Sector> sectors;
    private final STRtree tree;
    private final Map<String, List<Shift>> shiftsBySector;
    private final PdsaReport report;

    private PdsaLayer(final Map<String, Sector> sectors, final STRtree tree, final Map<String, List<Shift>> shifts,
                      final PdsaReport report) {
        this.sectors = sectors;
        this.tree = tree;
        this.shiftsBySector = shifts;
        this.report = report;
        tree.build();
    }

    /**
     * Reads {@code dir/sectors.geojson} and {@code dir/roster.json} (a missing file is an empty one;
     * a roster without sectors has all its shifts rejected as {@link PdsaRejectReason#UNKNOWN_SECTOR}).
     *
     * @param now the load time: shifts must meet {@code [now, now + 48 h)}
     * @throws PdsaFormatException when a file that exists cannot be read or is not of the documented shape
     */
    public static PdsaLayer load(final Path dir, final Instant now) {
        final Path sectorsFile = dir.resolve("sectors.geojson");
        final Path rosterFile = dir.resolve("roster.json");
        return load(Files.exists(sectorsFile, LinkOption.NOFOLLOW_LINKS) ? sectorsFile : null,
            Files.exists(rosterFile, LinkOption.NOFOLLOW_LINKS) ? rosterFile : null, now);
    }

    /** Reads the two files, either of which may be {@code null}. */
    public static PdsaLayer load(final Path sectorsFile, final Path rosterFile, final Instant now) {
        final PdsaReport report = new PdsaReport();
        final Map<String, Sector> sectors = new LinkedHashMap<>();
        final STRtree tree = new STRtree();
        if (sectorsFile != null) {
            readSectors(sectorsFile, read(sectorsFile), sectors, tree, report);
        }
        final Map<String, List<Shift>> shifts = new HashMap<>();
        if (rosterFile != null) {
            readRoster(rosterFile, read(rosterFile), sectors, now, shifts, report);
        }
        shifts.replaceAll((k, v) -> List.copyOf(v));
        return new PdsaLayer(Collections.unmodifiableMap(sectors), tree, Map.copyOf(shifts), report);
    }

    private static JsonNode read(final Path file) {
        // Not following links: a PDSA file is configuration, never something a link may swap.
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return JSON.readTree(in);
        } catch (final NoSuchFileException e) {
            throw new PdsaFormatException(file.toString(), "no such file");
        } catch (final IOException e) {
            throw new PdsaFormatException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    private static void readSectors(final Path file, final JsonNode root, final Map<String, Sector> sectors,
                                    final STRtree tree, final PdsaReport report) {
        if (root == null || !"FeatureCollection".equals(root.path("type").asText()) || !root.path("features").isArray()) {
            throw new PdsaFormatException(file.toString(), "not a GeoJSON FeatureCollection");
        }
        final GeoJsonReader reader = new GeoJsonReader(GEOMETRY);
        int n = 0;
        for (final JsonNode f : root.get("features")) {
            n++;
            final String id = f.path("properties").path("id").asText(null);
            final String name = f.path("properties").path("name").asText(null);
            final JsonNode g = f.path("geometry");
            final String type = g.path("type").asText("");
            if (id == null || id.isBlank() || name == null
                || !(type.equals("Polygon") || type.equals("MultiPolygon")) || !g.path("coordinates").isArray()) {
                report.reject(PdsaRejectReason.MALFORMED_SECTOR, "feature " + n + ": needs properties id and name and a Polygon or MultiPolygon");
                continue;
            }
            if (!ringsClosed(type, g.get("coordinates"))) {
                report.reject(PdsaRejectReason.POLYGON_NOT_CLOSED, "sector " + id + ": a ring does not end where it starts");
                continue;
            }
            if (sectors.containsKey(id)) {
                report.reject(PdsaRejectReason.DUPLICATE_SECTOR, "sector " + id + " appears twice");
                continue;
            }
            final Geometry geometry;
            try {
                geometry = reader.read(g.toString());
            } catch (final ParseException | RuntimeException e) {
                report.reject(PdsaRejectReason.MALFORMED_SECTOR, "sector " + id + ": " + e.getMessage());
                continue;
            }
            if (!geometry.isValid()) {
                report.reject(PdsaRejectReason.INVALID_POLYGON, "sector " + id + ": invalid polygon");
                continue;
            }
            final Sector sector = new Sector(id, name, geometry);
            sectors.put(id, sector);
            tree.insert(geometry.getEnvelopeInternal(), new Entry(sector, PreparedGeometryFactory.prepare(geometry)));
            report.sectorKept();
        }
    }

    /** Every ring has at least four positions and ends at its first. */
    private static boolean ringsClosed(final String type, final JsonNode coordinates) {
        final List<JsonNode> polygons = new ArrayList<>();
        if (type.equals("Polygon")) {
            polygons.add(coordinates);
        } else {
            coordinates.forEach(polygons::add);
        }
        for (final JsonNode polygon : polygons) {
            if (!polygon.isArray() || polygon.isEmpty()) {
                return false;
            }
            for (final JsonNode ring : polygon) {
                if (!ring.isArray() || ring.size() < 4 || !ring.get(0).equals(ring.get(ring.size() - 1))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void readRoster(final Path file, final JsonNode root, final Map<String, Sector> sectors,
                                   final Instant now, final Map<String, List<Shift>> shifts, final PdsaReport report) {
        if (root == null || !root.path("shifts").isArray()) {
            throw new PdsaFormatException(file.toString(), "not an object with a \"shifts\" array");
        }
        final Instant horizon = now.plus(HORIZON);
        int n = 0;
        for (final JsonNode s : root.get("shifts")) {
            n++;
            final Shift shift;
            try {
                final String rpps = s.path("rpps").asText(null);
                shift = new Shift(s.path("sector").asText(null), OffsetDateTime.parse(s.path("start").asText()).toInstant(),
                    OffsetDateTime.parse(s.path("end").asText()).toInstant(),
                    rpps == null ? 0 : Rpps.parse(rpps), s.path("structure").asText(null), s.path("phone").asText(null));
            } catch (final RuntimeException e) { // a bad time, RPPS or missing field: this shift only
                report.reject(PdsaRejectReason.MALFORMED_SHIFT, "shift " + n + ": " + e.getMessage());
                continue;
            }
            if (!sectors.containsKey(shift.sector())) {
                report.reject(PdsaRejectReason.UNKNOWN_SECTOR, "shift " + n + ": no sector " + shift.sector());
                continue;
            }
            if (!shift.end().isAfter(now) || !shift.start().isBefore(horizon)) {
                report.reject(PdsaRejectReason.OUTSIDE_48H, "shift " + n + ": " + shift.start() + " to " + shift.end()
                    + " is outside the 48 h from " + now);
                continue;
            }
            final List<Shift> list = shifts.computeIfAbsent(shift.sector(), k -> new ArrayList<>());
            boolean overlaps = false;
            for (final Shift other : list) {
                overlaps |= shift.start().isBefore(other.end()) && other.start().isBefore(shift.end());
            }
            if (overlaps) {
                report.reject(PdsaRejectReason.OVERLAPPING_SHIFT, "shift " + n + " overlaps another shift of sector "
                    + shift.sector());
                continue;
            }
            list.add(shift);
            report.shiftKept();
        }
    }

    /** The sector containing the position (WGS84 degrees), or {@code null}. Allocates. */
    public Sector sectorAt(final double lat, final double lon) {
        final Point point = GEOMETRY.createPoint(new Coordinate(lon, lat));
        Sector best = null;
        for (final Object o : tree.query(new Envelope(lon, lon, lat, lat))) {
            final Entry e = (Entry) o;
            if (e.prepared().covers(point) && (best == null || e.sector().id().compareTo(best.id()) < 0)) {
                best = e.sector();
            }
        }
        return best;
    }

    /** The shift on duty at {@code at} in the sector, or {@code null}. */
    public Shift onDuty(final String sector, final Instant at) {
        for (final Shift s : shiftsBySector.getOrDefault(sector, List.of())) {
            if (s.covers(at)) {
                return s;
            }
        }
        return null;
    }

    public Sector sector(final String id) {
        return sectors.get(id);
    }

    public java.util.Collection<Sector> sectors() {
        return sectors.values();
    }

    /** What loading kept and left out. */
    public PdsaReport report() {
        return report;
    }
}
