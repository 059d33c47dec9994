package fr.creneau.examples.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import fr.creneau.directory.Cpts;
import fr.creneau.examples.data.ReferenceData.Commune;
import fr.creneau.examples.data.ReferenceData.Departement;

/**
 * Splits a département into CPTS territories ("bassins"): one CPTS per
 * {@link Proportions#CPTS_POPULATION} inhabitants, centred on the most populous communes that are
 * far enough apart, each commune joining its nearest centre.
 *
 * <p>Depends on the reference data only, never on the seed, the scale or the time: a CPTS keeps
 * its id ({@code CPTS-<dep>-<nn>}, nn by decreasing population of the centre), name and phone
 * across runs, as a real one would.
 *
 * <p>Stateless and thread-safe.
 */
final class CptsTerritories {
    private static final double KM_PER_DEGREE = 111.2;

    private CptsTerritories() {
    }

    /** The CPTS of each commune of {@code dep}, index-aligned with {@code dep.communes()}. */
    static Cpts[] of(final Departement dep) {
        final List<Commune> communes = dep.communes();
        int populated = 0;
        double area = 0;
        for (final Commune c : communes) {
            if (c.population() > 0) {
                populated++;
            }
            if (!Double.isNaN(c.areaKm2())) {
                area += c.areaKm2();
            }
        }
        final int wanted = (int) Math.max(1, Math.min(Math.max(1, populated / 2),
            Math.round((double) dep.population() / Proportions.CPTS_POPULATION)));

        final List<Commune> byPopulation = new ArrayList<>(communes);
        byPopulation.sort(Comparator.comparingInt(Commune::population).reversed().thenComparing(Commune::insee));
        final List<Commune> centres = new ArrayList<>();
        // Centres at least minKm apart; relax the distance until there are enough of them.
        double minKm = area > 0 ? 0.5 * Math.sqrt(area / wanted) : 10.0;
        while (centres.size() < wanted) {
            for (final Commune c : byPopulation) {
                if (centres.size() == wanted) {
                    break;
                }
                if (centres.contains(c)) {
                    continue;
                }
                // Below a metre, communes sharing a point would loop forever: take them by population.
                boolean farEnough = true;
                for (final Commune centre : centres) {
                    if (minKm > 0.001 && km(c, centre) < minKm) {
                        farEnough = false;
                        break;
                    }
                }
                if (farEnough) {
                    centres.add(c);
                }
            }
            minKm /= 2;
        }

        final Cpts[] cpts = new Cpts[centres.size()];
        for (int i = 0; i < cpts.length; i++) {
            final Commune centre = centres.get(i);
            final String id = String.format("CPTS-%s-%02d", dep.code(), i + 1);
            // Phone drawn from the id only: stable whatever the seed.
            final String phone = Phones.landline(dep.code(), dep.regCode(), new SplittableRandom(id.hashCode()));
            cpts[i] = new Cpts(id, "CPTS " + centre.name(), phone);
        }
        final Cpts[] byCommune = new Cpts[communes.size()];
        for (int i = 0; i < byCommune.length; i++) {
            int best = 0;
            double bestKm = Double.MAX_VALUE;
            for (int j = 0; j < centres.size(); j++) {
                final double d = km(communes.get(i), centres.get(j));
                if (d < bestKm) {
                    bestKm = d;
                    best = j;
                }
            }
            byCommune[i] = cpts[best];
        }
        return byCommune;
    }

    /** Equirectangular distance in km: exact enough within a département. */
    static double km(final Commune a, final Commune b) {
        final double dLat = a.lat() - b.lat();
        final double dLon = (a.lon() - b.lon()) * Math.cos(Math.toRadians((a.lat() + b.lat()) / 2));
        return KM_PER_DEGREE * Math.sqrt(dLat * dLat + dLon * dLon);
    }
}
