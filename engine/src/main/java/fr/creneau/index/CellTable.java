package fr.creneau.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.uber.h3core.util.LatLng;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2LongHashMap;

import fr.creneau.directory.Cpts;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;

/**
 * The H3 cells that hold practitioners, each with a dense {@code int} id, its centre and
 * circumradius, and the practitioners in it; and, per practitioner, their cell and position as
 * primitives for the query path.
 *
 * <p><b>Resolution 7</b> (mean area 5.2 km², edge 1.4 km). Practitioner density in the INSEE and
 * ameli data spans three orders of magnitude: Paris has ~9,000 inhabitants/km² and one GP per
 * ~1,100 inhabitants (≈ 8 GPs/km², three times that counting nurses), Lozère ~15 inhabitants/km².
 * At resolution 7 a Paris cell holds ~40 GPs (the ten nearest are found in the patient's cell and
 * its first ring), while a 30 km radius is about 13 rings (~550 cells, most of them empty and so
 * absent from this table, outside cities). Resolution 6 (36 km²) would put ~300 GPs and ~1,000
 * practitioners in a Paris cell, all scanned before the first can be ranked; resolution 8
 * (0.7 km²) would need ~35 rings (~3,800 cells) for a rural 30 km search.
 *
 * <p><b>Stable ids.</b> A table built from a previous one keeps every cell's id, so the slot chains
 * of the {@link SlotIndex}, indexed by cell id, stay valid across directory reloads.
 *
 * <p>Immutable and thread-safe; the index publishes a new table on each directory change.
 */
public final class CellTable {
    /** H3 resolution of the cells slots are keyed by. */
    public static final int RESOLUTION = 7;
    private static final long MISSING = -1L;

    private final Directory directory;
    /** Cell ids sorted by H3 address, for {@link #idOf} by binary search: 4 B per cell, not a hash map's ~40. */
    private final int[] idsByAddress;
    private final long[] cells;
    private final double[] centerLat;
    private final double[] centerLon;
    private final double[] radiusKm;
    private final int[][] practitionersByCell;
    private final int[] practitionerCell;
    private final double[] lat;
    private final double[] lon;
    private final byte[] profession;
    private final boolean[] acceptsExtraPatients;
    private final int[] cptsIndex;
    private final Cpts[] cpts;

    private CellTable(final Directory directory, final int[] idsByAddress, final long[] cells, final double[] centerLat,
                      final double[] centerLon, final double[] radiusKm, final int[][] practitionersByCell,
                      final int[] practitionerCell, final double[] lat, final double[] lon, final byte[] profession,
                      final boolean[] acceptsExtraPatients, final int[] cptsIndex, final Cpts[] cpts) {
        this.directory = directory;
        this.idsByAddress = idsByAddress;
        this.cells = cells;
        this.centerLat = centerLat;
        this.centerLon = centerLon;
        this.radiusKm = radiusKm;
        this.practitionersByCell = practitionersByCell;
        this.practitionerCell = practitionerCell;
        this.lat = lat;
        this.lon = lon;
        this.profession = profession;
        this.acceptsExtraPatients = acceptsExtraPatients;
        this.cptsIndex = cptsIndex;
        this.cpts = cpts;
    }

    /** An empty table. */
    static CellTable empty() {
        return build(Directory.builder().build(), null);
    }

    /**
     * The table for {@code directory}, keeping the cell ids of {@code previous} (may be {@code null}).
     * Calls h3 once per practitioner and per new cell: a directory-load cost, never a query cost.
     */
    static CellTable build(final Directory directory, final CellTable previous) {
        final int practitioners = directory.capacity();
        final int[] practitionerCell = new int[practitioners];
        final double[] lat = new double[practitioners];
        final double[] lon = new double[practitioners];
        final byte[] profession = new byte[practitioners];
        final boolean[] extra = new boolean[practitioners];
        final int[] cptsIndex = new int[practitioners];
        final Map<String, Integer> cptsIds = new HashMap<>();
        final List<Cpts> cptsList = new ArrayList<>();
        Arrays.fill(practitionerCell, -1);
        Arrays.fill(cptsIndex, -1);

        final Long2LongHashMap idByCell = new Long2LongHashMap(MISSING);
        final IntArrayList order = new IntArrayList();
        long[] cells = new long[16];
        int count = 0;
        if (previous != null) {
            cells = Arrays.copyOf(previous.cells, Math.max(16, previous.cells.length));
            count = previous.cells.length;
            for (int id = 0; id < count; id++) {
                idByCell.put(cells[id], id);
            }
        }
        for (int i = 0; i < practitioners; i++) {
            final Practitioner p = directory.get(i);
            if (p == null) {
                continue;
            }
            final long cell = H3.CORE.latLngToCell(p.lat(), p.lon(), RESOLUTION);
            long id = idByCell.get(cell);
            if (id == MISSING) {
                id = count++;
                if (id == cells.length) {
                    cells = Arrays.copyOf(cells, cells.length * 2);
                }
                cells[(int) id] = cell;
                idByCell.put(cell, id);
            }
            practitionerCell[i] = (int) id;
            lat[i] = p.lat();
            lon[i] = p.lon();
            profession[i] = (byte) p.profession().ordinal();
            extra[i] = p.acceptsExtraPatients();
            if (p.participation() == Participation.CPTS && p.cpts() != null) {
                // The CPTS is the contact only for those who registered through it.
                cptsIndex[i] = cptsIds.computeIfAbsent(p.cpts().id(), k -> {
                    cptsList.add(p.cpts());
                    return cptsList.size() - 1;
                });
            }
            order.addInt(i);
        }
        cells = Arrays.copyOf(cells, count);
        final double[] centerLat = new double[count];
        final double[] centerLon = new double[count];
        final double[] radiusKm = new double[count];
        final int known = previous == null ? 0 : previous.cells.length;
        if (previous != null) {
            System.arraycopy(previous.centerLat, 0, centerLat, 0, known);
            System.arraycopy(previous.centerLon, 0, centerLon, 0, known);
            System.arraycopy(previous.radiusKm, 0, radiusKm, 0, known);
        }
        for (int id = known; id < count; id++) {
            final LatLng c = H3.CORE.cellToLatLng(cells[id]);
            centerLat[id] = c.lat;
            centerLon[id] = c.lng;
            radiusKm[id] = circumradiusKm(cells[id], c);
        }
        final int[] sizes = new int[count];
        for (int k = 0; k < order.size(); k++) {
            sizes[practitionerCell[order.getInt(k)]]++;
        }
        final int[][] byCell = new int[count][];
        for (int id = 0; id < count; id++) {
            byCell[id] = new int[sizes[id]];
            sizes[id] = 0;
        }
        for (int k = 0; k < order.size(); k++) {
            final int p = order.getInt(k);
            final int id = practitionerCell[p];
            byCell[id][sizes[id]++] = p;
        }
        final long[] sorted = cells.clone();
        Arrays.sort(sorted);
        final int[] idsByAddress = new int[count];
        for (int i = 0; i < count; i++) {
            idsByAddress[i] = (int) idByCell.get(sorted[i]);
        }
        return new CellTable(directory, idsByAddress, cells, centerLat, centerLon, radiusKm, byCell, practitionerCell, lat, lon,
            profession, extra, cptsIndex, cptsList.toArray(new Cpts[0]));
    }

