package fr.creneau.examples.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Places a point in a département: the département of the nearest INSEE commune (by its
 * reference point), for the endpoints' {@code departements} filter of the live pull. The
 * directory holds positions, not départements; near a border the nearest commune may lie across
 * it, which only moves a practitioner from one vendor batch to the next.
 *
 * <p>Thread-safe: immutable after the first call (class-holder idiom).
 */
public final class Departements {
    /** Grid of 0.25° (about 28 km): a point's nearest commune is in its cell or the eight around. */
    private static final double CELL = 0.25;

    private Departements() {
    }

    private static final class Holder {
        static final Map<Long, List<ReferenceData.Commune>> GRID = new HashMap<>();
        static final List<ReferenceData.Commune> ALL = new ArrayList<>();

        static {
            for (final ReferenceData.Departement d : ReferenceData.get().departements().values()) {
                for (final ReferenceData.Commune c : d.communes()) {
                    GRID.computeIfAbsent(key(cell(c.lat()), cell(c.lon())), k -> new ArrayList<>()).add(c);
                    ALL.add(c);
                }
            }
        }
    }

    private static long cell(final double deg) {
        return (long) Math.floor(deg / CELL);
    }

    private static long key(final long lat, final long lon) {
        return (lat << 32) ^ (lon & 0xffffffffL);
    }

    /** The code ({@code "75"}, {@code "2A"}, {@code "971"}) of the nearest commune's département. */
    public static String of(final double lat, final double lon) {
        final long la = cell(lat);
        final long lo = cell(lon);
        ReferenceData.Commune best = null;
        double bestD = Double.MAX_VALUE;
        for (long i = la - 1; i <= la + 1; i++) {
            for (long j = lo - 1; j <= lo + 1; j++) {
                for (final ReferenceData.Commune c : Holder.GRID.getOrDefault(key(i, j), List.of())) {
                    final double d = distance2(lat, lon, c);
                    if (d < bestD) {
                        bestD = d;
                        best = c;
                    }
                }
            }
        }
        if (best == null) {
            for (final ReferenceData.Commune c : Holder.ALL) {
                final double d = distance2(lat, lon, c);
                if (d < bestD) {
                    bestD = d;
                    best = c;
                }
            }
        }
        return best == null ? null : best.dep();
    }

    private static double distance2(final double lat, final double lon, final ReferenceData.Commune c) {
        final double dLat = c.lat() - lat;
        final double dLon = (c.lon() - lon) * Math.cos(Math.toRadians(lat));
        return dLat * dLat + dLon * dLon;
    }
}
