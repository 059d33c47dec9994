package fr.creneau.rank;

import java.util.Arrays;

import fr.creneau.index.CellTable;
import fr.creneau.index.UnitSummary;
import fr.creneau.index.Geo;

/**
 * Hands out the cells around a patient in increasing order of their distance lower bound, as long
 * as that bound does not exceed the caller's current stop distance (which only decreases): the
 * groups of the patient square's {@link RingTable} are expanded into their cells as the walk reaches
 * them, and the expanded cells are handed out from a binary heap keyed by their lower bound; only
 * when the stop distance reaches past the table's coverage (a teleconsultation with no distance
 * limit, a desert) does every other cell join the heap. The heap lives in reused arrays: no
 * allocation either way once sized for the table.
 *
 * <p>Bounds. A cell's lower bound is the distance from the patient to its centre minus its
 * circumradius: no unit in it can be nearer ({@link #boundKm()}: the one of the cell last handed
 * out, rounded down to the metre). A group not yet expanded is passed over without a distance
 * computed when its centre, as the table measured it from the patient square's centre, less the
 * patient's offset from that centre and the group's radius, is beyond the stop (triangle
 * inequality; the table's centre distances are rounded down). The heap's top is handed out once no
 * group still to expand can hold a nearer cell.
 *
 * <p>Not thread-safe: owned by one {@link Searcher}.
 */
final class CellWalk {
    /** Slack on the bounds derived from the table's float distances (its rounding, km). */
    private static final double SLACK_KM = 0.001;
    private RingTable table;
    private CellTable cells;
    private double lat;
    private double lon;
    /** The patient's latitude in radians and its cosine, once per walk (see {@link Geo#distanceKm(double, double, double, double, double, double)}). */
    private double latRadians;
    private double cosLat;
    /** The patient's distance from the patient square's centre, plus the slack. */
    private double offsetKm;
    private int position;
    private boolean global;
    /** Cells by lower bound: (whole metres << 32) | offset of the cell's record in the walk data. */
    private long[] heap = new long[0];
    private int heapSize;
    private int[] stamp = new int[0];
    private int generation;
    private double boundKm;
    /** The group filter ({@link #skipGroupsWithout}), or {@code null}. */
    private UnitSummary summary;
    private int modality;
    private int shift;
    private long span;
    private long[] data;
    /** The record of the cell last handed out, in {@link #data}. */
    private int current;
    /** Records (cells, sub-blocks) whose lower bound the walk computed, since made. Owner thread. */
    long bounded;

    /**
     * From now until the next {@link #start}, pass over every group whose summary word has no
     * hour of the window ({@link UnitSummary#groupWord}, rotated by {@code shift} and masked with
     * {@code span} as the searcher does for units): none of its cells could give a row.
     */
    void skipGroupsWithout(final UnitSummary summary, final int modality, final int shift, final long span) {
        this.summary = summary;
        this.modality = modality;
        this.shift = shift;
        this.span = span;
    }

    private boolean empty(final int group) {
        if (summary == null) {
            return false;
        }
        final long w = summary.groupWord(group, modality);
        return (((w >>> shift) | (w << (UnitSummary.RING - shift))) & span) == 0;
    }

    void start(final double lat, final double lon, final RingTable table) {
        this.summary = null;
        this.table = table;
        this.cells = table.cells;
        this.lat = lat;
        this.lon = lon;
        this.latRadians = Math.toRadians(lat);
        this.cosLat = Math.cos(latRadians);
        this.offsetKm = Geo.distanceKm(lat, lon, latRadians, cosLat, table.patientLat, table.patientLon) + SLACK_KM;
        this.data = cells.walkData();
        this.position = 0;
        this.global = false;
        this.heapSize = 0;
        if (heap.length < cells.cellCount()) {
            heap = new long[cells.cellCount()]; // once per directory change at most: every cell fits
        }
    }

    /** The next cell whose lower bound is at most {@code stopKm}, or -1 when no further cell can be. */
    int next(final double stopKm) {
        while (true) {
            // No cell of a group still to expand is nearer than this.
            final boolean more = !global && position < table.ids.length;
            final double groupsKm = more ? table.centerKm[position] - offsetKm - table.maxRadiusKm
                : Double.POSITIVE_INFINITY;
            if (heapSize > 0) {
                final long top = heap[0];
                final double topKm = (top >>> 32) / 1000.0;
                if (topKm <= stopKm && topKm <= groupsKm) {
                    pop();
                    final int at = (int) top;
                    final long id = data[at + 4];
                    if (id < 0) { // a sub-block: its cells join the heap, by their own bounds
                        expandCells((int) data[at + 5], (int) (-1 - id), stopKm);
                        continue;
                    }
                    boundKm = topKm;
                    current = at;
                    return (int) id;
                }
            }
            if (more && groupsKm <= stopKm) {
                final int g = table.ids[position];
                if (table.centerKm[position] - offsetKm - table.radiusKm[position] <= stopKm && !empty(g)) {
                    expand(table.walk[position], stopKm);
                }
                position++;
                continue;
            }
            // Every group of the table still to expand, and the heap's top, lie beyond the stop.
            if (global || stopKm < table.coverageKm) {
                return -1; // nothing outside the table can be that close
            }
            startGlobal();
        }
    }

    /** The lower bound of the cell last handed out, km, rounded down to the metre (0 when the patient may be inside). */
    double boundKm() {
        return boundKm;
    }

