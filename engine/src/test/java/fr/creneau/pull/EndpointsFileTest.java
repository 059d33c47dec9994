package fr.creneau.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import fr.creneau.directory.Integration;
import fr.creneau.directory.VendorRegistry;

class EndpointsFileTest {
    private static final VendorRegistry VENDORS = VendorRegistry.defaults();

    @TempDir
    Path dir;

    private static List<Endpoint> parse(final String json) {
        return EndpointsFile.parse("endpoints.json", json.getBytes(StandardCharsets.UTF_8), null, VENDORS);
    }

    private static String one(final String fields) {
        return "{\"vendors\": [{\"name\": \"Maiia\", \"baseUrl\": \"https://maiia.example/fhir/\"" + fields + "}]}";
    }

    @Test
    void onlyNameAndBaseUrlAreRequiredAndTheRestDefaultsAsTheIssueSays() {
        final Endpoint e = parse(one("")).get(0);

        assertThat(e.vendor().displayName()).isEqualTo("Maiia");
        assertThat(e.baseUrl()).hasToString("https://maiia.example/fhir"); // trailing slash dropped
        assertThat(e.integration()).isEqualTo(Integration.AGGREGATION_ONLY); // the registry's level
        assertThat(e.timeout()).isEqualTo(Duration.ofMillis(7000));
        assertThat(e.idsPerRequest()).isEqualTo(25);
        assertThat(e.refresh()).isEqualTo(Duration.ofSeconds(300));
        assertThat(e.maxInFlight()).isEqualTo(4);
        assertThat(e.departements()).isEmpty();
        assertThat(e.sslContext()).isNull();
    }

    @Test
    void everyKeyIsRead() {
        final Endpoint e = parse(one(", \"integration\": \"AGGREGATION_ONLY\", \"timeoutMs\": 2500,"
            + " \"idsPerRequest\": 10, \"refreshSeconds\": 60, \"maxInFlight\": 2, \"departements\": [\"75\", \"2A\", \"971\"]"))
            .get(0);

        assertThat(e.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(e.idsPerRequest()).isEqualTo(10);
        assertThat(e.refresh()).isEqualTo(Duration.ofSeconds(60));
        assertThat(e.maxInFlight()).isEqualTo(2);
        assertThat(e.departements()).isEqualTo(Set.of("75", "2A", "971"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        ", \"timeoutMS\": 7000                      | vendors[0].timeoutMS   | unknown key",
        ", \"timeoutMs\": \"7000\"                  | vendors[0].timeoutMs   | expected an integer",
        ", \"timeoutMs\": 7000.5                    | vendors[0].timeoutMs   | expected an integer",
        ", \"timeoutMs\": 0                         | vendors[0].timeoutMs   | from 1 to 600000",
        ", \"idsPerRequest\": 26                    | vendors[0].idsPerRequest | from 1 to 25",
        ", \"maxInFlight\": -1                      | vendors[0].maxInFlight | from 1 to 64",
        ", \"refreshSeconds\": null                 | vendors[0].refreshSeconds | expected an integer",
        ", \"integration\": \"END_TO_END\"          | vendors[0].integration | registry has Maiia as AGGREGATION_ONLY",
        ", \"integration\": \"FULL\"                | vendors[0].integration | END_TO_END or AGGREGATION_ONLY",
        ", \"departements\": [\"20\"]               | vendors[0].departements[0] | not a département code",
        ", \"departements\": [\"75\", \"75\"]       | vendors[0].departements[1] | listed twice",
        ", \"departements\": []                     | vendors[0].departements | non-empty array",
        ", \"tls\": {\"keyStore\": \"client.p12\"}  | vendors[0].tls.keyStorePassword | required",
        ", \"tls\": {\"keystore\": \"client.p12\"}  | vendors[0].tls.keystore | unknown key",
        ", \"tls\": {\"keyStore\": \"missing.p12\", \"keyStorePassword\": \"x\"} | vendors[0].tls.keyStore | cannot open PKCS12 store",
    })
    void aBadKeyOrValueIsAnErrorNamingTheKey(final String fields, final String key, final String message) {
        assertThatThrownBy(() -> parse(one(fields)))
            .isInstanceOfSatisfying(EndpointsException.class, e -> assertThat(e.key()).isEqualTo(key))
            .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http://maiia.example/fhir     | loopback addresses only",
        "http://10.0.0.1:8080/fhir     | loopback addresses only",
        "http://192.168.1.1/fhir       | loopback addresses only",
        "ftp://maiia.example/fhir      | absolute https",
        "/fhir                         | absolute https",
        "https://maiia.example/fhir?x=1 | no query",
    })
    void plainHttpIsForLoopbackOnlyAndTheBaseMustBeAUrl(final String url, final String message) {
        assertThatThrownBy(() -> parse("{\"vendors\": [{\"name\": \"Maiia\", \"baseUrl\": \"" + url + "\"}]}"))
            .isInstanceOfSatisfying(EndpointsException.class, e -> assertThat(e.key()).isEqualTo("vendors[0].baseUrl"))
            .hasMessageContaining(message);
    }

    @Test
    void loopbackAddressesMayBePlainHttp() {
        for (final String host : List.of("127.0.0.1:8080", "127.1.2.3", "localhost:9", "[::1]:8443")) {
            assertThat(parse("{\"vendors\": [{\"name\": \"Maiia\", \"baseUrl\": \"http://" + host + "/fhir\"}]}"))
                .hasSize(1);
        }
    }

    @Test
    void wholeFileProblemsAreErrorsToo() {
        assertThatThrownBy(() -> parse("{\"vendors\": []}")).isInstanceOf(EndpointsException.class)
            .hasMessageContaining("vendors");
        assertThatThrownBy(() -> parse("{\"vendor\": []}")).isInstanceOfSatisfying(EndpointsException.class,
            e -> assertThat(e.key()).isEqualTo("vendor"));
        assertThatThrownBy(() -> parse("[]")).isInstanceOf(EndpointsException.class);
        assertThatThrownBy(() -> parse("{\"vendors\": [")).isInstanceOf(EndpointsException.class)
            .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> parse("{\"vendors\": [{\"name\": \"Maiia\", \"name\": \"Keldoc\", \"baseUrl\": \"https://a.example\"}]}"))
            .isInstanceOf(EndpointsException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> parse("{\"vendors\": [{\"name\": \"Nobody\", \"baseUrl\": \"https://a.example\"}]}"))
            .isInstanceOfSatisfying(EndpointsException.class, e -> assertThat(e.key()).isEqualTo("vendors[0].name"));
        assertThatThrownBy(() -> parse("{\"vendors\": [{\"name\": \"Maiia\", \"baseUrl\": \"https://a.example\"},"
            + " {\"name\": \"maiia\", \"baseUrl\": \"https://b.example\"}]}"))
            .isInstanceOfSatisfying(EndpointsException.class, e -> assertThat(e.key()).isEqualTo("vendors[1].name"))
            .hasMessageContaining("twice");
    }

