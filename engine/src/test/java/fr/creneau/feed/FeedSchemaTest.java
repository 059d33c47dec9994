package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

/** The published JSON Schemas describe the files the parsers accept. */
class FeedSchemaTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonSchema schema(final String name) throws IOException {
        try (InputStream in = FeedSchemaTest.class.getResourceAsStream("/fr/creneau/feed/" + name)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    private static Set<ValidationMessage> validate(final String schema, final String fixture) throws IOException {
        final JsonNode json = MAPPER.readTree(Fixtures.path(fixture).toFile());
        return schema(schema).validate(json);
    }

    @Test
    void wellFormedVendorFeedsMatchTheSchema() throws IOException {
        assertThat(validate("vendor-feed.schema.json", "feeds/maiia.json")).isEmpty();
        assertThat(validate("vendor-feed.schema.json", "feeds/doctolib-later.json")).isEmpty();
        assertThat(validate("vendor-feed.schema.json", "feeds/doctolib-dst-autumn.json")).isEmpty();
    }

    @Test
    void aFeedWithoutGeneratedAtOrWithABadModalityBreaksTheSchema() throws IOException {
        assertThat(validate("vendor-feed.schema.json", "feeds/missing-generated-at.json"))
            .anySatisfy(m -> assertThat(m.getMessage()).contains("generatedAt"));
        assertThat(validate("vendor-feed.schema.json", "feeds/doctolib.json")).isNotEmpty();
    }

    @Test
    void theManualFileMatchesItsSchemaExceptItsDeliberatelyBadEntries() throws IOException {
        final Set<ValidationMessage> errors = validate("manual-slots.schema.json", "manual/sas-agenda.json");
        assertThat(errors).isNotEmpty().allSatisfy(m -> assertThat(m.getInstanceLocation().toString())
            .matches("\\$\\.slots\\[[23]\\].*"));
    }

    @Test
    void theDirectoryEntriesMatchTheSchemaExceptThoseWithMissingOrUnknownValues() throws IOException {
        final Set<ValidationMessage> errors = validate("practitioners.schema.json", "practitioners.json");
        // Entry 7 is too short an RPPS, 11 a dentist, 12 has no name: what a schema can see.
        assertThat(errors).extracting(m -> m.getInstanceLocation().toString().replaceAll("^(\\$\\[\\d+\\]).*", "$1"))
            .containsOnly("$[7]", "$[11]", "$[12]");
    }
}
