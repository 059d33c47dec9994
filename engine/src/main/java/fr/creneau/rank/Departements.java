package fr.creneau.rank;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import fr.creneau.directory.Communes;

/**
 * The département of a patient's position, and the national platform's search radius of each
 * département.
 *
 * <p><b>How a query knows its département:</b> from the patient's position alone, as the commune
 * whose centre is nearest (the bundled {@link Communes} table, about 35k centres). Near a
 * département border the nearest centre may lie across it: the answer is then the neighbour's,
 * which is what a regulator of either side would accept for a radius or a regional hours rule.
 * A host that knows better (the patient's address) can set it on the query
 * ({@link RegulatorQuery#departement(String)}).
 *
 * <p><b>Radii:</b> {@code sas-radii-2025.csv} beside this class, from
 * {@code ansforge/SAS-moteur-recherche} {@code doc/data/SAS_Rayons_zones_de_recherche_2025.ods}
 * (MIT, ANS; see {@code SOURCES.md}): the office-visit radius meant to show at least five
 * practitioners with slots, and the widening step.
 *
 * <p>Memory layout: communes sorted by a 0.1° grid key into parallel primitive arrays, one sorted
 * {@code long[]} of occupied grid keys with their first commune (the ring search,
 * {@link #indexAtExact}); in front of it a {@link Lookup} table of the answer per 0.1° cell or
 * 0.02° sub-cell (about 0.7 MB, built in about 0.2 s with the rest), which answers about 90% of
 * positions near a commune with one or two array reads and nearly all others from a list of a few
 * candidate centres. Lookups allocate nothing; immutable and thread-safe once built (on first
 * use).
 */
public final class Departements {
    private static final double CELL_DEGREES = 0.1;
    private static final String RADII = "sas-radii-2025.csv";

    private final String[] codes;
    private final Map<String, Integer> byCode;
    private final double[] radiusKm;
    private final double[] enlargementKm;
    private final long[] gridKeys;
    private final int[] gridStart; // gridKeys.length + 1 entries
    private final double[] lat;
    private final double[] lon;
    private final short[] departement;
    private final Lookup lookup;

    private Departements(final Communes communes, final Map<String, double[]> radii) {
        final TreeSet<String> all = new TreeSet<>();
        for (final Communes.Commune c : communes.all()) {
            all.add(c.departement());
        }
        all.addAll(radii.keySet());
        this.codes = all.toArray(new String[0]);
        this.byCode = new HashMap<>();
        for (int i = 0; i < codes.length; i++) {
            byCode.put(codes[i], i);
        }
        this.radiusKm = new double[codes.length];
        this.enlargementKm = new double[codes.length];
        for (int i = 0; i < codes.length; i++) {
            final double[] r = radii.get(codes[i]);
            // 0 in the table means "not set" (Mayotte, Guyane).
            radiusKm[i] = r == null || r[0] <= 0 ? Double.NaN : r[0];
            enlargementKm[i] = r == null || r[1] <= 0 ? Double.NaN : r[1];
        }
        final List<Communes.Commune> sorted = new ArrayList<>(communes.all());
        // By grid key, then INSEE code: communes.all() iterates a Map.copyOf, whose order changes
        // from one JVM to the next, and the order inside a grid cell decides ties between equally
        // near centres; sorted, the answer is the same in every run.
        sorted.sort(Comparator.<Communes.Commune>comparingLong(c -> key(c.lat(), c.lon()))
            .thenComparing(Communes.Commune::inseeCode));
        final int n = sorted.size();
        lat = new double[n];
        lon = new double[n];
        departement = new short[n];
        final long[] keys = new long[n];
        final int[] starts = new int[n + 1];
        int k = 0;
        for (int i = 0; i < n; i++) {
            final Communes.Commune c = sorted.get(i);
            lat[i] = c.lat();
            lon[i] = c.lon();
            departement[i] = (short) (int) byCode.get(c.departement());
            final long key = key(c.lat(), c.lon());
            if (k == 0 || keys[k - 1] != key) {
                keys[k] = key;
                starts[k++] = i;
            }
        }
        starts[k] = n;
        this.gridKeys = Arrays.copyOf(keys, k);
        this.gridStart = Arrays.copyOf(starts, k + 1);
        this.lookup = new Lookup(lat, lon, departement, codes.length, gridKeys, gridStart);
    }

