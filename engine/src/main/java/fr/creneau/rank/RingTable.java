package fr.creneau.rank;

import java.util.List;

import com.uber.h3core.LengthUnit;
import com.uber.h3core.util.LatLng;

import fr.creneau.index.CellTable;
import fr.creneau.index.Geo;
import fr.creneau.index.H3;

/**
 * The groups (resolution-7 areas, see {@link CellTable}) around one patient square, nearest centre
 * first: what a search walks outward, expanding each group into its cells.
 *
 * <p>Why a square of latitude and longitude, not the patient's h3 cell: finding the square is two
 * multiplications and two floors, where h3's {@code latLngToCell} is a JNI call of about 350 ns
 * ({@code java -jar bench/target/benchmarks.jar PatientCellBenchmark}), a tenth of an overseas
 * query. The walk needs only a point and a distance that no patient of the table exceeds from it
 * ({@link #patientLat}, {@link #patientLon}, {@link #patientRadiusKm}): the square's centre and
 * its half-diagonal serve as well as a cell's centre and circumradius. Squares are
 * {@link #LAT_STEP}° by {@link #LON_STEP}°: 1.1 km by 1.1 km at 48° N, 1.7 km wide on the equator,
 * so a patient is on average nearer the table's point than to a resolution-7 cell's centre (1.2 km
 * circumradius) and the group bounds are at least as tight.
 *
 * <p>Built once per square with h3's {@code gridDiskDistances} (which allocates: kilobytes of
 * boxed Longs) around the cell of the square's centre and then kept as primitive arrays in the
 * shared cache, so that the steady-state query calls no h3 function at all.
 *
 * <p>Immutable; belongs to the {@link CellTable} it was built from (a new table, after a directory
 * change, means a rebuild).
 */
final class RingTable {
    /** Latitude step of the squares, degrees. */
    static final double LAT_STEP = 0.01;
    /** Longitude step of the squares, degrees (360 / LON_STEP squares a row, exactly). */
    static final double LON_STEP = 0.015;
    private static final int COLUMNS = 24_000;
    private static final int ROWS = 18_000;

    final CellTable cells;
    /** The square's key ({@link #squareOf}). */
    final long square;
    /** Group ids, by increasing distance of their centres from the square's centre. */
    final int[] ids;
    /** Offset of each listed group's block in the cell table's walk data (read as the walk goes). */
    final int[] walk;
    /** Centre-to-centre distances, km (whole metres), ascending. */
    final float[] centerKm;
    /**
     * Each listed group's radius, km, rounded up: read in table order by the walk, where the cell
     * table's copy was a random read per group reached (a line of its own in the countryside).
     */
    final float[] radiusKm;
    /** No point of the square is farther than this from its centre, km. */
    final double patientRadiusKm;
    /** Centre of the square (every patient of the table is within {@link #patientRadiusKm} of it). */
    final double patientLat;
    final double patientLon;
    /** Largest radius of the groups listed (the farthest point of their cells from their centre), km. */
    final double maxRadiusKm;
    /**
     * No point of a cell outside the table is closer than this to any point of the square:
     * beyond it a search must take the exhaustive path.
     */
    final double coverageKm;
    /** Sequence number of the build: the older of two entries is replaced first. */
    final long builtAt;
    private static final java.util.concurrent.atomic.AtomicLong BUILDS = new java.util.concurrent.atomic.AtomicLong();

