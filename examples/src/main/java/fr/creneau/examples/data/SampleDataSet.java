package fr.creneau.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The embedded default data set: Paris (75), dense, and Lozère (48), the least populated
 * département (46 GPs for 5,167 km²), where a search around a village often finds nothing free
 * nearby and has to fall back on surnuméraire doctors and CPTS. Generated on demand relative to a
 * given instant (never fixed calendar dates), so the slots are always in the next 48 hours.
 *
 * <p>Full size: ~3,460 practitioners in Paris and ~90 in Lozère, about 20,000 slots
 * on working days; about a second to write.
 *
 * <pre>
 * Path dir = SampleDataSet.writeToTempDirectory(Instant.now());
 * </pre>
 *
 * <p>Stateless and thread-safe; concurrent writes must use different directories.
 */
public final class SampleDataSet {
    /** Seed of the sample: the same practitioners every time, whatever the instant. */
    public static final long SEED = 7548L;
    /** Paris and Lozère. */
    public static final List<String> DEPARTEMENTS = List.of("75", "48");

    private SampleDataSet() {
    }

    /** The generator configuration of the sample for a window starting at {@code now}. */
    public static GeneratorConfig config(final Instant now) {
        return new GeneratorConfig(SEED, Scale.DEPARTEMENT, now, DEPARTEMENTS);
    }

    /** Writes the sample for the 48 hours from {@code now} into {@code dir}. */
    public static GeneratedSummary writeTo(final Path dir, final Instant now) throws IOException {
        return new DataGenerator(config(now)).generate(dir);
    }

    /** Writes the sample into a new temporary directory ({@code creneau-sample-*}) and returns it. */
    public static Path writeToTempDirectory(final Instant now) throws IOException {
        final Path dir = Files.createTempDirectory("creneau-sample-");
        writeTo(dir, now);
        return dir;
    }
}
