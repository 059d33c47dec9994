package fr.creneau.examples.data;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import org.locationtech.jts.algorithm.ConvexHull;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.triangulate.VoronoiDiagramBuilder;

import fr.creneau.directory.Profession;
import fr.creneau.examples.data.ReferenceData.Commune;
import fr.creneau.examples.data.ReferenceData.Departement;
import fr.creneau.pdsa.PdsaLayer;

/**
 * A plausible PDSA layer for the generated départements: {@code pdsa/sectors.geojson} and
 * {@code pdsa/roster.json} (formats in the README).
 *
 * <p>Sectors group the communes of a département: one per 200,000 inhabitants (1 to 6), centred on
 * the most populous communes at least 10 km apart; each sector is the Voronoi cell of its centre
 * cut to the département's shape (the convex hull of its commune centres, 3 km wider), so sectors
 * do not overlap and every commune falls in the sector of its nearest centre. The roster covers
 * the 48 h from the generator's "now" with 12-hour shifts changing at 08:00 and 20:00 local time,
 * each held by a GP of the sector in turn (the nearest GP of the département when the sector has
 * none). MMGs are structures of the directory ({@code structures.json}, the sites-and-structures
 * issue) and are not written here.
 *
 * <p>Deterministic: communes and GPs are taken in sorted order, no clock, no hash order.
 */
final class PdsaPlanner {
    static final String DIR = "pdsa";
    private static final int PEOPLE_PER_SECTOR = 200_000;
    private static final int MAX_SECTORS = 6;
    private static final double MIN_CENTRE_KM = 10;
    private static final double MARGIN_DEGREES = 0.03;
    private static final GeometryFactory GEOMETRY = new GeometryFactory();
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    /** A GP who may hold a shift. */
    record Gp(String rpps, double lat, double lon, ZoneId zone) {
    }

    private record Sector(String id, String name, Geometry area) {
    }

    private PdsaPlanner() {
    }

    /** The GP of a generated practitioner, or {@code null}. */
    static Gp gpOf(final GeneratedPractitioner p) {
        return p.profession() == Profession.GP ? new Gp(p.rpps(), p.lat(), p.lon(), p.zone()) : null;
    }