    private RingTable(final CellTable cells, final long square, final int[] ids, final float[] centerKm,
                      final double patientRadiusKm, final double centerLat, final double centerLon,
                      final double maxRadiusKm, final double coverageKm) {
        this.cells = cells;
        this.walk = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            walk[i] = cells.groupWalkOffset(ids[i]);
        }
        this.patientLat = centerLat;
        this.patientLon = centerLon;
        this.square = square;
        this.ids = ids;
        this.centerKm = centerKm;
        this.radiusKm = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            final float r = (float) cells.groupRadiusKm(ids[i]);
            radiusKm[i] = r < cells.groupRadiusKm(ids[i]) ? Math.nextUp(r) : r; // never below the true radius
        }
        this.patientRadiusKm = patientRadiusKm;
        this.maxRadiusKm = maxRadiusKm;
        this.coverageKm = coverageKm;
        this.builtAt = BUILDS.incrementAndGet();
    }

    /**
     * The key of the square holding a position (any valid WGS84 position: rows of {@link #LAT_STEP}
     * from the south pole, columns of {@link #LON_STEP} from the antimeridian; the north pole and
     * the antimeridian's east side fall in the last row and column).
     */
    static long squareOf(final double lat, final double lon) {
        final int row = Math.min(ROWS - 1, (int) ((lat + 90) * (1 / LAT_STEP)));
        final int column = Math.min(COLUMNS - 1, (int) ((lon + 180) * (1 / LON_STEP)));
        return (long) row << 32 | column;
    }

    static RingTable build(final long square, final CellTable cells, final double radiusKm) {
        final int row = (int) (square >>> 32);
        final int column = (int) square;
        final double south = row * LAT_STEP - 90;
        final double north = Math.min(90, south + LAT_STEP);
        final double west = column * LON_STEP - 180;
        final double east = west + LON_STEP;
        final double centerLat = (south + north) / 2;
        final double centerLon = (west + east) / 2;
        // The farthest point of a small latitude-longitude rectangle from its centre is a corner;
        // the edges' midpoints are measured too (near a pole the rectangle is a thin sector), with 1%
        // and a metre for the rounding of the square's bounds against the key's floors.
        double half = 0;
        for (final double lat : new double[] {south, centerLat, north}) {
            for (final double lon : new double[] {west, centerLon, east}) {
                half = Math.max(half, Geo.distanceKm(centerLat, centerLon, lat, lon));
            }
        }
        final double patientRadius = half * 1.01 + 0.001;
        final long centerCell = H3.CORE.latLngToCell(centerLat, centerLon, CellTable.RESOLUTION);
        final LatLng cellCenter = H3.CORE.cellToLatLng(centerCell);
        // Every patient of the square lies within this of the centre cell's centre, from which the
        // disk is measured.
        final double reach = Geo.distanceKm(cellCenter.lat, cellCenter.lng, centerLat, centerLon) + patientRadius;
        final double spacing = Math.sqrt(3) * H3.CORE.getHexagonEdgeLengthAvg(CellTable.RESOLUTION, LengthUnit.km);
        // 0.85: cells shrink away from the icosahedron face centres; over-cover rather than miss.
        final int k = Math.max(1, (int) Math.ceil((radiusKm + reach) / (spacing * 0.85)));
        final List<List<Long>> rings = H3.CORE.gridDiskDistances(centerCell, k);
        int count = 0;
        for (final List<Long> ring : rings) {
            for (final long cell : ring) {
                if (cells.groupIdOf(cell) >= 0) {
                    count++;
                }
            }
        }
        final long[] keyed = new long[count];
        int n = 0;
        double maxRadius = 0;
        for (final List<Long> ring : rings) {
            for (final long cell : ring) {
                final int id = cells.groupIdOf(cell);
                if (id >= 0) {
                    final double d = Geo.distanceKm(centerLat, centerLon, cells.groupCenterLat(id), cells.groupCenterLon(id));
                    // Sort key: distance in metres (monotonic as an int) above the id.
                    keyed[n++] = ((long) (d * 1000) << 32) | id;
                    maxRadius = Math.max(maxRadius, cells.groupRadiusKm(id));
                }
            }
        }
        java.util.Arrays.sort(keyed);
        final int[] ids = new int[count];
        final float[] centerKm = new float[count];
        for (int i = 0; i < count; i++) {
            ids[i] = (int) keyed[i];
            // The sort key's whole metres, rounded down: ascending exactly as sorted, and never more
            // than the true distance, so the walk's stopping bound stays conservative.
            centerKm[i] = (float) ((keyed[i] >>> 32) / 1000.0);
        }
        // Groups outside the disk have their centres at least as far from the centre cell's centre
        // as the nearest centre of the outer ring; subtract the outer ring's radius (generous: the
        // outer ring's cells are ~same size, and a group's cells stick out of its hexagon by a
        // fraction of their own, much smaller, size) and the patients' reach.
        double outer = Double.POSITIVE_INFINITY;
        double outerRadius = 0;
        for (final long cell : rings.get(rings.size() - 1)) {
            final LatLng c = H3.CORE.cellToLatLng(cell);
            outer = Math.min(outer, Geo.distanceKm(cellCenter.lat, cellCenter.lng, c.lat, c.lng));
            outerRadius = Math.max(outerRadius, radiusOf(cell, c));
        }
        final double coverage = Math.max(0, outer - reach - 1.5 * outerRadius);
        return new RingTable(cells, square, ids, centerKm, patientRadius, centerLat, centerLon, maxRadius, coverage);
    }

    private static double radiusOf(final long cell, final LatLng center) {
        double max = 0;
        for (final LatLng v : H3.CORE.cellToBoundary(cell)) {
            max = Math.max(max, Geo.distanceKm(center.lat, center.lng, v.lat, v.lng));
        }
        return max;
    }
}