    @Test
    void loadReadsAFileAndNamesIt() throws IOException {
        final Path file = dir.resolve("endpoints.json");
        Files.writeString(file, one(", \"maxInFlight\": 0"));
        assertThatThrownBy(() -> EndpointsFile.load(file, VENDORS))
            .hasMessageStartingWith("endpoints.json: vendors[0].maxInFlight");
        assertThatThrownBy(() -> EndpointsFile.load(dir.resolve("none.json"), VENDORS))
            .isInstanceOf(EndpointsException.class).hasMessageContaining("cannot read");
    }

    @Test
    void theSchemaAcceptsTheIssuesExampleAndRefusesAnUnknownKey() throws IOException {
        final JsonSchema schema;
        try (InputStream in = EndpointsFile.class.getResourceAsStream("/fr/creneau/feed/endpoints.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        final ObjectMapper json = new ObjectMapper();
        final String example = "{\"vendors\": [{\"name\": \"doctolib\", \"baseUrl\": \"https://doctolib.example/fhir\","
            + " \"integration\": \"END_TO_END\", \"timeoutMs\": 7000, \"idsPerRequest\": 25, \"refreshSeconds\": 300,"
            + " \"maxInFlight\": 4, \"departements\": [\"75\", \"48\"], \"tls\": {\"keyStore\": \"client.p12\","
            + " \"keyStorePassword\": \"x\", \"trustStore\": \"trust.p12\", \"trustStorePassword\": \"y\"}}]}";
        assertThat(schema.validate(json.readTree(example))).isEmpty();
        assertThat(schema.validate(json.readTree(one(", \"timeoutMS\": 1")))).isNotEmpty();
        assertThat(schema.validate(json.readTree("{\"vendors\": [{\"name\": \"x\", \"baseUrl\": \"http://vendor.example\"}]}")))
            .isNotEmpty();
        assertThat(schema.validate(json.readTree("{\"vendors\": [{\"name\": \"x\", \"baseUrl\": \"http://127.0.0.1:8080/fhir\"}]}")))
            .isEmpty();
    }

    @Test
    void theSearchKeyNamesTheGuidesVariantAndSosMedecinsNeedsItsSirets() throws IOException {
        assertThat(parse(one("")).get(0).search()).isEqualTo(SearchKind.PRACTITIONER);
        assertThat(parse(one(", \"search\": \"CPTS\"")).get(0).search()).isEqualTo(SearchKind.CPTS);
        final Endpoint sos = parse(one(", \"search\": \"SOS_MEDECINS\", \"sirets\": [\"33417374840002\"]")).get(0);
        assertThat(sos.search()).isEqualTo(SearchKind.SOS_MEDECINS);
        assertThat(sos.sirets()).containsExactly("33417374840002");
        assertThatThrownBy(() -> parse(one(", \"search\": \"SOS\"")))
            .isInstanceOf(EndpointsException.class).hasMessageContaining("vendors[0].search");
        assertThatThrownBy(() -> parse(one(", \"search\": \"SOS_MEDECINS\"")))
            .isInstanceOf(EndpointsException.class).hasMessageContaining("vendors[0].sirets").hasMessageContaining("required");
        assertThatThrownBy(() -> parse(one(", \"sirets\": [\"33417374840002\"]")))
            .isInstanceOf(EndpointsException.class).hasMessageContaining("vendors[0].sirets");
        assertThatThrownBy(() -> parse(one(", \"search\": \"SOS_MEDECINS\", \"sirets\": [\"3341737484\"]")))
            .isInstanceOf(EndpointsException.class).hasMessageContaining("vendors[0].sirets[0]");

        final JsonSchema schema;
        try (InputStream in = EndpointsFile.class.getResourceAsStream("/fr/creneau/feed/endpoints.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        final ObjectMapper json = new ObjectMapper();
        assertThat(schema.validate(json.readTree(one(", \"search\": \"CPTS\"")))).isEmpty();
        assertThat(schema.validate(json.readTree(one(", \"search\": \"SOS_MEDECINS\", \"sirets\": [\"33417374840002\"]"))))
            .isEmpty();
        assertThat(schema.validate(json.readTree(one(", \"search\": \"SOS_MEDECINS\"")))).isNotEmpty();
        assertThat(schema.validate(json.readTree(one(", \"sirets\": [\"33417374840002\"]")))).isNotEmpty();
    }
}
