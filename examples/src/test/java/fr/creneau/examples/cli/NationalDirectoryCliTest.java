package fr.creneau.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A data directory whose directory comes from the national sources: {@code directory/annuaire.json}
 * and {@code directory/overlay.json} instead of {@code practitioners.json}.
 */
class NationalDirectoryCliTest {

    private static Path nationalData(final Path dir, final boolean overlay) throws IOException {
        Files.createDirectories(dir.resolve("directory"));
        copy("annuaire-searchset.json", dir.resolve("directory/annuaire.json"));
        if (overlay) {
            copy("overlay.json", dir.resolve("directory/overlay.json"));
        }
        return dir;
    }

    private static void copy(final String resource, final Path to) throws IOException {
        try (InputStream in = NationalDirectoryCliTest.class.getResourceAsStream("/national/" + resource)) {
            Files.copy(in, to);
        }
    }

    @Test
    void searchUsesTheNationalDirectoryAndItsOverlayWhenThereIsNoPractitionersJson(@TempDir final Path tmp)
        throws IOException {
        final Cli.Run run = Cli.search(nationalData(tmp, true), "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.rows()).isNotEmpty();
        final JsonNode first = run.rows().get(0);
        assertThat(first.get("kind").asText()).isEqualTo("SURNUMERAIRE");
        assertThat(first.get("name").asText()).isEqualTo("Arthur Saucier");
        assertThat(first.get("rpps").asText()).isEqualTo("10003461034");
        // What the national file and the overlay rejected is counted on stderr, one line each.
        assertThat(run.err().lines()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("warning: "));
        assertThat(run.err()).contains("annuaire.json: 6 of 11 kept").contains("OTHER_PROFESSION=2")
            .contains("overlay.json: 3 of 9 kept").contains("UNKNOWN_RPPS=2").doesNotContain("\tat ");
    }

    @Test
    void withoutTheOverlayNobodyIsRegisteredWithTheSasSoNobodyIsProposed(@TempDir final Path tmp) throws IOException {
        final Cli.Run run = Cli.search(nationalData(tmp, false), "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.rows()).isEmpty();
    }

    @Test
    void aBrokenNationalFileIsExitTwoWithOneLine(@TempDir final Path tmp) throws IOException {
        final Path dir = nationalData(tmp, true);
        Files.writeString(dir.resolve("directory/annuaire.json"), "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": [");

        final Cli.Run run = Cli.search(dir);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains("annuaire.json").doesNotContain("\tat ");
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void aDataDirectoryWithNeitherFileIsAUserError(@TempDir final Path tmp) {
        final Cli.Run run = Cli.search(tmp);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("practitioners.json").contains("directory/annuaire.json");
    }
}
