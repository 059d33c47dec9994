package fr.creneau.examples.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real public data the generator places practitioners from, read once from the classpath
 * ({@code fr/creneau/examples/data/}, see the {@code SOURCES.md} there): the INSEE communes with
 * population and coordinates, and the ameli 2024 counts of liberal GPs per département.
 *
 * <p>Immutable and thread-safe; {@link #get()} loads it on first use (class-holder idiom).
 */
final class ReferenceData {
    static final String COMMUNES = "communes.csv";
    static final String GP_COUNTS = "medecins-generalistes-liberaux-par-departement-2024.csv";

    /**
     * One commune (or Paris/Lyon/Marseille arrondissement).
     *
     * @param population census 2021; 0 for Mayotte (no figure) and a few dead Meuse villages
     * @param areaKm2    km², {@code NaN} when unknown (Mayotte)
     */
    record Commune(String insee, String name, String dep, double lat, double lon, int population, double areaKm2) {
    }

    /**
     * One département with its communes (file order) and its ameli 2024 GP counts.
     *
     * @param gpCount        liberal GPs excluding MEP ({@code gp_excl_mep_count}): the generator's target
     * @param gpAllCount     all liberal GPs ({@code gp_all_count}), for information
     * @param gpDensity      {@code gp_excl_mep_density_per_100k} as published
     */
    record Departement(String code, String name, String regCode, int gpCount, int gpAllCount, double gpDensity,
                       List<Commune> communes) {
        long population() {
            long sum = 0;
            for (final Commune c : communes) {
                sum += c.population();
            }
            return sum;
        }
    }

    private final Map<String, Departement> departements;
    private final double nationalGpDensity;

    private ReferenceData(final Map<String, Departement> departements) {
        this.departements = Collections.unmodifiableMap(departements);
        // Population-weighted national density, from the published per-département densities.
        double gps = 0;
        double per100k = 0;
        for (final Departement d : departements.values()) {
            gps += d.gpCount();
            per100k += d.gpCount() / d.gpDensity();
        }
        this.nationalGpDensity = gps / per100k;
    }

    /** The data, loaded on first call. */
    static ReferenceData get() {
        return Holder.INSTANCE;
    }

    /** Départements in ameli file order (01..19, 2A, 2B, 21..95, 971..976). */
    Map<String, Departement> departements() {
        return departements;
    }

    /** The département with that code, or an {@link IllegalArgumentException} naming the valid ones. */
    Departement departement(final String code) {
        final Departement d = departements.get(code);
        if (d == null) {
            throw new IllegalArgumentException("unknown département '" + code + "', expected one of " + departements.keySet());
        }
        return d;
    }

    /** National liberal GP density (excluding MEP) per 100,000 inhabitants, about 75. */
    double nationalGpDensity() {
        return nationalGpDensity;
    }

    private static final class Holder {
        static final ReferenceData INSTANCE = load();
    }

    private static ReferenceData load() {
        final Map<String, List<Commune>> communesByDep = new LinkedHashMap<>();
        for (final String[] row : readCsv(COMMUNES, 7)) {
            final double area = row[6].isEmpty() ? Double.NaN : Double.parseDouble(row[6]);
            final Commune c = new Commune(row[0], row[1], row[2], Double.parseDouble(row[3]),
                Double.parseDouble(row[4]), Integer.parseInt(row[5]), area);
            communesByDep.computeIfAbsent(c.dep(), k -> new ArrayList<>()).add(c);
        }
        final Map<String, Departement> deps = new LinkedHashMap<>();
        // year,dep_code,dep_name,reg_code,reg_name,gp_all_count,gp_all_density_per_100k,
        // gp_excl_mep_count,gp_excl_mep_density_per_100k,...
        for (final String[] row : readCsv(GP_COUNTS, 13)) {
            final String code = row[1];
            final List<Commune> communes = communesByDep.get(code);
            if (communes == null || communes.isEmpty()) {
                throw new IllegalStateException("no commune for département " + code + " in " + COMMUNES);
            }
            deps.put(code, new Departement(code, row[2], row[3], Integer.parseInt(row[7]), Integer.parseInt(row[5]),
                Double.parseDouble(row[8]), List.copyOf(communes)));
        }
        if (!deps.keySet().equals(communesByDep.keySet())) {
            throw new IllegalStateException("départements differ between " + COMMUNES + " and " + GP_COUNTS);
        }
        return new ReferenceData(deps);
    }

    /** Rows of a header-first, unquoted CSV resource, each checked to have {@code columns} cells. */
    private static List<String[]> readCsv(final String name, final int columns) {
        final List<String[]> rows = new ArrayList<>();
        try (InputStream in = ReferenceData.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + ReferenceData.class.getName());
            }
            final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line = reader.readLine(); // header
            int lineNo = 1;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isEmpty()) {
                    continue;
                }
                final String[] cells = line.split(",", -1);
                if (cells.length != columns) {
                    throw new IllegalStateException(name + ":" + lineNo + ": expected " + columns + " cells, got "
                        + cells.length);
                }
                rows.add(cells);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
        return rows;
    }
}