    /** The bundled communes and radii. */
    public static Departements bundled() {
        return Holder.BUNDLED;
    }

    private static long key(final double lat, final double lon) {
        return key((int) Math.floor(lat / CELL_DEGREES), (int) Math.floor(lon / CELL_DEGREES));
    }

    private static long key(final int latCell, final int lonCell) {
        return (latCell + 10_000L) * 100_000L + (lonCell + 20_000L);
    }

    /**
     * Index of the département of the commune whose centre is nearest, or -1 when no commune centre
     * lies within about 60 km (at sea, abroad). Exactly {@link #indexAtExact}'s answer for every
     * input, from the lookup table when it holds one (see {@link Lookup}). Allocation-free.
     */
    public int indexAt(final double qLat, final double qLon) {
        final int latCell = (int) Math.floor(qLat / CELL_DEGREES);
        final int lonCell = (int) Math.floor(qLon / CELL_DEGREES);
        final Lookup t = lookup;
        int v = Lookup.EXACT;
        // NaN would floor to cell 0 (inside the metropolitan box) where the exact search says -1.
        if (qLat == qLat && qLon == qLon) {
            for (int k = 0; k < t.boxLat0.length; k++) {
                // Subtractions may wrap for a far-off (or infinite) input: wrapped values fail one
                // of the tests since boxes are small.
                final int y = latCell - t.boxLat0[k];
                final int x = lonCell - t.boxLon0[k];
                if (y >= 0 && y < t.boxHeight[k] && x >= 0 && x < t.boxWidth[k]) {
                    v = t.coarse[t.boxBase[k] + y * t.boxWidth[k] + x];
                    break;
                }
            }
        }
        if (v >= -1) {
            return v;
        }
        if (v != Lookup.EXACT) {
            final int sy = Lookup.sub(qLat - latCell * CELL_DEGREES);
            final int sx = Lookup.sub(qLon - lonCell * CELL_DEGREES);
            v = t.fine[-2 - v + sy * Lookup.FINE + sx];
            if (v >= 0) {
                return v;
            }
            if (v != Lookup.EXACT) {
                return nearestOf(t.candidates, -2 - v, qLat, qLon);
            }
        }
        return indexAtExact(qLat, qLon);
    }

    /**
     * Which part of the table answers at a position, for the statistics: 0 a whole cell (or -1),
     * 1 a sub-cell's département, 2 a candidate list, 3 the ring search.
     */
    int pathOf(final double qLat, final double qLon) {
        final int latCell = (int) Math.floor(qLat / CELL_DEGREES);
        final int lonCell = (int) Math.floor(qLon / CELL_DEGREES);
        final Lookup t = lookup;
        for (int k = 0; k < t.boxLat0.length; k++) {
            final int y = latCell - t.boxLat0[k];
            final int x = lonCell - t.boxLon0[k];
            if (qLat == qLat && qLon == qLon && y >= 0 && y < t.boxHeight[k] && x >= 0 && x < t.boxWidth[k]) {
                final int v = t.coarse[t.boxBase[k] + y * t.boxWidth[k] + x];
                if (v >= -1 || v == Lookup.EXACT) {
                    return v == Lookup.EXACT ? 3 : 0;
                }
                final int e = t.fine[-2 - v + Lookup.sub(qLat - latCell * CELL_DEGREES) * Lookup.FINE
                    + Lookup.sub(qLon - lonCell * CELL_DEGREES)];
                return e >= 0 ? 1 : e == Lookup.EXACT ? 3 : 2;
            }
        }
        return 3;
    }

