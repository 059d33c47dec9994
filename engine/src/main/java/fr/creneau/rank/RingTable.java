package fr.creneau.rank;

import java.util.List;

import com.uber.h3core.LengthUnit;
import com.uber.h3core.util.LatLng;

import fr.creneau.index.CellTable;
import fr.creneau.index.Geo;
import fr.creneau.index.H3;

/**
 * The groups (resolution-7 areas, see {@link CellTable}) around one patient cell, nearest centre
 * first: what a search walks outward, expanding each group into its cells.
 * Built once per patient cell with h3's {@code gridDiskDistances} (which allocates: kilobytes of
 * boxed Longs) and then kept as primitive arrays in a searcher's cache, so that the steady-state
 * query calls no h3 list function at all.
 *
 * <p>Immutable; belongs to the {@link CellTable} it was built from (a new table, after a directory
 * change, means a rebuild).
 */
final class RingTable {
    final CellTable cells;
    final long patientCell;
    /** Group ids, by increasing centre-to-centre distance from the patient cell. */
    final int[] ids;
    /** Offset of each listed group's block in the cell table's walk data (read as the walk goes). */
    final int[] walk;
    /** Centre-to-centre distances, km (whole metres), ascending. */
    final float[] centerKm;
    /** Circumradius of the patient cell, km. */
    final double patientRadiusKm;
    /** Centre of the patient cell (the patient is within {@link #patientRadiusKm} of it). */
    final double patientLat;
    final double patientLon;
    /** Largest radius of the groups listed (the farthest point of their cells from their centre), km. */
    final double maxRadiusKm;
    /**
     * No point of a cell outside the table is closer than this to any point of the patient cell:
     * beyond it a search must take the exhaustive path.
     */
    final double coverageKm;
    /** Sequence number of the build: the older of two entries is replaced first. */
    final long builtAt;
    private static final java.util.concurrent.atomic.AtomicLong BUILDS = new java.util.concurrent.atomic.AtomicLong();

    private RingTable(final CellTable cells, final long patientCell, final int[] ids, final float[] centerKm,
                      final double patientRadiusKm, final LatLng patientCenter, final double maxRadiusKm,
                      final double coverageKm) {
        this.cells = cells;
        this.walk = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            walk[i] = cells.groupWalkOffset(ids[i]);
        }
        this.patientLat = patientCenter.lat;
        this.patientLon = patientCenter.lng;
        this.patientCell = patientCell;
        this.ids = ids;
        this.centerKm = centerKm;
        this.patientRadiusKm = patientRadiusKm;
        this.maxRadiusKm = maxRadiusKm;
        this.coverageKm = coverageKm;
        this.builtAt = BUILDS.incrementAndGet();
    }

    static RingTable build(final long patientCell, final CellTable cells, final double radiusKm) {
        final double spacing = Math.sqrt(3) * H3.CORE.getHexagonEdgeLengthAvg(CellTable.RESOLUTION, LengthUnit.km);
        // 0.85: cells shrink away from the icosahedron face centres; over-cover rather than miss.
        final int k = Math.max(1, (int) Math.ceil(radiusKm / (spacing * 0.85)));
        final LatLng center = H3.CORE.cellToLatLng(patientCell);
        final double patientRadius = radiusOf(patientCell, center);
        final List<List<Long>> rings = H3.CORE.gridDiskDistances(patientCell, k);
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
                    final double d = Geo.distanceKm(center.lat, center.lng, cells.groupCenterLat(id), cells.groupCenterLon(id));
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
        // Groups outside the disk have their centres at least as far as the nearest centre of the
        // outer ring; subtract both radii (generous: the outer ring's cells are ~same size, and a
        // group's cells stick out of its hexagon by a fraction of their own, much smaller, size).
        double outer = Double.POSITIVE_INFINITY;
        double outerRadius = 0;
        for (final long cell : rings.get(rings.size() - 1)) {
            final LatLng c = H3.CORE.cellToLatLng(cell);
            outer = Math.min(outer, Geo.distanceKm(center.lat, center.lng, c.lat, c.lng));
            outerRadius = Math.max(outerRadius, radiusOf(cell, c));
        }
        final double coverage = Math.max(0, outer - patientRadius - 1.5 * outerRadius);
        return new RingTable(cells, patientCell, ids, centerKm, patientRadius, center, maxRadius, coverage);
    }

    private static double radiusOf(final long cell, final LatLng center) {
        double max = 0;
        for (final LatLng v : H3.CORE.cellToBoundary(cell)) {
            max = Math.max(max, Geo.distanceKm(center.lat, center.lng, v.lat, v.lng));
        }
        return max;
    }
}