    /** No point of cell {@code id} is nearer to the patient than this (may be negative: inside). */
    double lowerBoundKm(final int id) {
        return Geo.distanceKm(lat, lon, latRadians, cosLat, cells.centerLat(id), cells.centerLon(id)) - cells.radiusKm(id);
    }

    /**
     * A lower bound of the cell's distance, cheaper than {@link #lowerBoundKm} (no sine, no asin):
     * the equirectangular distance to its centre with the smaller of the two latitudes' cosines,
     * less 0.1%, less the circumradius. Why it is a bound: the haversine's
     * {@code a = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2)} is at least the same with {@code cos²} of the
     * higher latitude, {@code sin x ≥ x (1 - x²/6)} and {@code asin y ≥ y}, so
     * {@code d ≥ R (1 - x²/6) √(Δφ² + cos² Δλ²)} with {@code x} half the larger angle: the 0.1%
     * covers angles up to 0.15 rad (950 km); beyond 0.1 rad the haversine is used.
     */
    private double quickLowerBoundKm(final int at) {
        final double cLat = Double.longBitsToDouble(data[at]);
        final double cLon = Double.longBitsToDouble(data[at + 1]);
        final double radius = Double.longBitsToDouble(data[at + 3]);
        final double dPhi = Math.toRadians(cLat - lat);
        final double dLambda = Math.toRadians(cLon - lon);
        if (Math.abs(dPhi) > 0.1 || Math.abs(dLambda) > 0.1) {
            return Geo.distanceKm(lat, lon, latRadians, cosLat, cLat, cLon) - radius;
        }
        final double x = dLambda * Math.min(cosLat, Double.longBitsToDouble(data[at + 2]));
        return Geo.EARTH_RADIUS_KM * 0.999 * Math.sqrt(dPhi * dPhi + x * x) - radius;
    }

    /** Pushes the records (cells, sub-blocks) of the group whose block is at {@code block} that are within the stop. */
    private void expand(final int block, final double stopKm) {
        expandCells(block + 1, (int) data[block], stopKm);
    }

    private void expandCells(final int first, final int count, final double stopKm) {
        for (int k = 0, at = first; k < count; k++, at += CellTable.WALK_LONGS) {
            bounded++;
            final double km = quickLowerBoundKm(at);
            if (km <= stopKm) { // the stop only decreases: a cell beyond it now is never wanted
                push(((long) Math.max(0, km * 1000) << 32) | at);
            }
        }
    }

    /** Entry range ({@code first | end << 32}) of the cell last handed out. */
    long range() {
        return data[current + 5];
    }

    /**
     * Entry range ({@code first | end << 32}) of the units of profession {@code k} (its ordinal)
     * in the cell last handed out: its entries are ordered by profession (CellTable#WALK_LONGS).
     */
    long range(final int k) {
        final long range = data[current + 5];
        final long splits = data[current + 6];
        final long first = k == 0 ? range & 0xFFFF_FFFFL : k == 1 ? splits & 0xFFFF_FFFFL : splits >>> 32;
        final long end = k == 0 ? splits & 0xFFFF_FFFFL : k == 1 ? splits >>> 32 : range >>> 32;
        return first | end << 32;
    }

    /**
     * How many of the entries {@link #range(int)} gives for profession {@code k} in the cell last
     * handed out are SAS participants: they come first (CellTable#WALK_LONGS).
     */
    int participants(final int k) {
        return (int) ((data[current + 7] >>> (CellTable.PARTICIPANTS_BITS * k)) & CellTable.PARTICIPANTS_MASK);
    }

    /** Circumradius of the cell last handed out, km. */
    double radiusKm() {
        return Double.longBitsToDouble(data[current + 3]);
    }

    /** Every cell of a group not in the table joins the heap. */
    private void startGlobal() {
        global = true;
        final int groups = cells.groupCount();
        if (stamp.length < groups) {
            stamp = Arrays.copyOf(stamp, groups);
        }
        if (++generation == 0) {
            Arrays.fill(stamp, 0);
            generation = 1;
        }
        for (final int id : table.ids) {
            stamp[id] = generation;
        }
        for (int g = 0; g < groups; g++) {
            if (stamp[g] == generation || empty(g)) {
                continue;
            }
            for (int i = cells.groupFirstCell(g), end = cells.groupFirstCell(g + 1); i < end; i++) {
                final int id = cells.groupCell(i);
                final long metres = (long) Math.max(0, lowerBoundKm(id) * 1000);
                heap[heapSize++] = (metres << 32) | cells.cellWalkOffset(id);
            }
        }
        for (int i = heapSize / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    private void push(final long v) {
        final long[] h = heap;
        int i = heapSize++;
        while (i > 0) {
            final int parent = (i - 1) >>> 1;
            if (h[parent] <= v) {
                break;
            }
            h[i] = h[parent];
            i = parent;
        }
        h[i] = v;
    }

    private void pop() {
        heap[0] = heap[--heapSize];
        siftDown(0);
    }

    private void siftDown(int i) {
        final long[] h = heap;
        final int n = heapSize;
        final long v = h[i];
        while (true) {
            final int l = 2 * i + 1;
            if (l >= n) {
                break;
            }
            final int c = l + 1 < n && h[l + 1] < h[l] ? l + 1 : l;
            if (h[c] >= v) {
                break;
            }
            h[i] = h[c];
            i = c;
        }
        h[i] = v;
    }
}
