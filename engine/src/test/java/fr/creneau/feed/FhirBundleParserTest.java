package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class FhirBundleParserTest {

    private static final String VENDOR = "MonMédecin.org";
    private static final String RPPS_FONTAINE = "10003456786";
    private static final String RPPS_LE_GOFF = "10012345673";
    private static final String RPPS_BENALI = "10098765430";
    private static final String RPPS_MARTIN = "10000000421";

    private final FhirBundleParser parser = new FhirBundleParser();

    // ---- the well-formed bundle ----------------------------------------------------------------

    @Test
    void shouldReadEverySlotInInputOrderWhateverTheOrderOfIncludedResources() {
        final ParsedFeed feed = parse("bundle-ps-indiv.json");

        assertThat(feed.label()).isEqualTo("bundle-ps-indiv.json");
        assertThat(feed.vendor()).isEqualTo(VENDOR);
        assertThat(feed.isManual()).isFalse();
        assertThat(feed.rejected()).isEmpty();
        // slot-a1 and slot-a2 come before their Schedules, slot-b* after theirs.
        assertThat(feed.slots()).extracting(RawSlot::id)
            .containsExactly("slot-a1", "slot-a2", "slot-b1", "slot-b2", "slot-c1", "slot-c2", "slot-c3");
    }

    @Test
    void shouldTakeTheRppsFromTheIdnpsWithoutItsLeadingEight() {
        final Map<String, RawSlot> slots = byId(parse("bundle-ps-indiv.json"));

        // pr-a also has a vendor-internal identifier, listed first: only the IDNPS counts.
        assertThat(slots.get("slot-a1").rpps()).isEqualTo(RPPS_FONTAINE);
        assertThat(slots.get("slot-a2").rpps()).isEqualTo(RPPS_FONTAINE);
        assertThat(slots.get("slot-c1").rpps()).isEqualTo(RPPS_BENALI);
    }

    @Test
    void shouldFindThePractitionerThroughThePractitionerRoleWhenItIsTheOnlyActor() {
        final Map<String, RawSlot> slots = byId(parse("bundle-ps-indiv.json"));

        assertThat(slots.get("slot-b1").rpps()).isEqualTo(RPPS_LE_GOFF);
        assertThat(slots.get("slot-b2").rpps()).isEqualTo(RPPS_LE_GOFF);
    }

    @Test
    void shouldResolveScheduleReferencesByAbsoluteUrlAsWellAsByTypeAndId() {
        final Map<String, RawSlot> slots = byId(parse("bundle-ps-indiv.json"));

        // slot-c1 names https://agenda.example.fr/fhir/Schedule/sch-c, slot-c3 Schedule/sch-c.
        assertThat(slots.get("slot-c1").rpps()).isEqualTo(RPPS_BENALI);
        assertThat(slots.get("slot-c3").rpps()).isEqualTo(RPPS_BENALI);
    }

    @Test
    void shouldMapServiceTypeCodesToModalities() {
        final Map<String, RawSlot> slots = byId(parse("bundle-ps-indiv.json"));

        assertThat(slots.get("slot-a1").modalities())
            .isEqualTo(Modality.OFFICE.bit() | Modality.TELECONSULTATION.bit());
        assertThat(slots.get("slot-b1").modalities()).isEqualTo(Modality.HOME_VISIT.bit());
        assertThat(slots.get("slot-c1").modalities()).isEqualTo(Modality.TELECONSULTATION.bit());
        assertThat(slots.get("slot-c2").modalities()).isEqualTo(Modality.OFFICE.bit() | Modality.HOME_VISIT.bit());
    }

    @Test
    void shouldIgnoreServiceTypesThatAreNotConsultationTypes() {
        final Map<String, RawSlot> slots = byId(parse("bundle-ps-indiv.json"));

        // slot-a2 has a free-text motive, slot-b2 the CPTS care type (TRE_R66 604 + extension).
        assertThat(slots.get("slot-a2").modalities()).isEqualTo(Modality.OFFICE.bit());
        assertThat(slots.get("slot-b2").modalities()).isEqualTo(Modality.OFFICE.bit());
    }

    @Test
    void shouldMapSecurityLabelsToVisibility() {
        final Map<String, RawSlot> slots = byId(parse("bundle-ps-indiv.json"));

        assertThat(slots.get("slot-a1").visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(slots.get("slot-a2").visibility()).isEqualTo(Visibility.PROFESSIONAL);
        assertThat(slots.get("slot-b2").visibility()).isEqualTo(Visibility.STRUCTURE);
    }

    @Test
    void shouldShowSnpSlotsToTheSasAsProfessionalSlots() {
        final RawSlot snp = byId(parse("bundle-ps-indiv.json")).get("slot-b1");

        assertThat(snp.visibility()).isEqualTo(Visibility.PROFESSIONAL);
        assertThat(snp.visibility().isVisible()).isTrue();
    }

    @Test
    void shouldKeepTheWidestAudienceWhenASlotCarriesSeveralSecurityLabels() {
        final Map<String, RawSlot> slots = byId(parse("bundle-ps-indiv.json"));

        // Listed narrowest first, so that taking the first label would fail.
        assertThat(slots.get("slot-c1").visibility()).isEqualTo(Visibility.PUBLIC);       // PRO, PUBLIC
        assertThat(slots.get("slot-c2").visibility()).isEqualTo(Visibility.PROFESSIONAL); // CPTS, SNP
    }

    @Test
    void shouldMarkWalkInAndNonFreeSlotsAsNotBookable() {
        final Map<String, RawSlot> slots = byId(parse("bundle-ps-indiv.json"));

        assertThat(slots.get("slot-a1").bookable()).isTrue();  // ROUTINE, free
        assertThat(slots.get("slot-a2").bookable()).isFalse(); // WALKIN
        assertThat(slots.get("slot-c2").bookable()).isFalse(); // status busy
    }

    @Test
    void shouldTakeTheBookingUrlFromTheComment() {
        final Map<String, RawSlot> slots = byId(parse("bundle-ps-indiv.json"));

        assertThat(slots.get("slot-a1").bookingUrl()).isEqualTo("https://agenda.example.fr/rdv/dr-fontaine-claire");
        assertThat(slots.get("slot-a2").bookingUrl()).isNull();
        assertThat(slots.get("slot-c3").bookingUrl()).isEqualTo("https://agenda.example.fr/rdv/dr-benali-nadia");
    }

    @Test
    void shouldKeepStartAndEndAsTheVendorWroteThem() {
        final RawSlot slot = byId(parse("bundle-ps-indiv.json")).get("slot-a2");

        assertThat(slot.start()).isEqualTo("2025-11-05T11:00:00.000+01:00");
        assertThat(slot.end()).isEqualTo("2025-11-05T11:30:00.000+01:00");
    }

    // ---- snapshot time -------------------------------------------------------------------------

    @Test
    void shouldTakeGeneratedAtFromBundleTimestampBeforeMetaLastUpdated() {
        final ParsedFeed feed = parse("bundle-ps-indiv.json");

        assertThat(feed.generatedAt()).isEqualTo(Instant.parse("2025-11-05T06:58:12.345Z"));
    }

    @Test
    void shouldFallBackToMetaLastUpdatedWhenTheBundleHasNoTimestamp() {
        final ParsedFeed feed = parse("bundle-lastupdated-only.json");

        assertThat(feed.generatedAt()).isEqualTo(Instant.parse("2025-11-05T06:59:00Z"));
        assertThat(feed.slots()).extracting(RawSlot::rpps).containsExactly(RPPS_MARTIN);
    }

    @Test
    void shouldRefuseABundleWithoutAnySnapshotTime() {
        assertThatThrownBy(() -> parse("bundle-undated.json"))
            .isInstanceOf(FeedFormatException.class)
            .hasMessageContaining("Bundle.timestamp")
            .hasMessageContaining("Bundle.meta.lastUpdated")
            .extracting(e -> ((FeedFormatException) e).source()).isEqualTo("bundle-undated.json");
    }

    @Test
    void shouldUseTheTimeTheHostSentTheSearchWhenTheBundleDeclaresNone() throws IOException {
        final Instant requestedAt = Instant.parse("2025-11-05T06:57:00Z");
        try (InputStream in = resource("bundle-undated.json")) {
            final ParsedFeed feed = parser.parse("bundle-undated.json", VENDOR, in, requestedAt);

            assertThat(feed.generatedAt()).isEqualTo(requestedAt);
            assertThat(feed.slots()).hasSize(1);
        }
    }

    @Test
    void shouldPreferTheTimeTheBundleDeclaresOverTheHostsRequestTime() throws IOException {
        try (InputStream in = resource("bundle-lastupdated-only.json")) {
            final ParsedFeed feed = parser.parse("bundle-lastupdated-only.json", VENDOR, in,
                Instant.parse("2025-11-05T06:00:00Z"));

            assertThat(feed.generatedAt()).isEqualTo(Instant.parse("2025-11-05T06:59:00Z"));
        }
    }

    @Test
    void shouldReadAnEmptySearchsetAsAFeedWithoutSlots() {
        final ParsedFeed feed = parse("bundle-empty.json");

        assertThat(feed.slots()).isEmpty();
        assertThat(feed.rejected()).isEmpty();
        assertThat(feed.generatedAt()).isEqualTo(Instant.parse("2025-11-05T06:00:00Z"));
    }

    // ---- whole-input errors --------------------------------------------------------------------

    @Test
    void shouldRefuseAnOperationOutcomeWithItsDiagnostics() {
        assertThatThrownBy(() -> parse("operation-outcome.json"))
            .isInstanceOf(FeedFormatException.class)
            .hasMessageContaining("OperationOutcome")
            .hasMessageContaining("start=le2025-11-07 must be after start=ge2025-11-05")
            .hasMessageContaining("Paramètre de recherche invalide")
            .hasMessageContaining("_include:iterate=Schedule:actor ignored");
    }

    @Test
    void shouldRefuseInputThatIsNotJson() {
        assertThatThrownBy(() -> parse("not-json.html"))
            .isInstanceOf(FeedFormatException.class)
            .hasMessageStartingWith("not-json.html: malformed JSON at line 1");
    }

    @Test
    void shouldRefuseTruncatedJsonWithoutReturningTheSlotsReadBeforeTheCut() {
        // The cut falls after the first complete Slot: nothing of it may reach the index.
        assertThatThrownBy(() -> parse("truncated.json"))
            .isInstanceOf(FeedFormatException.class)
            .hasMessageContaining("malformed JSON");
    }

    @Test
    void shouldRefuseEmptyInput() {
        assertThatThrownBy(() -> parser.parse("empty", VENDOR, new ByteArrayInputStream(new byte[0])))
            .isInstanceOf(FeedFormatException.class)
            .hasMessageContaining("empty input");
    }

    @Test
    void shouldRefuseJsonThatIsNotAnObject() {
        assertThatThrownBy(() -> parseText("[{\"resourceType\":\"Bundle\"}]"))
            .isInstanceOf(FeedFormatException.class)
            .hasMessageContaining("expected a FHIR resource");
    }

    @Test
    void shouldRefuseAResourceThatIsNotABundle() {
        assertThatThrownBy(() -> parseText("{\"resourceType\":\"Slot\",\"id\":\"s1\",\"status\":\"free\"}"))
            .isInstanceOf(FeedFormatException.class)
            .hasMessageContaining("expected a Bundle, got a Slot");
    }

    @Test
    void shouldRefuseABundleThatIsNotASearchset() {
        assertThatThrownBy(() -> parse("bundle-collection.json"))
            .isInstanceOf(FeedFormatException.class)
            .hasMessageContaining("Bundle.type is 'collection'");
    }

    @Test
    void shouldRefuseOnePageOfAPagedSearch() {
        assertThatThrownBy(() -> parse("bundle-paged.json"))
            .isInstanceOf(FeedFormatException.class)
            .hasMessageContaining("next")
            .hasMessageContaining("_page=2");
    }

    @Test
    void shouldNotCloseTheCallersStream() throws IOException {
        try (InputStream raw = resource("bundle-lastupdated-only.json")) {
            final boolean[] closed = {false};
            final InputStream watched = new FilterInputStream(raw) {
                @Override
                public void close() {
                    closed[0] = true;
                }
            };
            parser.parse("bundle-lastupdated-only.json", VENDOR, watched);
            assertThat(closed[0]).isFalse();
        }
    }

    // ---- per-slot rejections -------------------------------------------------------------------

    @Test
    void shouldRejectSlotsWhoseScheduleIsMissingAndKeepTheOthers() {
        final ParsedFeed feed = parse("bundle-missing-schedule.json");

        assertThat(feed.slots()).extracting(RawSlot::id).containsExactly("slot-ok");
        assertThat(feed.rejected())
            .extracting(Rejection::reason, Rejection::recordId)
            .containsExactly(
                tuple(RejectReason.MISSING_FIELD, "slot-orphan"),
                tuple(RejectReason.MISSING_FIELD, "slot-no-schedule"),
                tuple(RejectReason.MISSING_FIELD, "slot-points-at-practitioner"),
                tuple(RejectReason.MISSING_FIELD, "slot-actor-missing"));
        final Map<String, String> detail = details(feed);
        assertThat(detail.get("slot-orphan")).contains("Schedule/sch-not-included");
        assertThat(detail.get("slot-no-schedule")).contains("Slot.schedule");
        assertThat(detail.get("slot-points-at-practitioner")).contains("Practitioner/pr-x").contains("not a Schedule");
        assertThat(detail.get("slot-actor-missing")).contains("Practitioner/pr-not-included");
    }

    @Test
    void shouldRejectAPractitionerWithAnUnknownIdentifierSystem() {
        final ParsedFeed feed = parse("bundle-unknown-identifier-system.json");

        assertThat(feed.slots()).extracting(RawSlot::id).containsExactly("slot-ok");
        final Rejection rejection = feed.rejected().get(0);
        assertThat(rejection.reason()).isEqualTo(RejectReason.INVALID_RPPS);
        assertThat(rejection.recordId()).isEqualTo("slot-unknown-system");
        assertThat(rejection.detail())
            .contains("Practitioner/pr-internal")
            .contains("https://agenda.example.fr/praticiens")
            .contains(FhirBundleParser.IDNPS_SYSTEM);
    }

    @Test
    void shouldRejectAnIdnpsThatIsAnAdeliNumber() {
        final Map<String, Rejection> rejected = rejectionsById(parse("bundle-unknown-identifier-system.json"));

        assertThat(rejected.get("slot-adeli").reason()).isEqualTo(RejectReason.INVALID_RPPS);
        assertThat(rejected.get("slot-adeli").detail()).contains("0471234567").contains("ADELI");
    }

    @Test
    void shouldRejectAScheduleShowingTwoPractitioners() {
        final ParsedFeed feed = parse("bundle-schedule-actors.json");
        final Map<String, Rejection> rejected = rejectionsById(feed);

        assertThat(rejected.get("slot-shared").reason()).isEqualTo(RejectReason.INVALID_VALUE);
        assertThat(rejected.get("slot-shared").detail()).contains(RPPS_MARTIN).contains(RPPS_LE_GOFF);
        // One identified practitioner does not make the other one the same person.
        assertThat(rejected.get("slot-mixed").reason()).isEqualTo(RejectReason.INVALID_VALUE);
        assertThat(rejected.get("slot-mixed").detail()).contains(RPPS_MARTIN).contains("Practitioner/pr-unidentified");
    }

    @Test
    void shouldAcceptALogicalReferenceToThePractitionerByIdnps() {
        final ParsedFeed feed = parse("bundle-schedule-actors.json");

        assertThat(feed.slots()).extracting(RawSlot::id, RawSlot::rpps)
            .containsExactly(tuple("slot-logical", RPPS_BENALI));
    }

    @Test
    void shouldRejectSlotsWithMissingStartOrEnd() {
        final Map<String, Rejection> rejected = rejectionsById(parse("bundle-invalid-slots.json"));

        assertThat(rejected.get("slot-no-start").reason()).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(rejected.get("slot-no-start").detail()).contains("Slot.start");
        assertThat(rejected.get("slot-no-end").reason()).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(rejected.get("slot-no-end").detail()).contains("Slot.end");
    }

    @Test
    void shouldRejectSlotsWithoutAKnownConsultationType() {
        final Map<String, Rejection> rejected = rejectionsById(parse("bundle-invalid-slots.json"));

        assertThat(rejected.get("slot-no-service-type").reason()).isEqualTo(RejectReason.INVALID_VALUE);
        assertThat(rejected.get("slot-no-service-type").detail()).contains("no consultation type");
        // AMB is known, but EMER is not one of the three the SAS handles.
        assertThat(rejected.get("slot-emergency").reason()).isEqualTo(RejectReason.INVALID_VALUE);
        assertThat(rejected.get("slot-emergency").detail()).contains("EMER");
    }

    @Test
    void shouldRejectUnknownOrMissingSecurityLabels() {
        final Map<String, Rejection> rejected = rejectionsById(parse("bundle-invalid-slots.json"));

        assertThat(rejected.get("slot-unknown-security").reason()).isEqualTo(RejectReason.INVALID_VALUE);
        assertThat(rejected.get("slot-unknown-security").detail()).contains("PRIVE");
        assertThat(rejected.get("slot-no-security").reason()).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(rejected.get("slot-no-security").detail()).contains("Slot.meta.security");
    }

    @Test
    void shouldNameASlotWithoutIdByItsPositionInTheBundle() {
        final Map<String, Rejection> rejected = rejectionsById(parse("bundle-invalid-slots.json"));

        assertThat(rejected.get("#6").reason()).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(rejected.get("#6").detail()).contains("Slot.id");
    }

    @Test
    void shouldKeepGoodSlotsNextToBadOnesAndCountEachBadOneOnce() {
        final ParsedFeed feed = parse("bundle-invalid-slots.json");

        assertThat(feed.slots()).extracting(RawSlot::id).containsExactly("slot-ok");
        assertThat(feed.rejected()).extracting(Rejection::recordId).containsExactly(
            "slot-no-start", "slot-no-end", "slot-no-service-type", "slot-emergency",
            "slot-unknown-security", "slot-no-security", "#6");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private ParsedFeed parse(final String fixture) {
        try (InputStream in = resource(fixture)) {
            return parser.parse(fixture, VENDOR, in);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ParsedFeed parseText(final String json) {
        return parser.parse("inline", VENDOR, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static InputStream resource(final String fixture) {
        final InputStream in = FhirBundleParserTest.class.getResourceAsStream("/fhir/" + fixture);
        assertThat(in).as("fixture %s", fixture).isNotNull();
        return in;
    }

    private static Map<String, RawSlot> byId(final ParsedFeed feed) {
        return feed.slots().stream().collect(Collectors.toMap(RawSlot::id, Function.identity()));
    }

    private static Map<String, Rejection> rejectionsById(final ParsedFeed feed) {
        return feed.rejected().stream().collect(Collectors.toMap(Rejection::recordId, Function.identity()));
    }

    private static Map<String, String> details(final ParsedFeed feed) {
        final List<Rejection> rejected = feed.rejected();
        return rejected.stream().collect(Collectors.toMap(Rejection::recordId, Rejection::detail));
    }
}
