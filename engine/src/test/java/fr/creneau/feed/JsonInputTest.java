package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import fr.creneau.directory.VendorRegistry;

/**
 * What every feed parser does with the JSON layer (defect 7 of issue 12): the caller's stream is
 * the caller's, duplicate keys are refused, and hostile sizes (a huge string, a deep nesting, a
 * huge number) are a {@link FeedFormatException}, not an exhausted heap or stack.
 */
class JsonInputTest {
    private static final String VENDOR_FEED = """
        {"vendor": "Doctolib", "integration": "END_TO_END", "generatedAt": "2026-11-23T08:55:00Z",
         "slots": [{"id": "d1", "rpps": "10000000017", "start": "2026-11-23T14:00:00+01:00",
                    "end": "2026-11-23T14:20:00+01:00", "modality": "OFFICE", "visibility": "PUBLIC"}]}
        """;
    private static final String MANUAL = """
        {"slots": [{"id": "m1", "rpps": "10000000017", "start": "2026-11-23T14:00:00+01:00",
                    "end": "2026-11-23T14:20:00+01:00"}]}
        """;
    private static final String DIRECTORY = """
        [{"rpps": "10000000017", "name": "Dr Alice", "profession": "GP", "lat": 48.85, "lon": 2.35,
          "phone": "0102030405", "vendor": "Doctolib", "refusesVendorSlots": false,
          "participation": "INDIVIDUAL", "acceptsExtraPatients": false, "cpts": null}]
        """;
    private static final String BUNDLE = """
        {"resourceType": "Bundle", "type": "searchset", "timestamp": "2026-11-23T08:55:00Z",
         "entry": [
          {"fullUrl": "https://x/Slot/s1", "resource": {"resourceType": "Slot", "id": "s1",
           "meta": {"security": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau", "code": "PUBLIC"}]},
           "serviceType": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"}]}],
           "schedule": {"reference": "Schedule/sch"}, "status": "free",
           "start": "2026-11-23T14:00:00+01:00", "end": "2026-11-23T14:20:00+01:00"}},
          {"resource": {"resourceType": "Schedule", "id": "sch", "actor": [{"reference": "Practitioner/pr"}]}},
          {"resource": {"resourceType": "Practitioner", "id": "pr",
           "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "810000000017"}]}}]}
        """;

    private final NativeFeedParser nativeParser = new NativeFeedParser();
    private final FhirBundleParser fhirParser = new FhirBundleParser();
    private final DirectoryLoader directoryLoader = new DirectoryLoader(VendorRegistry.defaults());

    // ---- the caller's stream ---------------------------------------------------------------------

    /** A stream that records whether anyone closed it. */
    private static final class Watched extends FilterInputStream {
        boolean closed;

        Watched(final String text) {
            super(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static boolean closesStream(final String text, final Consumer<InputStream> parse) {
        final Watched in = new Watched(text);
        parse.accept(in);
        return in.closed;
    }

    @Test
    void theNativeParserDoesNotCloseTheCallersStream() {
        assertThat(closesStream(VENDOR_FEED, in -> nativeParser.parseVendorFeed("feed", in))).isFalse();
        assertThat(closesStream(MANUAL, in -> nativeParser.parseManual("manual", in))).isFalse();
    }

    @Test
    void theNativeParserDoesNotCloseTheCallersStreamWhenItRefusesTheInput() {
        assertThat(closesStream("{\"slots\": [", in -> assertThatThrownBy(() -> nativeParser.parseManual("cut", in))
            .isInstanceOf(FeedFormatException.class))).isFalse();
    }

    @Test
    void theDirectoryLoaderDoesNotCloseTheCallersStream() {
        assertThat(closesStream(DIRECTORY, in -> directoryLoader.load("practitioners.json", in, null))).isFalse();
    }

    @Test
    void theFhirParserDoesNotCloseTheCallersStream() {
        assertThat(closesStream(BUNDLE, in -> fhirParser.parse("bundle", "Doctolib", in))).isFalse();
    }

    // ---- duplicate keys --------------------------------------------------------------------------

    @Test
    void theFhirParserRefusesADuplicateKeyLikeTheOtherParsers() {
        // Two starts: which one would the vendor have meant?
        final String twice = BUNDLE.replace("\"start\": \"2026-11-23T14:00:00+01:00\"",
            "\"start\": \"2026-11-23T14:00:00+01:00\", \"start\": \"2026-11-23T16:00:00+01:00\"");
        assertThat(twice).isNotEqualTo(BUNDLE);
        assertThatThrownBy(() -> fhir(twice)).isInstanceOf(FeedFormatException.class)
            .hasMessageContaining("Duplicate field 'start'");
        final String twiceAtTheRoot = BUNDLE.replace("\"type\": \"searchset\"",
            "\"type\": \"searchset\", \"type\": \"collection\"");
        assertThatThrownBy(() -> fhir(twiceAtTheRoot)).isInstanceOf(FeedFormatException.class)
            .hasMessageContaining("Duplicate field 'type'");
    }

    @Test
    void theNativeParsersRefuseADuplicateKey() {
        assertThatThrownBy(() -> vendorFeed(VENDOR_FEED.replace("\"id\": \"d1\"", "\"id\": \"d1\", \"id\": \"d2\"")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("Duplicate field 'id'");
        assertThatThrownBy(() -> directory(DIRECTORY.replace("\"lat\": 48.85", "\"lat\": 48.85, \"lat\": 43.3")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("Duplicate field 'lat'");
    }

    // ---- hostile sizes ---------------------------------------------------------------------------

    @Test
    void aStringLongerThanTheLimitIsRefusedByEveryParser() {
        final String huge = "x".repeat(Json.MAX_STRING_LENGTH + 1);
        assertThatThrownBy(() -> vendorFeed(VENDOR_FEED.replace("\"d1\"", "\"" + huge + "\"")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining(String.valueOf(Json.MAX_STRING_LENGTH));
        assertThatThrownBy(() -> directory(DIRECTORY.replace("Dr Alice", huge)))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining(String.valueOf(Json.MAX_STRING_LENGTH));
        assertThatThrownBy(() -> fhir(BUNDLE.replace("\"s1\"", "\"" + huge + "\"")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining(String.valueOf(Json.MAX_STRING_LENGTH));
    }

    @Test
    void aNestingDeeperThanTheLimitIsRefused() {
        final int depth = Json.MAX_NESTING_DEPTH + 10;
        final String deep = "[".repeat(depth) + "]".repeat(depth);
        assertThatThrownBy(() -> vendorFeed(VENDOR_FEED.replace("\"OFFICE\"", "\"OFFICE\", \"extra\": " + deep)))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("nesting depth");
        assertThatThrownBy(() -> fhir(BUNDLE.replace("\"status\": \"free\"", "\"status\": \"free\", \"extra\": " + deep)))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("nesting depth");
    }

    @Test
    void aNumberLongerThanTheLimitIsRefused() {
        final String digits = "4" + "8".repeat(Json.MAX_NUMBER_LENGTH + 1);
        assertThatThrownBy(() -> directory(DIRECTORY.replace("48.85", digits)))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("Number value length");
    }

    private ParsedFeed vendorFeed(final String text) {
        return nativeParser.parseVendorFeed("feed", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private DirectoryLoader.Result directory(final String text) {
        return directoryLoader.load("practitioners.json", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
            null);
    }

    private ParsedFeed fhir(final String text) {
        return fhirParser.parse("bundle", "Doctolib", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}
