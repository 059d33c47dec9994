package fr.creneau.examples.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.pdsa.PdsaLayer;
import fr.creneau.pdsa.Sector;

/**
 * The generator's PDSA layer (issue 16): sectors that group the communes of each département
 * without overlapping, and a roster the engine loads without a rejection, with someone on duty in
 * every sector at every instant of the 48 h.
 */
class PdsaLayerGenerationTest {
    @TempDir
    static Path tmp;
    static PdsaLayer layer;

    @BeforeAll
    static void generate() throws IOException {
        new DataGenerator(GeneratorConfig.of(42, Scale.TINY, DataGeneratorTest.MONDAY)).generate(tmp);
        layer = PdsaLayer.load(tmp.resolve("pdsa"), DataGeneratorTest.MONDAY);
    }

    @Test
    void theEngineLoadsTheGeneratedLayerWithoutARejection() {
        assertThat(layer.report().rejected()).as(layer.report().messages().toString()).isZero();
        assertThat(layer.report().sectorsKept()).isGreaterThanOrEqualTo(3); // Paris, Lozère, La Réunion
    }

    @Test
    void everyCommuneOfAGeneratedDepartementIsInTheSectorsOfItsDepartement() {
        for (final String code : Set.of("75", "48", "974")) {
            for (final ReferenceData.Commune c : ReferenceData.get().departement(code).communes()) {
                final Sector s = layer.sectorAt(c.lat(), c.lon());
                assertThat(s).as("%s %s", code, c.name()).isNotNull();
                assertThat(s.id()).startsWith(code + "-");
            }
        }
    }

    @Test
    void noTwoSectorsOverlap() {
        for (final Sector a : layer.sectors()) {
            for (final Sector b : layer.sectors()) {
                if (a != b) {
                    assertThat(a.geometry().intersection(b.geometry()).getArea()).as(a.id() + "/" + b.id())
                        .isLessThan(1e-9);
                }
            }
        }
    }

    @Test
    void someoneIsOnDutyInEverySectorThroughoutThe48Hours() throws IOException {
        final JsonNode roster = new ObjectMapper().readTree(Files.readString(tmp.resolve("pdsa/roster.json")));
        final Set<String> rostered = new HashSet<>();
        roster.get("shifts").forEach(s -> rostered.add(s.get("sector").asText()));
        for (final Sector s : layer.sectors()) {
            assertThat(rostered).contains(s.id());
            for (int hour = 0; hour < 48; hour++) {
                final Instant at = DataGeneratorTest.MONDAY.plusSeconds(3600L * hour);
                assertThat(layer.onDuty(s.id(), at)).as("%s at %s", s.id(), at).isNotNull();
            }
        }
    }
}
