package fr.creneau.examples.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ameli 2024 GP counts, read by column name straight from the resource: the tests' oracle. */
final class AmeliCounts {
    private AmeliCounts() {
    }

    /** gp_excl_mep_count per dep_code, file order. */
    static Map<String, Integer> gpExclMep() {
        final Map<String, Integer> counts = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
            AmeliCounts.class.getResourceAsStream("medecins-generalistes-liberaux-par-departement-2024.csv"),
            StandardCharsets.UTF_8))) {
            final List<String> header = Arrays.asList(r.readLine().split(","));
            final int dep = header.indexOf("dep_code");
            final int count = header.indexOf("gp_excl_mep_count");
            String line;
            while ((line = r.readLine()) != null) {
                final String[] cells = line.split(",");
                counts.put(cells[dep], Integer.parseInt(cells[count]));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return counts;
    }
}