    /**
     * The exact search restricted to a candidate list (count, then commune indices ascending): the
     * same arithmetic, and ascending indices are the exact search's first-ring scan order, so the
     * same first minimum wins a tie.
     */
    private int nearestOf(final int[] candidates, final int at, final double qLat, final double qLon) {
        final double cos = Math.cos(Math.toRadians(qLat));
        int best = -1;
        double bestD = Double.MAX_VALUE;
        for (int k = at + 1, end = at + 1 + candidates[at]; k < end; k++) {
            final int i = candidates[k];
            final double d = squared(i, qLat, qLon, cos);
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return departement[best];
    }

    /**
     * The squared equirectangular distance (degrees, longitude scaled by {@code cos}) from the
     * query to commune {@code i}: one definition for the exact search and the candidate lists, so
     * that both compare the same doubles.
     */
    private double squared(final int i, final double qLat, final double qLon, final double cos) {
        final double y = lat[i] - qLat;
        final double x = (lon[i] - qLon) * cos;
        return x * x + y * y;
    }

    /**
     * The reference search that defines {@link #indexAt}: a ring search over the 0.1° grid. Kept as
     * is (the lookup table is proved against it, and the tests compare with it). Allocation-free.
     */
    int indexAtExact(final double qLat, final double qLon) {
        final int latCell = (int) Math.floor(qLat / CELL_DEGREES);
        final int lonCell = (int) Math.floor(qLon / CELL_DEGREES);
        final double cos = Math.cos(Math.toRadians(qLat));
        int best = -1;
        double bestD = Double.MAX_VALUE;
        for (int r = 1; r <= 6; r++) {
            // Rings grow until one holds a centre; one more ring then catches a nearer centre in a
            // diagonal neighbour (a cell is 11 km high, at most 11 km wide).
            for (int dy = -r; dy <= r; dy++) {
                for (int dx = -r; dx <= r; dx++) {
                    if (r > 1 && Math.abs(dy) != r && Math.abs(dx) != r) {
                        continue; // inner cells were read in an earlier ring
                    }
                    final int g = Arrays.binarySearch(gridKeys, key(latCell + dy, lonCell + dx));
                    if (g < 0) {
                        continue;
                    }
                    for (int i = gridStart[g]; i < gridStart[g + 1]; i++) {
                        final double d = squared(i, qLat, qLon, cos);
                        if (d < bestD) {
                            bestD = d;
                            best = i;
                        }
                    }
                }
            }
            // Every centre outside the (2r + 1)² block read so far is at least as far as the block's
            // nearest edge (latitude as is, longitude scaled like the distances): once the best
            // found is nearer than that, no other can beat it (most queries stop after the 3 × 3).
            final double margin = Math.min(
                Math.min(qLat - (latCell - r) * CELL_DEGREES, (latCell + r + 1) * CELL_DEGREES - qLat),
                cos * Math.min(qLon - (lonCell - r) * CELL_DEGREES, (lonCell + r + 1) * CELL_DEGREES - qLon));
            if (best >= 0 && Math.sqrt(bestD) < Math.max(margin, (r - 1) * CELL_DEGREES)) {
                break;
            }
        }
        return best < 0 ? -1 : departement[best];
    }

    /** The lookup table, for its tests and statistics. */
    Lookup lookup() {
        return lookup;
    }

    /** Number of départements known. */
    public int size() {
        return codes.length;
    }

    /** The code (01..95, 2A, 2B, 971..976) of an index. */
    public String code(final int index) {
        return codes[index];
    }

    /** The index of a code, or -1. */
    public int indexOf(final String code) {
        final Integer i = code == null ? null : byCode.get(code);
        return i == null ? -1 : i;
    }

    /** The code at a position, or {@code null} (see {@link #indexAt}). */
    public String codeAt(final double lat, final double lon) {
        final int i = indexAt(lat, lon);
        return i < 0 ? null : codes[i];
    }

    /** The platform's default office-visit radius of the département, km, or NaN when not set. */
    public double radiusKm(final int index) {
        return radiusKm[index];
    }

    /** The platform's widening step of the département, km, or NaN when not set. */
    public double enlargementKm(final int index) {
        return enlargementKm[index];
    }

    private static Map<String, double[]> loadRadii() {
        final Map<String, double[]> radii = new HashMap<>();
        try (InputStream in = Departements.class.getResourceAsStream(RADII)) {
            if (in == null) {
                throw new IllegalStateException("bundled " + RADII + " missing from the class path");
            }
            final BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            r.readLine(); // header
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                final String[] f = line.split(",", -1);
                radii.put(f[0], new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + RADII, e);
        }
        return radii;
    }

    /**
     * The answer of {@link #indexAtExact} for whole areas at once, proved at construction, so that
     * most queries read one or two array entries instead of running the ring search.
     *
     * <p><b>Layout:</b> a few rectangular boxes of 0.1° grid cells (each département's communes'
     * cells, padded by {@link #PAD} cells, overlapping boxes merged: metropolitan France, Corsica and
     * the overseas départements), each a row-major run of {@link #coarse}. A coarse entry is a
     * département index when every point of the cell has that answer, -1 when no commune lies in
     * the 13 × 13 cells the ring search reads (its answer is then -1), {@link #EXACT} when nothing
     * in it could be proved (at sea near a coast), or {@code -2 - offset} of a block of {@link #FINE} × {@link #FINE} entries of {@link #fine} (row-major, latitude rows)
     * over the cell's sub-cells. A fine entry is a département index, {@link #EXACT} (run the ring
     * search) or {@code -2 - offset} of a candidate list in {@link #candidates} (count, then commune
     * indices ascending). A position outside every box runs the ring search.
     *
     * <p><b>Why a proved entry is the ring search's answer.</b> The ring search always reads the
     * 3 × 3 cells around the query's cell first and afterwards replaces its best only by a
     * strictly nearer centre; commune indices ascend in its scan order. So when every centre that
     * could be nearest to the query lies in those 3 × 3 cells, its answer is the first (lowest
     * index) of the nearest centres, however far it then looks. For an area A (a cell or a
     * sub-cell, widened by {@link #EPS_DEGREES} for the rounding of the grid's floors), with the
     * metric's cos(lat) bounded over A by [cosMin, cosMax]: U = min over the 3 × 3 cells' centres p
     * of the largest distance from A to p (cosMax) bounds every query's nearest distance; a centre
     * whose smallest distance to A (cosMin) exceeds U (times 1 + {@link #SLACK}, far more than the
     * rounding of the distances) is farther than that p from every query of A, and cannot be
     * nearest nor tie. The remaining centres are A's candidates; they all lie in the 3 × 3 cells
     * when U is below the distance from A to the edge of those cells. Then the answer at any query
     * of A is the first nearest of the candidates: one département when they share it, else
     * computed over the candidates alone. When the bound fails (a sub-cell far from every centre,
     * at sea or in Guyane's forest), the entry says {@link #EXACT}.
     *
     * <p><b>Thread-safety:</b> built eagerly in the constructor and never written afterwards;
     * final fields, so it is safely published with its {@link Departements}.
     */
    static final class Lookup {
        /**
         * Sub-cells per side of a 0.1° cell: 0.02° (about 2.2 × 1.5 km in the metropolitan area).
         * Measured (DepartementsTest's statistics) near communes: 4 leaves 12.7% of positions to a
         * candidate list in 0.6 MB, 5 9.5% in 0.7 MB, 8 5.3% in 1.2 MB, 10 4.2% in 1.6 MB (build
         * time growing alike); a candidate list costs tens of ns, so 5.
         */
        static final int FINE = 5;
        /** An entry meaning "run the ring search". */
        static final int EXACT = Integer.MIN_VALUE;
        /** Box padding, in cells: one more than the ring search's reach, so its -1 cells are in boxes. */
        private static final int PAD = 7;
        /** Far above the floors' and the subtractions' rounding (about 1e-14°), far below a sub-cell. */
        private static final double EPS_DEGREES = 1e-9;
        private static final double SLACK = 1e-9;
        private static final double FINE_PER_DEGREE = FINE / CELL_DEGREES;

        final int[] boxLat0;
        final int[] boxLon0;
        final int[] boxHeight;
        final int[] boxWidth;
        final int[] boxBase;
        final int[] coarse;
        final int[] fine;
        final int[] candidates;

        /** Cells by kind: uniform, none (-1), split into sub-cells, left to the ring search. */
        final int uniformCells;
        final int noneCells;
        final int splitCells;
        final int exactCells;
        /** Sub-cells of the split cells by kind. */
        final int uniformSubCells;
        final int candidateSubCells;
        final int exactSubCells;
        final long buildNanos;

        private final double[] lat;
        private final double[] lon;
        private final short[] departement;
        private final long[] gridKeys;
        private final int[] gridStart;
        // Build-time scratch.
        private final int[] rangeFrom = new int[9];
        private final int[] rangeTo = new int[9];
        private int ranges;
        private int[] scratch = new int[256];
        private int scratchSize;

        /** The sub-cell (0 .. FINE - 1) of an offset into a cell, in degrees. */
        static int sub(final double offsetDegrees) {
            final int s = (int) (offsetDegrees * FINE_PER_DEGREE);
            return s < 0 ? 0 : s >= FINE ? FINE - 1 : s;
        }

        Lookup(final double[] lat, final double[] lon, final short[] departement, final int departements,
               final long[] gridKeys, final int[] gridStart) {
            final long t0 = System.nanoTime();
            this.lat = lat;
            this.lon = lon;
            this.departement = departement;
            this.gridKeys = gridKeys;
            this.gridStart = gridStart;
            final List<int[]> boxes = boxes(departements); // {lat0, lon0, lat1, lon1}, ends exclusive
            final int n = boxes.size();
            boxLat0 = new int[n];
            boxLon0 = new int[n];
            boxHeight = new int[n];
            boxWidth = new int[n];
            boxBase = new int[n];
            int total = 0;
            for (int k = 0; k < n; k++) {
                final int[] b = boxes.get(k);
                boxLat0[k] = b[0];
                boxLon0[k] = b[1];
                boxHeight[k] = b[2] - b[0];
                boxWidth[k] = b[3] - b[1];
                boxBase[k] = total;
                total += boxHeight[k] * boxWidth[k];
            }
            coarse = new int[total];
            int[] fineBuf = new int[1 << 16];
            int fineSize = 0;
            int[] candBuf = new int[1 << 16];
            int candSize = 0;
            final int[] block = new int[FINE * FINE];
            int uniform = 0;
            int none = 0;
            int split = 0;
            int unproved = 0;
            int uniformSub = 0;
            int candidateSub = 0;
            int exactSub = 0;
            for (int k = 0; k < n; k++) {
                final int h = boxHeight[k];
                final int w = boxWidth[k];
                final int[] occupied = occupiedSums(boxLat0[k], boxLon0[k], h, w);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        final int a = boxLat0[k] + y;
                        final int b = boxLon0[k] + x;
                        final int at = boxBase[k] + y * w + x;
                        // Every occupied cell within 6 of a box cell is in the same box: its
                        // département's padded box holds that cell, and merged boxes are disjoint.
                        if (count(occupied, w, h, y - 6, x - 6, y + 7, x + 7) == 0) {
                            coarse[at] = -1;
                            none++;
                            continue;
                        }
                        blockRanges(a, b);
                        if (ranges == 0) {
                            coarse[at] = EXACT; // no centre in the first ring: nothing to prove
                            unproved++;
                            continue;
                        }
                        final int whole = prove(a, b, a * CELL_DEGREES, (a + 1) * CELL_DEGREES,
                            b * CELL_DEGREES, (b + 1) * CELL_DEGREES);
                        if (whole >= 0) {
                            coarse[at] = whole;
                            uniform++;
                            continue;
                        }
                        int same = -2;
                        for (int sy = 0; sy < FINE; sy++) {
                            for (int sx = 0; sx < FINE; sx++) {
                                final double la0 = a * CELL_DEGREES + sy * (CELL_DEGREES / FINE);
                                final double lo0 = b * CELL_DEGREES + sx * (CELL_DEGREES / FINE);
                                final int r = prove(a, b, la0, la0 + CELL_DEGREES / FINE, lo0, lo0 + CELL_DEGREES / FINE);
                                int e;
                                if (r >= 0 || r == EXACT) {
                                    e = r;
                                } else if (candSize > 0 && sameAsLast(candBuf, candSize)) {
                                    e = -2 - (candSize - scratchSize - 1); // the previous list again
                                } else {
                                    if (candSize + scratchSize + 1 > candBuf.length) {
                                        candBuf = Arrays.copyOf(candBuf, Math.max(2 * candBuf.length, candSize + scratchSize + 1));
                                    }
                                    e = -2 - candSize;
                                    candBuf[candSize++] = scratchSize;
                                    System.arraycopy(scratch, 0, candBuf, candSize, scratchSize);
                                    candSize += scratchSize;
                                }
                                block[sy * FINE + sx] = e;
                                same = sy == 0 && sx == 0 ? e : same == e ? e : -2;
                            }
                        }
                        if (same >= 0 || same == EXACT) {
                            // Each sub-cell proved alone, all with one département: the cell is
                            // uniform; or none proved (at sea): the ring search without a block.
                            coarse[at] = same;
                            if (same >= 0) {
                                uniform++;
                            } else {
                                unproved++;
                            }
                            continue;
                        }
                        if (fineSize + block.length > fineBuf.length) {
                            fineBuf = Arrays.copyOf(fineBuf, 2 * fineBuf.length);
                        }
                        coarse[at] = -2 - fineSize;
                        System.arraycopy(block, 0, fineBuf, fineSize, block.length);
                        fineSize += block.length;
                        split++;
                        for (final int e : block) {
                            if (e >= 0) {
                                uniformSub++;
                            } else if (e == EXACT) {
                                exactSub++;
                            } else {
                                candidateSub++;
                            }
                        }
                    }
                }
            }
            fine = Arrays.copyOf(fineBuf, fineSize);
            candidates = Arrays.copyOf(candBuf, candSize);
            uniformCells = uniform;
            noneCells = none;
            splitCells = split;
            exactCells = unproved;
            uniformSubCells = uniformSub;
            candidateSubCells = candidateSub;
            exactSubCells = exactSub;
            scratch = null;
            buildNanos = System.nanoTime() - t0;
        }

