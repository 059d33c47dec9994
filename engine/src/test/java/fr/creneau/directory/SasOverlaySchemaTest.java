package fr.creneau.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

/** The published overlay schema describes the overlay the loader reads. */
class SasOverlaySchemaTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Set<ValidationMessage> validate(final JsonNode json) throws IOException {
        try (InputStream in = SasOverlaySchemaTest.class.getResourceAsStream("/fr/creneau/directory/sas-overlay.schema.json")) {
            final JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            return schema.validate(json);
        }
    }

    @Test
    void theOverlayFixtureMatchesTheSchemaExceptItsDeliberatelyBadKeys() throws Exception {
        final Path fixture = Path.of(SasOverlaySchemaTest.class.getResource("/fixtures/annuaire/overlay.json").toURI());
        final Set<ValidationMessage> errors = validate(MAPPER.readTree(fixture.toFile()));
        // Entry 7 has both keys, entry 8 an RPPS under 'adeli': what a schema can see (a wrong
        // Luhn key or an unknown practitioner it cannot).
        assertThat(errors).extracting(m -> m.getInstanceLocation().toString().replaceAll("^(\\$\\[\\d+\\]).*", "$1"))
            .containsOnly("$[7]", "$[8]");
    }

    @Test
    void anEntryWithoutParticipationOrWithANegativeRadiusBreaksTheSchema() throws IOException {
        assertThat(validate(MAPPER.readTree("[{\"rpps\": \"10003461034\"}]"))).isNotEmpty();
        assertThat(validate(MAPPER.readTree(
            "[{\"rpps\": \"10003461034\", \"participation\": \"INDIVIDUAL\", \"homeVisitRadiusKm\": -1}]"))).isNotEmpty();
        assertThat(validate(MAPPER.readTree(
            "[{\"adeli\": \"0751234567\", \"participation\": \"INDIVIDUAL\", \"homeVisitRadiusKm\": 8}]"))).isEmpty();
    }
}
