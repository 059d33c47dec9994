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

    private static Set<ValidationMessage> validateText(final String schema, final String json) throws IOException {
        return schema(schema).validate(MAPPER.readTree(json));
    }

    private static String feed(final String vendor, final String id) {
        return "{\"vendor\": " + vendor + ", \"integration\": \"END_TO_END\", \"generatedAt\": \"2026-11-23T08:55:00Z\","
            + " \"slots\": [{\"id\": " + id + ", \"rpps\": \"10000000017\", \"start\": \"2026-11-23T14:00:00+01:00\","
            + " \"end\": \"2026-11-23T14:20:00+01:00\", \"modality\": \"OFFICE\", \"visibility\": \"PUBLIC\"}]}";
    }

    @Test
    void theSchemasRuleOutPaddedOrControlVendorNamesAndEmptyOrBlankIds() throws IOException {
        // What the parsers refuse (FieldRulesTest), the schemas say.
        assertThat(validateText("vendor-feed.schema.json", feed("\"MonMédecin.org\"", "\"d-1 a\""))).isEmpty();
        for (final String vendor : new String[] {"\"Doctolib\\u0000\"", "\" Doctolib\"", "\"Doctolib \"",
            "\"Doc\\u202etolib\"", "\"\"", "\"" + "D".repeat(101) + "\""}) {
            assertThat(validateText("vendor-feed.schema.json", feed(vendor, "\"d1\""))).as(vendor).isNotEmpty();
        }
        for (final String id : new String[] {"\"\"", "\"  \"", "\"d\\u00001\"", "\"" + "d".repeat(257) + "\""}) {
            assertThat(validateText("vendor-feed.schema.json", feed("\"Doctolib\"", id))).as(id).isNotEmpty();
        }
        assertThat(validateText("manual-slots.schema.json", "{\"slots\": [{\"id\": \" \", \"rpps\": \"10000000017\","
            + " \"start\": \"2026-11-23T14:00:00+01:00\", \"end\": \"2026-11-23T14:20:00+01:00\"}]}")).isNotEmpty();
    }

    @Test
    void sitesStructuresAndSlotSitesMatchTheirSchemas() throws IOException {
        final String entry = "{\"rpps\": \"10000000017\", \"name\": \"Dr A\", \"profession\": \"GP\", \"phone\": \"01\","
            + " \"vendor\": null, \"refusesVendorSlots\": false, \"participation\": \"CDS\","
            + " \"acceptsExtraPatients\": true, \"cpts\": null, \"structure\": \"1750000001\", \"sites\": ["
            + "{\"id\": \"s1\", \"address\": {\"lines\": [\"12 rue de la Paix\"], \"postalCode\": \"75002\","
            + " \"city\": \"Paris\", \"inseeCode\": \"75102\"}, \"lat\": 48.869, \"lon\": 2.331,"
            + " \"phone\": \"+33 1 00 00 00 00\"}, {\"id\": \"s2\", \"address\": {\"postalCode\": \"48000\"}}]}";
        assertThat(validateText("practitioners.schema.json", "[" + entry + "]")).isEmpty();
        // No position at all: neither lat/lon nor sites; a site with neither position nor address.
        assertThat(validateText("practitioners.schema.json", "[" + entry.replace(", \"sites\": [", ", \"x\": [") + "]"))
            .isNotEmpty();
        assertThat(validateText("practitioners.schema.json", "[" + entry.replace("{\"id\": \"s2\", \"address\": {\"postalCode\": \"48000\"}}",
            "{\"id\": \"s2\"}") + "]")).isNotEmpty();
        assertThat(validateText("structures.schema.json", "[{\"id\": \"1750000001\", \"kind\": \"CDS\", \"name\": \"CDS\","
            + " \"phone\": \"01\", \"address\": {\"lines\": [\"3 rue X\"], \"inseeCode\": \"75120\"},"
            + " \"hours\": [{\"days\": [\"MON\", \"TUE\"], \"from\": \"08:00\", \"to\": \"20:00\"},"
            + " {\"days\": [\"SAT\"], \"from\": \"20:00\", \"to\": \"24:00\"}]}]")).isEmpty();
        assertThat(validateText("structures.schema.json", "[{\"id\": \"x\", \"kind\": \"HOSPITAL\", \"name\": \"n\","
            + " \"phone\": \"p\", \"lat\": 48.8, \"lon\": 2.3}]")).isNotEmpty();
        assertThat(validateText("vendor-feed.schema.json", "{\"vendor\": \"Doctolib\", \"integration\": \"END_TO_END\","
            + " \"generatedAt\": \"2026-11-23T08:55:00Z\", \"slots\": [{\"id\": \"d1\", \"rpps\": \"10000000017\","
            + " \"start\": \"2026-11-23T14:00:00+01:00\", \"end\": \"2026-11-23T14:20:00+01:00\", \"modality\": \"OFFICE\","
            + " \"visibility\": \"PUBLIC\", \"site\": \"s1\"}]}")).isEmpty();
    }
}
