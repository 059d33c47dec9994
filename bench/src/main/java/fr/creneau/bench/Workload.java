package fr.creneau.bench;

import java.util.Set;
import java.util.SplittableRandom;

import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2ObjectHashMap;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Profession;
import fr.creneau.feed.Modality;

/**
 * Pre-drawn regulator queries for one scenario: patients of a {@link Place}, a modality, with or
 * without a médecin traitant, and a window. Deterministic for a seed. Setup only (allocates).
 */
public final class Workload {
    /** Rows a regulator asks for (the {@code RegulatorQuery} default). */
    public static final int LIMIT = 10;
    /** Grid of the MT draw, degrees (~5 km). */
    private static final double GRID = 0.05;

    private Workload() {
    }

    /** The window of a scenario. */
    public enum Window {
        /** Four hours from now (Monday 08:00 Paris). */
        H4("4h", 4 * 60, 0),
        /** The whole 48 hours. */
        H48("48h", 48 * 60, 0),
        /**
         * Four hours from Tuesday 22:00 Paris (now + 38 h): no agenda session is open then, so step 2
         * finds nothing and the query takes the "nothing free → surnuméraire" path.
         */
        NIGHT4H("night4h", 4 * 60, 38 * 60);

        public final String label;
        public final int minutes;
        public final int offsetMinutes;

        Window(final String label, final int minutes, final int offsetMinutes) {
            this.label = label;
            this.minutes = minutes;
            this.offsetMinutes = offsetMinutes;
        }

        public static Window parse(final String label) {
            for (final Window w : values()) {
                if (w.label.equals(label)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("window must be 4h, 48h or night4h: " + label);
        }
    }

    /**
     * {@code count} queries. With {@code withMt}, the MT is a GP drawn among those within ~5 km of
     * the patient (the nearest non-empty ring of a 0.05° grid): nearby, and usually with no free
     * slot displayed, as most MTs.
     */
    public static QuerySpec[] draw(final DataSet data, final Place place, final Set<String> departements,
                                   final Modality modality, final boolean withMt, final Window window, final int count,
                                   final long seed) {
        final Place.Sampler patients = place.sampler(departements, seed);
        final Long2ObjectHashMap<IntArrayList> gps = withMt ? gpGrid(data.directory) : null;
        final SplittableRandom rng = new SplittableRandom(seed * 31 + place.ordinal());
        final QuerySpec[] out = new QuerySpec[count];
        for (int i = 0; i < count; i++) {
            final double[] at = patients.next();
            final long mt = withMt ? pickMt(data.directory, gps, at[0], at[1], rng) : 0;
            out[i] = new QuerySpec(at[0], at[1], data.nowMinute + window.offsetMinutes, window.minutes, modality,
                Profession.GP, mt, LIMIT);
        }
        return out;
    }

    private static long cellOf(final double lat, final double lon) {
        return ((long) Math.floor(lat / GRID) << 32) ^ ((long) Math.floor(lon / GRID) & 0xFFFF_FFFFL);
    }

    private static Long2ObjectHashMap<IntArrayList> gpGrid(final Directory directory) {
        final Long2ObjectHashMap<IntArrayList> grid = new Long2ObjectHashMap<>();
        for (int p = 0; p < directory.capacity(); p++) {
            final Practitioner pr = directory.get(p);
            if (pr != null && pr.profession() == Profession.GP) {
                grid.computeIfAbsent(cellOf(pr.lat(), pr.lon()), k -> new IntArrayList()).addInt(p);
            }
        }
        return grid;
    }

    private static long pickMt(final Directory directory, final Long2ObjectHashMap<IntArrayList> grid, final double lat,
                               final double lon, final SplittableRandom rng) {
        final long y = (long) Math.floor(lat / GRID);
        final long x = (long) Math.floor(lon / GRID);
        for (int k = 0; k < 40; k++) {
            final IntArrayList ring = new IntArrayList();
            for (long dy = -k; dy <= k; dy++) {
                for (long dx = -k; dx <= k; dx++) {
                    if (Math.max(Math.abs(dy), Math.abs(dx)) != k) {
                        continue;
                    }
                    final IntArrayList cell = grid.get(((y + dy) << 32) ^ ((x + dx) & 0xFFFF_FFFFL));
                    if (cell != null) {
                        ring.addAll(cell);
                    }
                }
            }
            if (!ring.isEmpty()) {
                return directory.get(ring.getInt(rng.nextInt(ring.size()))).rpps();
            }
        }
        return 0;
    }
}
