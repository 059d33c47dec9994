package fr.creneau.rank;

import java.util.Arrays;

import fr.creneau.index.CellTable;
import fr.creneau.index.Geo;

/**
 * Hands out the occupied cells around a patient in increasing order of their distance lower bound,
 * as long as that bound does not exceed the caller's current stop distance: first from the
 * patient cell's {@link RingTable}, then, only when the stop distance reaches past the table's
 * coverage (a teleconsultation with no distance limit, a desert), from a binary heap over every
 * other occupied cell. The heap lives in reused arrays: no allocation either way.
 *
 * <p>A cell's lower bound is the distance from the patient to its centre minus its circumradius:
 * no practitioner in it can be nearer.
 *
 * <p>Not thread-safe: owned by one {@link Searcher}.
 */
final class CellWalk {
    private RingTable table;
    private CellTable cells;
    private double lat;
    private double lon;
    /** The patient's latitude in radians and its cosine, once per walk (see {@link Geo#distanceKm(double, double, double, double, double, double)}). */
    private double latRadians;
    private double cosLat;
    private int position;
    private boolean global;
    private long[] heap = new long[0];
    private int heapSize;
    private int[] stamp = new int[0];
    private int generation;

    void start(final double lat, final double lon, final RingTable table) {
        this.table = table;
        this.cells = table.cells;
        this.lat = lat;
        this.lon = lon;
        this.latRadians = Math.toRadians(lat);
        this.cosLat = Math.cos(latRadians);
        this.position = 0;
        this.global = false;
        this.heapSize = 0;
    }

    /** The next cell whose lower bound is at most {@code stopKm}, or -1 when no further cell can be. */
    int next(final double stopKm) {
        while (!global) {
            if (position == table.ids.length
                || table.centerKm[position] - table.patientRadiusKm - table.maxRadiusKm > stopKm) {
                if (stopKm < table.coverageKm) {
                    return -1; // nothing outside the table can be that close
                }
                startGlobal();
                break;
            }
            final int id = table.ids[position++];
            if (lowerBoundKm(id) <= stopKm) {
                return id;
            }
        }
        while (heapSize > 0) {
            final long top = heap[0];
            if ((top >>> 32) / 1000.0 > stopKm) {
                return -1;
            }
            pop();
            return (int) top;
        }
        return -1;
    }

    /** No point of cell {@code id} is nearer to the patient than this (may be negative: inside). */
    double lowerBoundKm(final int id) {
        return Geo.distanceKm(lat, lon, latRadians, cosLat, cells.centerLat(id), cells.centerLon(id)) - cells.radiusKm(id);
    }

    /** Heap of every occupied cell not in the table, keyed by lower bound in metres. */
    private void startGlobal() {
        global = true;
        final int count = cells.cellCount();
        if (stamp.length < count) {
            stamp = Arrays.copyOf(stamp, count);
            heap = new long[count];
        }
        if (++generation == 0) {
            Arrays.fill(stamp, 0);
            generation = 1;
        }
        for (final int id : table.ids) {
            stamp[id] = generation;
        }
        heapSize = 0;
        for (int id = 0; id < count; id++) {
            if (stamp[id] != generation) {
                final long metres = (long) Math.max(0, lowerBoundKm(id) * 1000);
                heap[heapSize++] = (metres << 32) | id;
            }
        }
        for (int i = heapSize / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
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
