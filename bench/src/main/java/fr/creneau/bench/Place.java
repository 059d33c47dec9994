package fr.creneau.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import fr.creneau.directory.Territory;

/**
 * Where a patient calls from: a commune drawn in proportion to its population (INSEE 2021, the
 * examples' {@code communes.csv}) among those of one kind, then a point drawn uniformly within
 * {@code clamp(0.35 * sqrt(area), 150 m, 2 km)} of the commune point (kept inside the territory).
 * Immutable enum; {@link Sampler} is not thread-safe.
 */
public enum Place {
    /** The 20 arrondissements of Paris (dense: ~40 GPs per H3 cell). */
    PARIS,
    /** A mid-size town: metropolitan communes of 20,000 to 100,000 inhabitants. */
    TOWN,
    /** A rural commune: metropolitan communes under 2,000 inhabitants. */
    RURAL,
    /** An overseas département (971 to 976). */
    OVERSEAS;

    private static final String COMMUNES = "/fr/creneau/examples/data/communes.csv";

    boolean accepts(final String dep, final int population) {
        final boolean overseas = dep.startsWith("97");
        switch (this) {
            case PARIS:
                return dep.equals("75");
            case TOWN:
                return !overseas && !dep.equals("75") && population >= 20_000 && population <= 100_000;
            case RURAL:
                return !overseas && population < 2_000;
            default:
                return overseas;
        }
    }

    /** Draws patient positions of this place, restricted to some départements (empty: all). */
    public Sampler sampler(final Set<String> departements, final long seed) {
        final List<double[]> communes = new ArrayList<>();
        final List<double[]> fallback = new ArrayList<>();
        try (InputStream in = Place.class.getResourceAsStream(COMMUNES);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) {
                final String[] c = line.split(",", -1);
                // insee_code,name,dep_code,latitude,longitude,population,area_km2 (names have no comma)
                final int n = c.length;
                final String dep = c[n - 5];
                if (!departements.isEmpty() && !departements.contains(dep)) {
                    continue;
                }
                final int population = c[n - 2].isEmpty() ? 0 : Integer.parseInt(c[n - 2]);
                final double area = c[n - 1].isEmpty() ? Double.NaN : Double.parseDouble(c[n - 1]);
                final double[] row = {Double.parseDouble(c[n - 4]), Double.parseDouble(c[n - 3]), Math.max(1, population), area};
                fallback.add(row);
                if (accepts(dep, population)) {
                    communes.add(row);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        // A restricted test set may lack the kind (no town of 20,000 in Lozère): any commune then.
        return new Sampler(communes.isEmpty() ? fallback : communes, seed ^ ordinal());
    }

    /** Draws positions; not thread-safe. */
    public static final class Sampler {
        private final List<double[]> communes;
        private final double[] cumulative;
        private final SplittableRandom rng;

        Sampler(final List<double[]> communes, final long seed) {
            this.communes = communes;
            this.cumulative = new double[communes.size()];
            double run = 0;
            for (int i = 0; i < cumulative.length; i++) {
                run += communes.get(i)[2];
                cumulative[i] = run;
            }
            this.rng = new SplittableRandom(seed);
        }

        /** The next patient position {lat, lon}. */
        public double[] next() {
            final double u = rng.nextDouble() * cumulative[cumulative.length - 1];
            int lo = 0;
            int hi = cumulative.length - 1;
            while (lo < hi) {
                final int mid = (lo + hi) >>> 1;
                if (cumulative[mid] > u) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            final double[] c = communes.get(lo);
            final double radius = Double.isNaN(c[3]) ? 0.5 : Math.max(0.15, Math.min(2.0, 0.35 * Math.sqrt(c[3])));
            for (int attempt = 0; attempt < 5; attempt++) {
                final double r = radius * Math.sqrt(rng.nextDouble());
                final double theta = 2 * Math.PI * rng.nextDouble();
                final double lat = c[0] + r * Math.cos(theta) / 111.2;
                final double lon = c[1] + r * Math.sin(theta) / (111.2 * Math.cos(Math.toRadians(c[0])));
                if (Territory.of(lat, lon) != null) {
                    return new double[] {lat, lon};
                }
            }
            return new double[] {c[0], c[1]};
        }
    }
}
