package fr.creneau.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * The bundled holiday file against the project's shared data copy. Only this test reads outside
 * the class path, and only when the shared directory exists (CI clones may not have it).
 */
class PublicHolidaysResourceTest {

    /** Relative to the engine module directory, surefire's working directory. */
    private static final Path SHARED_CSV =
        Paths.get("../../shared/data/jours-feries-france-toutes-zones.csv");

    @Test
    void bundledResourceIsByteIdenticalToSharedEtalabCsv() throws IOException {
        assumeTrue(Files.isRegularFile(SHARED_CSV), "shared data not present: " + SHARED_CSV);
        final byte[] shared = Files.readAllBytes(SHARED_CSV);
        assertThat(bundledBytes()).isEqualTo(shared);
    }

    @Test
    void bundledResourceIsTheEtalabFormatWithAttributionBesideIt() throws IOException {
        final String csv = new String(bundledBytes(), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("date,nom_jour_ferie,zones\n");
        assertThat(csv.lines().count()).isEqualTo(509);
        try (InputStream in = PublicHolidays.class.getResourceAsStream("SOURCES.md")) {
            assertThat(in).as("SOURCES.md beside the CSV").isNotNull();
            final String sources = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(sources)
                .contains("etalab/jours-feries-france-data")
                .contains("0c55b24c4206fb4629a95452527f0b28f23aec78")
                .contains("Licence Ouverte");
        }
    }

    private static byte[] bundledBytes() throws IOException {
        try (InputStream in = PublicHolidays.class.getResourceAsStream(PublicHolidays.RESOURCE)) {
            assertThat(in).as("bundled resource").isNotNull();
            return in.readAllBytes();
        }
    }
}