    /** Writes both files for {@code deps}, with {@code gps[i]} the GPs of {@code deps.get(i)}. */
    static void write(final Path outDir, final List<Departement> deps, final List<List<Gp>> gps, final Instant now)
        throws IOException {
        final List<Sector> all = new ArrayList<>();
        final List<List<Gp>> gpsOf = new ArrayList<>();
        for (int d = 0; d < deps.size(); d++) {
            for (final Sector s : sectors(deps.get(d))) {
                all.add(s);
                gpsOf.add(gps.get(d));
            }
        }
        try (JsonGenerator g = JsonOutput.open(outDir.resolve(DIR).resolve("sectors.geojson"))) {
            g.writeStartObject();
            g.writeStringField("type", "FeatureCollection");
            g.writeArrayFieldStart("features");
            for (final Sector s : all) {
                g.writeStartObject();
                g.writeStringField("type", "Feature");
                g.writeObjectFieldStart("properties");
                g.writeStringField("id", s.id());
                g.writeStringField("name", s.name());
                g.writeEndObject();
                g.writeObjectFieldStart("geometry");
                g.writeStringField("type", "Polygon");
                g.writeArrayFieldStart("coordinates");
                g.writeStartArray();
                for (final Coordinate c : ((Polygon) s.area()).getExteriorRing().getCoordinates()) {
                    g.writeStartArray();
                    g.writeNumber(degrees(c.x));
                    g.writeNumber(degrees(c.y));
                    g.writeEndArray();
                }
                g.writeEndArray();
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        try (JsonGenerator g = JsonOutput.open(outDir.resolve(DIR).resolve("roster.json"))) {
            g.writeStartObject();
            g.writeArrayFieldStart("shifts");
            for (int i = 0; i < all.size(); i++) {
                roster(g, all.get(i), i, gpsOf.get(i), now);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** Five decimals (about a metre), plain notation; a ring's first and last positions stay equal. */
    private static String degrees(final double v) {
        return BigDecimal.valueOf(Math.round(v * 1e5), 5).toPlainString();
    }

    private static List<Sector> sectors(final Departement dep) {
        final List<Commune> communes = new ArrayList<>(dep.communes());
        communes.sort(Comparator.comparingInt(Commune::population).reversed().thenComparing(Commune::insee));
        final Coordinate[] points = new Coordinate[communes.size()];
        for (int i = 0; i < points.length; i++) {
            points[i] = new Coordinate(communes.get(i).lon(), communes.get(i).lat());
        }
        final Geometry shape = new ConvexHull(points, GEOMETRY).getConvexHull().buffer(MARGIN_DEGREES, 2);
        final int wanted = (int) Math.max(1, Math.min(MAX_SECTORS, Math.round((double) dep.population() / PEOPLE_PER_SECTOR)));
        final List<Commune> centres = new ArrayList<>();
        for (final Commune c : communes) {
            if (centres.size() == wanted) {
                break;
            }
            boolean far = true;
            for (final Commune o : centres) {
                far &= CptsTerritories.km(c, o) >= MIN_CENTRE_KM;
            }
            if (far) {
                centres.add(c);
            }
        }
        final List<Sector> out = new ArrayList<>();
        if (centres.size() == 1) {
            out.add(new Sector(dep.code() + "-1", "PDSA " + centres.get(0).name(), simplest(shape)));
            return out;
        }
        final List<Coordinate> sites = new ArrayList<>();
        for (final Commune c : centres) {
            sites.add(new Coordinate(c.lon(), c.lat()));
        }
        final VoronoiDiagramBuilder voronoi = new VoronoiDiagramBuilder();
        voronoi.setSites(sites);
        final Envelope clip = new Envelope(shape.getEnvelopeInternal());
        clip.expandBy(1);
        voronoi.setClipEnvelope(clip);
        final Geometry cells = voronoi.getDiagram(GEOMETRY);
        for (int i = 0; i < centres.size(); i++) {
            final Commune centre = centres.get(i);
            final Geometry point = GEOMETRY.createPoint(new Coordinate(centre.lon(), centre.lat()));
            for (int k = 0; k < cells.getNumGeometries(); k++) {
                final Geometry cell = cells.getGeometryN(k);
                if (cell.contains(point)) {
                    out.add(new Sector(dep.code() + "-" + (i + 1), "PDSA " + centre.name(),
                        simplest(cell.intersection(shape))));
                    break;
                }
            }
        }
        return out;
    }

    /** The largest polygon of a geometry (the intersection of two convex shapes is one polygon). */
    private static Geometry simplest(final Geometry g) {
        Geometry best = g.getGeometryN(0);
        for (int i = 1; i < g.getNumGeometries(); i++) {
            if (g.getGeometryN(i).getArea() > best.getArea()) {
                best = g.getGeometryN(i);
            }
        }
        return best;
    }

    private static void roster(final JsonGenerator g, final Sector s, final int sectorNo, final List<Gp> gps,
                               final Instant now) throws IOException {
        final PreparedGeometry area = PreparedGeometryFactory.prepare(s.area());
        final List<Gp> inside = new ArrayList<>();
        for (final Gp gp : gps) {
            if (area.covers(GEOMETRY.createPoint(new Coordinate(gp.lon(), gp.lat())))) {
                inside.add(gp);
            }
        }
        if (inside.isEmpty()) {
            final Coordinate c = s.area().getCentroid().getCoordinate();
            gps.stream().min(Comparator.comparingDouble((Gp gp) -> Math.hypot(gp.lat() - c.y, gp.lon() - c.x))
                .thenComparing(Gp::rpps)).ifPresent(inside::add);
        }
        if (inside.isEmpty()) {
            return;
        }
        inside.sort(Comparator.comparing(Gp::rpps));
        final ZoneId zone = inside.get(0).zone();
        // The last change of shift at or before now: 08:00 or 20:00 local.
        final LocalDateTime local = LocalDateTime.ofInstant(now, zone);
        final LocalDate day = local.toLocalDate();
        LocalDateTime start = local.toLocalTime().isBefore(LocalTime.of(8, 0)) ? day.minusDays(1).atTime(20, 0)
            : local.toLocalTime().isBefore(LocalTime.of(20, 0)) ? day.atTime(8, 0) : day.atTime(20, 0);
        final Instant horizon = now.plus(PdsaLayer.HORIZON);
        for (int shift = 0; start.atZone(zone).toInstant().isBefore(horizon); shift++) {
            final LocalDateTime end = start.plusHours(12);
            final Gp gp = inside.get((shift + sectorNo) % inside.size());
            g.writeStartObject();
            g.writeStringField("sector", s.id());
            g.writeStringField("start", ISO.format(ZonedDateTime.of(start, zone).toOffsetDateTime()));
            g.writeStringField("end", ISO.format(ZonedDateTime.of(end, zone).toOffsetDateTime()));
            g.writeStringField("rpps", gp.rpps());
            g.writeEndObject();
            start = end;
        }
    }
}
