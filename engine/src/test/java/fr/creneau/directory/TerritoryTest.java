package fr.creneau.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TerritoryTest {
    /** The INSEE 2024 commune list of the shared public data, when the checkout has it beside it. */
    private static final Path COMMUNES = Path.of("../../shared/data/communes-france.csv");

    @Test
    void everyFrenchCommuneIsInsideItsTerritory() throws IOException {
        assumeTrue(Files.exists(COMMUNES), "shared public data not present beside this checkout");
        final Map<String, Territory> overseas = Map.of("971", Territory.GUADELOUPE, "972", Territory.MARTINIQUE,
            "973", Territory.GUYANE, "974", Territory.LA_REUNION, "976", Territory.MAYOTTE);
        final List<String> lines = Files.readAllLines(COMMUNES, StandardCharsets.UTF_8);
        int checked = 0;
        for (final String line : lines.subList(1, lines.size())) {
            final String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            final String dep = f[4];
            final double lat = Double.parseDouble(f[7]);
            final double lon = Double.parseDouble(f[8]);
            assertThat(Territory.of(lat, lon)).as("commune %s (%s)", f[0], f[1])
                .isEqualTo(overseas.getOrDefault(dep, Territory.METROPOLE));
            checked++;
        }
        assertThat(checked).isGreaterThan(34_000);
    }

    /**
     * The same check on the commune table the engine bundles (from the same INSEE source, always
     * on the class path): it runs on every machine, the one above only beside the shared data.
     */
    @Test
    void everyBundledCommuneIsInsideItsTerritory() throws IOException {
        final Map<String, Territory> overseas = Map.of("971", Territory.GUADELOUPE, "972", Territory.MARTINIQUE,
            "973", Territory.GUYANE, "974", Territory.LA_REUNION, "976", Territory.MAYOTTE);
        final List<String> lines;
        try (java.io.InputStream in = Communes.class.getResourceAsStream("communes.csv")) {
            assertThat(in).as("bundled communes.csv").isNotNull();
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        int checked = 0;
        for (final String line : lines.subList(1, lines.size())) {
            final String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            final double lat = Double.parseDouble(f[4]);
            final double lon = Double.parseDouble(f[5]);
            assertThat(Territory.of(lat, lon)).as("commune %s (%s)", f[0], f[1])
                .isEqualTo(overseas.getOrDefault(f[2], Territory.METROPOLE));
            checked++;
        }
        assertThat(checked).isGreaterThan(34_000);
    }

    @Test
    void positionsAbroadAreOutsideFrance() {
        assertThat(Territory.of(51.5072, -0.1276)).as("London").isNull();
        assertThat(Territory.of(0, 0)).as("null island").isNull();
        assertThat(Territory.of(2.35, 48.85)).as("Paris with lat and lon swapped").isNull();
        assertThat(Territory.of(40.4168, -3.7038)).as("Madrid").isNull();
        assertThat(Territory.of(-21.1151, 55.5364)).isEqualTo(Territory.LA_REUNION);
    }

    @Test
    void eachTerritoryHasItsCivilZone() {
        assertThat(Territory.METROPOLE.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(Territory.LA_REUNION.zone().getRules().getOffset(java.time.Instant.EPOCH).getTotalSeconds())
            .isEqualTo(4 * 3600);
    }
}
