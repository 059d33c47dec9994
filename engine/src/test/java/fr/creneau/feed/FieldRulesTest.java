package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import fr.creneau.directory.Integration;
import fr.creneau.directory.VendorRegistry;

/**
 * Values the schemas rule out and the parsers used to accept (issue 12 #20, parser part): FHIR
 * instants without an offset, empty slot ids, vendor names with NUL or padding.
 */
class FieldRulesTest {
    private final NativeFeedParser nativeParser = new NativeFeedParser();
    private final FhirBundleParser fhirParser = new FhirBundleParser();

    // ---- FHIR instants ---------------------------------------------------------------------------

    private static String bundle(final String slotId, final String start, final String end) {
        return """
            {"resourceType": "Bundle", "type": "searchset", "timestamp": "2026-11-23T08:55:00Z", "entry": [
             {"resource": {"resourceType": "Slot", "id": %s,
              "meta": {"security": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau", "code": "PUBLIC"}]},
              "serviceType": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"}]}],
              "schedule": {"reference": "Schedule/sch"}, "status": "free", "start": "%s", "end": "%s"}},
             {"resource": {"resourceType": "Schedule", "id": "sch", "actor": [{"reference": "Practitioner/pr"}]}},
             {"resource": {"resourceType": "Practitioner", "id": "pr",
              "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "810000000017"}]}}]}
            """.formatted(slotId, start, end);
    }

    private ParsedFeed fhir(final String text) {
        return fhir(text, "Doctolib");
    }

