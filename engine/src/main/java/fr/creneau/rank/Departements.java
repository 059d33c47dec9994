package fr.creneau.rank;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
 * {@code long[]} of occupied grid keys with their first commune. Lookups allocate nothing;
 * immutable and thread-safe once built (on first use).
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
        sorted.sort((a, b) -> Long.compare(key(a.lat(), a.lon()), key(b.lat(), b.lon())));
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
     * lies within about 60 km (at sea, abroad). Allocation-free.
     */
    public int indexAt(final double qLat, final double qLon) {
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
                        final double y = lat[i] - qLat;
                        final double x = (lon[i] - qLon) * cos;
                        final double d = x * x + y * y;
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

    private static final class Holder {
        static final Departements BUNDLED = new Departements(Communes.bundled(), loadRadii());
    }
}