        /** Bytes of the table's arrays (headers not counted). */
        long bytes() {
            return 4L * (coarse.length + fine.length + candidates.length + 5L * boxLat0.length);
        }

        /** Whether the list in the scratch equals the last list stored in {@code buf[0, size)}. */
        private boolean sameAsLast(final int[] buf, final int size) {
            final int at = size - scratchSize - 1;
            if (at < 0 || buf[at] != scratchSize) {
                return false;
            }
            for (int i = 0; i < scratchSize; i++) {
                if (buf[at + 1 + i] != scratch[i]) {
                    return false;
                }
            }
            return true;
        }

        /** Each département's cells padded by PAD, overlapping boxes merged, largest first. */
        private List<int[]> boxes(final int departements) {
            final int[][] byDep = new int[departements][];
            for (int i = 0; i < lat.length; i++) {
                final int a = (int) Math.floor(lat[i] / CELL_DEGREES);
                final int b = (int) Math.floor(lon[i] / CELL_DEGREES);
                final int[] box = byDep[departement[i]];
                if (box == null) {
                    byDep[departement[i]] = new int[] {a - PAD, b - PAD, a + PAD + 1, b + PAD + 1};
                } else {
                    box[0] = Math.min(box[0], a - PAD);
                    box[1] = Math.min(box[1], b - PAD);
                    box[2] = Math.max(box[2], a + PAD + 1);
                    box[3] = Math.max(box[3], b + PAD + 1);
                }
            }
            final List<int[]> boxes = new ArrayList<>();
            for (final int[] box : byDep) {
                if (box != null) {
                    boxes.add(box);
                }
            }
            for (boolean merged = true; merged; ) {
                merged = false;
                for (int i = 0; i < boxes.size() && !merged; i++) {
                    for (int j = i + 1; j < boxes.size() && !merged; j++) {
                        final int[] p = boxes.get(i);
                        final int[] q = boxes.get(j);
                        if (p[0] < q[2] && q[0] < p[2] && p[1] < q[3] && q[1] < p[3]) {
                            p[0] = Math.min(p[0], q[0]);
                            p[1] = Math.min(p[1], q[1]);
                            p[2] = Math.max(p[2], q[2]);
                            p[3] = Math.max(p[3], q[3]);
                            boxes.remove(j);
                            merged = true;
                        }
                    }
                }
            }
            boxes.sort((p, q) -> Long.compare((long) (q[2] - q[0]) * (q[3] - q[1]), (long) (p[2] - p[0]) * (p[3] - p[1])));
            return boxes;
        }