    /** Distance from the centre to the farthest vertex: no point of the cell is farther. */
    static double circumradiusKm(final long cell, final LatLng center) {
        final List<LatLng> boundary = H3.CORE.cellToBoundary(cell);
        double max = 0;
        for (final LatLng v : boundary) {
            max = Math.max(max, Geo.distanceKm(center.lat, center.lng, v.lat, v.lng));
        }
        return max;
    }

    /** The directory this table was built from: the one every index reader should resolve against. */
    public Directory directory() {
        return directory;
    }

    /** Number of cells (ids are {@code 0..cellCount()-1}). */
    public int cellCount() {
        return cells.length;
    }

    /** Id of an H3 cell, or -1 when no practitioner is in it. Allocation-free. */
    public int idOf(final long cell) {
        int lo = 0;
        int hi = idsByAddress.length - 1;
        while (lo <= hi) {
            final int mid = (lo + hi) >>> 1;
            final long c = cells[idsByAddress[mid]];
            if (c < cell) {
                lo = mid + 1;
            } else if (c > cell) {
                hi = mid - 1;
            } else {
                return idsByAddress[mid];
            }
        }
        return -1;
    }

    /** The H3 cell of an id. */
    public long cell(final int id) {
        return cells[id];
    }

    public double centerLat(final int id) {
        return centerLat[id];
    }

    public double centerLon(final int id) {
        return centerLon[id];
    }

    /** No point of the cell is farther than this from its centre, km. */
    public double radiusKm(final int id) {
        return radiusKm[id];
    }

    /** Practitioners in a cell (directory indices); the array must not be modified. */
    public int[] practitionersIn(final int id) {
        return practitionersByCell[id];
    }

    /** Cell id of a practitioner, or -1 for a hole or an unknown index. */
    public int cellOf(final int practitioner) {
        return practitioner >= 0 && practitioner < practitionerCell.length ? practitionerCell[practitioner] : -1;
    }

    /** Number of practitioner positions (the directory's capacity when built). */
    public int practitionerCapacity() {
        return practitionerCell.length;
    }

    public double lat(final int practitioner) {
        return lat[practitioner];
    }

    public double lon(final int practitioner) {
        return lon[practitioner];
    }

    /** {@link fr.creneau.directory.Profession} ordinal of a practitioner. */
    public int profession(final int practitioner) {
        return profession[practitioner];
    }

    /** Accepts patients on top of their appointments (surnuméraire). */
    public boolean acceptsExtraPatients(final int practitioner) {
        return acceptsExtraPatients[practitioner];
    }

    /** Dense index of the CPTS a practitioner registered through, or -1. */
    public int cptsIndex(final int practitioner) {
        return cptsIndex[practitioner];
    }

    /** The CPTS with that dense index. */
    public Cpts cpts(final int index) {
        return cpts[index];
    }

    /** Number of distinct CPTS practitioners registered through. */
    public int cptsCount() {
        return cpts.length;
    }

    /** Heap bytes of the primitive arrays, for the stats. */
    long heapBytes() {
        long bytes = cells.length * (8L + 8 + 8 + 8 + 16) + practitionerCell.length * (4L + 8 + 8 + 1 + 1 + 4);
        for (final int[] list : practitionersByCell) {
            bytes += 16 + 4L * list.length;
        }
        return bytes + idsByAddress.length * 4L;
    }
}