    private ParsedFeed fhir(final String text, final String vendor) {
        return fhirParser.parse("bundle", vendor, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aFhirSlotTimeWithoutAnOffsetIsRejected() {
        // FHIR instant: "the time SHALL specify a time zone". A local time would be read in the
        // practitioner's zone by the validator, as the native format allows: not here.
        final ParsedFeed noStartOffset = fhir(bundle("\"s1\"", "2026-11-23T14:00:00", "2026-11-23T14:20:00+01:00"));
        assertThat(noStartOffset.slots()).isEmpty();
        assertThat(noStartOffset.rejected()).extracting(Rejection::reason, Rejection::recordId)
            .containsExactly(tuple(RejectReason.MALFORMED_TIME, "s1"));
        assertThat(noStartOffset.rejected().get(0).detail()).contains("Slot.start").contains("2026-11-23T14:00:00");
        final ParsedFeed noEndOffset = fhir(bundle("\"s1\"", "2026-11-23T14:00:00Z", "2026-11-23T14:20:00"));
        assertThat(noEndOffset.rejected()).extracting(Rejection::reason).containsExactly(RejectReason.MALFORMED_TIME);
        final ParsedFeed dateOnly = fhir(bundle("\"s1\"", "2026-11-23", "2026-11-23T14:20:00Z"));
        assertThat(dateOnly.rejected()).extracting(Rejection::reason).containsExactly(RejectReason.MALFORMED_TIME);
    }

    @Test
    void aFhirSlotTimeWithAnOffsetOrZIsRead() {
        final ParsedFeed feed = fhir(bundle("\"s1\"", "2026-11-23T14:00:00+01:00", "2026-11-23T13:20:00.000Z"));
        assertThat(feed.rejected()).isEmpty();
        assertThat(feed.slots()).extracting(RawSlot::start).containsExactly("2026-11-23T14:00:00+01:00");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\"  \"", "\"a b\"", "\"s\\u00001\"", "\"s_1\""})
    void aFhirSlotIdOutsideTheFhirIdSyntaxIsRejected(final String id) {
        final ParsedFeed feed = fhir(bundle(id, "2026-11-23T14:00:00+01:00", "2026-11-23T14:20:00+01:00"));
        assertThat(feed.slots()).isEmpty();
        assertThat(feed.rejected()).hasSize(1);
        assertThat(feed.rejected().get(0).reason()).isIn(RejectReason.MISSING_FIELD, RejectReason.INVALID_VALUE);
    }

    @Test
    void aFhirSlotIdLongerThanSixtyFourCharactersIsRejected() {
        final ParsedFeed feed = fhir(bundle("\"" + "a".repeat(65) + "\"", "2026-11-23T14:00:00+01:00",
            "2026-11-23T14:20:00+01:00"));
        assertThat(feed.rejected()).extracting(Rejection::reason, Rejection::recordId)
            .containsExactly(tuple(RejectReason.INVALID_VALUE, "#0"));
        assertThat(fhir(bundle("\"" + "a".repeat(64) + "\"", "2026-11-23T14:00:00+01:00",
            "2026-11-23T14:20:00+01:00")).slots()).hasSize(1);
    }

    // ---- native slot ids -------------------------------------------------------------------------

    private static String vendorFeed(final String vendor, final String slotId) {
        return "{\"vendor\": " + vendor + ", \"integration\": \"END_TO_END\", \"generatedAt\": \"2026-11-23T08:55:00Z\","
            + " \"slots\": [{\"id\": " + slotId + ", \"rpps\": \"10000000017\", \"start\": \"2026-11-23T14:00:00+01:00\","
            + " \"end\": \"2026-11-23T14:20:00+01:00\", \"modality\": \"OFFICE\", \"visibility\": \"PUBLIC\"}]}";
    }

    private ParsedFeed vendor(final String text) {
        return nativeParser.parseVendorFeed("feed", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\"   \"", "\"d\\u00001\"", "\"d\\n1\""})
    void anEmptyBlankOrControlCharacterSlotIdIsRejected(final String id) {
        final ParsedFeed feed = vendor(vendorFeed("\"Doctolib\"", id));
        assertThat(feed.slots()).isEmpty();
        assertThat(feed.rejected()).extracting(Rejection::reason, Rejection::recordId)
            .containsExactly(tuple(RejectReason.INVALID_VALUE, "#0"));
    }

    @Test
    void aSlotIdLongerThanTheSchemaAllowsIsRejected() {
        final ParsedFeed feed = vendor(vendorFeed("\"Doctolib\"", "\"" + "d".repeat(NativeFeedParser.MAX_ID_LENGTH + 1) + "\""));
        assertThat(feed.rejected()).extracting(Rejection::reason, Rejection::recordId)
            .containsExactly(tuple(RejectReason.INVALID_VALUE, "#0"));
        assertThat(vendor(vendorFeed("\"Doctolib\"", "\"" + "d".repeat(NativeFeedParser.MAX_ID_LENGTH) + "\"")).slots())
            .hasSize(1);
    }

    @Test
    void anEmptyManualSlotIdIsRejected() {
        final String text = "{\"slots\": [{\"id\": \"\", \"rpps\": \"10000000017\", \"start\": \"2026-11-23T14:00:00+01:00\","
            + " \"end\": \"2026-11-23T14:20:00+01:00\"}]}";
        final ParsedFeed feed = nativeParser.parseManual("manual", new ByteArrayInputStream(
            text.getBytes(StandardCharsets.UTF_8)));
        assertThat(feed.rejected()).extracting(Rejection::reason).containsExactly(RejectReason.INVALID_VALUE);
    }

    // ---- vendor names ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"\"Doctolib\\u0000\"", "\"Doc\\u0000tolib\"", "\" Doctolib\"", "\"Doctolib \"",
        "\"Doctolib\\n\"", "\"\\u00a0Doctolib\"", "\"\"", "\"Doc\\u202etolib\""})
    void aVendorNameWithNulPaddingOrControlsIsRefused(final String name) {
        assertThatThrownBy(() -> vendor(vendorFeed(name, "\"d1\"")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("\"vendor\"");
    }

    @Test
    void theVendorNameIsCheckedWhateverTheFieldOrder() {
        final String vendorLast = "{\"integration\": \"END_TO_END\", \"generatedAt\": \"2026-11-23T08:55:00Z\","
            + " \"slots\": [], \"vendor\": ";
        assertThat(vendor(vendorLast + "\"Doctolib\"}").vendor()).isEqualTo("Doctolib");
        assertThatThrownBy(() -> vendor(vendorLast + "\"Doctolib \"}"))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("\"vendor\"");
    }

    @Test
    void aVendorNameLongerThanTheLimitIsRefusedWithoutBeingEchoedWhole() {
        final String name = "D".repeat(100_000);
        assertThatThrownBy(() -> vendor(vendorFeed("\"" + name + "\"", "\"d1\"")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("\"vendor\"")
            .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(500));
    }

    @Test
    void theFhirParserRefusesSuchAVendorNameFromItsCaller() {
        final String ok = bundle("\"s1\"", "2026-11-23T14:00:00+01:00", "2026-11-23T14:20:00+01:00");
        assertThatThrownBy(() -> fhir(ok, "Doctolib\u0000")).isInstanceOf(FeedFormatException.class)
            .hasMessageContaining("vendor");
        assertThatThrownBy(() -> fhir(ok, " Doctolib")).isInstanceOf(FeedFormatException.class);
    }

    @Test
    void aDirectoryEntryNamingAPaddedVendorIsRejected() {
        final String text = """
            [{"rpps": "10000000017", "name": "Dr Alice", "profession": "GP", "lat": 48.85, "lon": 2.35,
              "phone": "0102030405", "vendor": "Doctolib\\u0000", "refusesVendorSlots": false,
              "participation": "INDIVIDUAL", "acceptsExtraPatients": false, "cpts": null},
             {"rpps": "10000000025", "name": "Dr Bob", "profession": "GP", "lat": 48.85, "lon": 2.35,
              "phone": "0102030405", "vendor": "Keldoc ", "refusesVendorSlots": false,
              "participation": "INDIVIDUAL", "acceptsExtraPatients": false, "cpts": null}]
            """;
        final DirectoryLoader.Result result = new DirectoryLoader(VendorRegistry.defaults()).load("practitioners.json",
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null);
        assertThat(result.directory().size()).isZero();
        assertThat(result.report().rejected(RejectReason.INVALID_VALUE)).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "phone", "cptsId", "cptsPhone"})
    void aDirectoryEntryWithAnEmptyNamePhoneOrCptsFieldIsRejected(final String which) {
        // The schema's minLength 1: a phone row with no number to call is no row at all.
        final String entry = """
            {"rpps": "10000000017", "name": "%s", "profession": "GP", "lat": 48.85, "lon": 2.35,
             "phone": "%s", "vendor": null, "refusesVendorSlots": false,
             "participation": "CPTS", "acceptsExtraPatients": false,
             "cpts": {"id": "%s", "name": "CPTS Paris 11", "phone": "%s"}}""";
        final String good = entry.formatted("Dr Alice", "0102030405", "c11", "0102030406");
        final String bad = entry.formatted("name".equals(which) ? "" : "Dr Alice", "phone".equals(which) ? "  " : "0102030405",
            "cptsId".equals(which) ? "" : "c11", "cptsPhone".equals(which) ? " " : "0102030406");
        final DirectoryLoader loader = new DirectoryLoader(VendorRegistry.defaults());
        assertThat(loader.load("ok", new ByteArrayInputStream(("[" + good + "]").getBytes(StandardCharsets.UTF_8)), null)
            .directory().size()).isEqualTo(1);
        final DirectoryLoader.Result result = loader.load("bad", new ByteArrayInputStream(("[" + bad + "]")
            .getBytes(StandardCharsets.UTF_8)), null);
        assertThat(result.directory().size()).isZero();
        assertThat(result.report().rejected(RejectReason.INVALID_VALUE)).isEqualTo(1);
    }

    @Test
    void theRegistryNeitherRegistersNorFindsSuchANameButStillIgnoresCaseAccentsAndPunctuation() {
        assertThat(VendorRegistry.defaults().find("Doctolib\u0000")).isNull();
        assertThat(VendorRegistry.defaults().find(" Doctolib")).isNull();
        assertThat(VendorRegistry.defaults().find("monmedecin.org").displayName()).isEqualTo("MonMédecin.org");
        assertThatThrownBy(() -> VendorRegistry.builder().add("Keldoc\u0000", Integration.END_TO_END))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VendorRegistry.builder().add("Keldoc ", Integration.END_TO_END))
            .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- what a rejection carries ----------------------------------------------------------------

    @Test
    void aRejectionDoesNotCarryAHugeValueWhole() {
        final Rejection r = new Rejection(RejectReason.MALFORMED_TIME, "x".repeat(10_000), "y".repeat(100_000));
        assertThat(r.recordId().length()).isLessThanOrEqualTo(Rejection.MAX_LENGTH + 1);
        assertThat(r.detail().length()).isLessThanOrEqualTo(Rejection.MAX_LENGTH + 1);
    }
}