        /** Summed-area table of the box's occupied cells, (h + 1) × (w + 1). */
        private int[] occupiedSums(final int lat0, final int lon0, final int h, final int w) {
            final int[] s = new int[(h + 1) * (w + 1)];
            for (final long key : gridKeys) {
                final int y = (int) (key / 100_000L - 10_000L) - lat0;
                final int x = (int) (key % 100_000L - 20_000L) - lon0;
                if (y >= 0 && y < h && x >= 0 && x < w) {
                    s[(y + 1) * (w + 1) + x + 1] = 1;
                }
            }
            for (int y = 1; y <= h; y++) {
                for (int x = 1; x <= w; x++) {
                    s[y * (w + 1) + x] += s[(y - 1) * (w + 1) + x] + s[y * (w + 1) + x - 1] - s[(y - 1) * (w + 1) + x - 1];
                }
            }
            return s;
        }

        /** Occupied cells in rows [y0, y1), columns [x0, x1), clamped to the box. */
        private static int count(final int[] s, final int w, final int h, final int y0, final int x0, final int y1, final int x1) {
            final int ya = Math.max(0, y0);
            final int xa = Math.max(0, x0);
            final int yb = Math.min(h, y1);
            final int xb = Math.min(w, x1);
            if (ya >= yb || xa >= xb) {
                return 0;
            }
            final int w1 = w + 1;
            return s[yb * w1 + xb] - s[ya * w1 + xb] - s[yb * w1 + xa] + s[ya * w1 + xa];
        }

        /** The commune index ranges of the 3 × 3 cells around (a, b), in the ring search's order. */
        private void blockRanges(final int a, final int b) {
            ranges = 0;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    final int g = Arrays.binarySearch(gridKeys, key(a + dy, b + dx));
                    if (g >= 0) {
                        rangeFrom[ranges] = gridStart[g];
                        rangeTo[ranges++] = gridStart[g + 1];
                    }
                }
            }
        }

        /**
         * For the area [la0, la1] × [lo0, lo1] of cell (a, b) (the 3 × 3 ranges set): the département
         * every query of it gets, or -1 with the candidates in the scratch, or EXACT (see the class).
         */
        private int prove(final int a, final int b, final double la0In, final double la1In,
                          final double lo0In, final double lo1In) {
            final double la0 = la0In - EPS_DEGREES;
            final double la1 = la1In + EPS_DEGREES;
            final double lo0 = lo0In - EPS_DEGREES;
            final double lo1 = lo1In + EPS_DEGREES;
            final double nearAbs = la0 <= 0 && la1 >= 0 ? 0 : Math.min(Math.abs(la0), Math.abs(la1));
            final double farAbs = Math.max(Math.abs(la0), Math.abs(la1));
            // 1e-12: Math.cos and toRadians are within an ulp or two.
            final double cosMax = Math.cos(Math.toRadians(nearAbs)) * (1 + 1e-12);
            final double cosMin = Math.cos(Math.toRadians(farAbs)) * (1 - 1e-12);
            double u2 = Double.POSITIVE_INFINITY;
            for (int r = 0; r < ranges; r++) {
                for (int i = rangeFrom[r]; i < rangeTo[r]; i++) {
                    final double dy = Math.max(Math.abs(lat[i] - la0), Math.abs(lat[i] - la1));
                    final double dx = Math.max(Math.abs(lon[i] - lo0), Math.abs(lon[i] - lo1)) * cosMax;
                    u2 = Math.min(u2, dy * dy + dx * dx);
                }
            }
            final double bound = u2 * (1 + SLACK);
            final double edge = Math.min(
                Math.min(la0 - (a - 1) * CELL_DEGREES, (a + 2) * CELL_DEGREES - la1),
                cosMin * Math.min(lo0 - (b - 1) * CELL_DEGREES, (b + 2) * CELL_DEGREES - lo1)) - EPS_DEGREES;
            if (!(bound < Double.POSITIVE_INFINITY) || edge <= 0 || edge * edge <= bound) {
                return EXACT;
            }
            scratchSize = 0;
            int dep = -1;
            boolean one = true;
            for (int r = 0; r < ranges; r++) {
                for (int i = rangeFrom[r]; i < rangeTo[r]; i++) {
                    final double dy = Math.max(0, Math.max(la0 - lat[i], lat[i] - la1));
                    final double dx = Math.max(0, Math.max(lo0 - lon[i], lon[i] - lo1)) * cosMin;
                    if (dy * dy + dx * dx <= bound) {
                        if (scratchSize == scratch.length) {
                            scratch = Arrays.copyOf(scratch, 2 * scratch.length);
                        }
                        scratch[scratchSize++] = i;
                        one &= dep < 0 || dep == departement[i];
                        dep = departement[i];
                    }
                }
            }
            return one ? dep : -1;
        }
    }

    private static final class Holder {
        static final Departements BUNDLED = new Departements(Communes.bundled(), loadRadii());
    }
}
