package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Integration;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.slot.SlotId;

/**
 * A slot's public id is {@code source.rpps.startMinute} ({@code fr.creneau.slot.SlotId}): two kept
 * slots of one practitioner and source must never start in the same minute (issue 12 #11, where an
 * office slot 10:00:00-10:00:30 and a teleconsultation 10:00:30-10:20 shared one id and booking
 * one booked the other).
 */
class SlotIdentityTest {
    private static final String ALICE = "10000000017";
    private final NativeFeedParser parser = new NativeFeedParser();
    private Directory directory;
    private HeapSlotSink sink;
    private Ingestor ingestor;

    @BeforeEach
    void setUp() {
        directory = Fixtures.directory();
        sink = new HeapSlotSink();
        ingestor = new Ingestor(directory, VendorRegistry.defaults(), IngestConfig.DEFAULTS,
            Fixtures.clockAt(Fixtures.NOW), sink);
    }

    private static String slot(final String id, final String start, final String end, final String modality) {
        return "{\"id\": \"" + id + "\", \"rpps\": \"" + ALICE + "\", \"start\": \"" + start + "\", \"end\": \"" + end
            + "\", \"modality\": \"" + modality + "\", \"visibility\": \"PUBLIC\"}";
    }

    private IngestReport doctolib(final String... slots) {
        final String text = "{\"vendor\": \"Doctolib\", \"integration\": \"END_TO_END\", \"generatedAt\": "
            + "\"2026-11-23T08:55:00Z\", \"slots\": [" + String.join(",", slots) + "]}";
        return ingestor.applyVendorSnapshot(parser.parseVendorFeed("doctolib",
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
    }

    /** (source, practitioner, start minute) of every slot in the sink: what the public id is made of. */
    private void assertIdsUnique() {
        final Set<String> ids = new HashSet<>();
        for (final SlotRecord s : sink.all()) {
            assertThat(ids.add(s.vendorId() + "." + s.practitioner() + "." + s.start().getEpochSecond() / 60))
                .as("a second kept slot with the id of %s", s).isTrue();
        }
    }

    @Test
    void twoSlotsOfOneDoctorInOneMinuteDoNotBothGetIn() {
        final IngestReport report = doctolib(
            slot("office", "2026-11-23T10:00:00Z", "2026-11-23T10:00:30Z", "OFFICE"),
            slot("tele", "2026-11-23T10:00:30Z", "2026-11-23T10:20:00Z", "TELECONSULTATION"));
        assertIdsUnique();
        assertThat(report.rejected(RejectReason.NOT_WHOLE_MINUTE)).isEqualTo(2);
        assertThat(report.accepted()).isZero();
    }

    @Test
    void aStartOrEndWithSecondsOrAFractionIsRejectedAndNamed() {
        final IngestReport report = doctolib(
            slot("s1", "2026-11-23T10:00:01Z", "2026-11-23T10:20:00Z", "OFFICE"),
            slot("s2", "2026-11-23T11:00:00+01:00", "2026-11-23T11:19:59+01:00", "OFFICE"),
            slot("s3", "2026-11-23T12:00:00.5+01:00", "2026-11-23T12:20:00+01:00", "OFFICE"));
        assertThat(report.rejected(RejectReason.NOT_WHOLE_MINUTE)).isEqualTo(3);
        assertThat(report.samples()).extracting(Rejection::recordId).containsExactly("s1", "s2", "s3");
        assertThat(report.samples().get(1).detail()).contains("11:19:59");
    }

    @Test
    void wholeMinutesWrittenWithZeroSecondsOrFractionsOrWithoutSecondsAreKept() {
        final IngestReport report = doctolib(
            slot("a", "2026-11-23T10:00:00.000Z", "2026-11-23T10:20:00Z", "OFFICE"),
            slot("b", "2026-11-23T11:20+01:00", "2026-11-23T11:40:00.000000000+01:00", "OFFICE"));
        assertThat(report.accepted()).isEqualTo(2);
        assertIdsUnique();
    }

    @Test
    void twoWholeMinuteSlotsStartingTogetherOverlap() {
        final IngestReport report = doctolib(
            slot("office", "2026-11-23T10:00:00Z", "2026-11-23T10:20:00Z", "OFFICE"),
            slot("tele", "2026-11-23T10:00:00Z", "2026-11-23T10:30:00Z", "TELECONSULTATION"));
        assertThat(report.rejected(RejectReason.OVERLAPPING)).isEqualTo(1);
        assertIdsUnique();
    }

    @Test
    void manualSlotsFollowTheSameRule() {
        final String text = "{\"slots\": [{\"id\": \"m1\", \"rpps\": \"" + ALICE + "\", \"start\": \"2026-11-23T10:00:00Z\","
            + " \"end\": \"2026-11-23T10:00:30Z\"}, {\"id\": \"m2\", \"rpps\": \"" + ALICE + "\","
            + " \"start\": \"2026-11-23T10:00:30Z\", \"end\": \"2026-11-23T10:20:00Z\"}]}";
        final IngestReport report = ingestor.applyManual(parser.parseManual("manual",
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
        assertThat(report.rejected(RejectReason.NOT_WHOLE_MINUTE)).isEqualTo(2);
        assertIdsUnique();
    }

    @Test
    void fhirSlotsFollowTheSameRule() {
        final String bundle = """
            {"resourceType": "Bundle", "type": "searchset", "timestamp": "2026-11-23T08:55:00Z", "entry": [
              %s, %s,
              {"resource": {"resourceType": "Schedule", "id": "sch", "actor": [{"reference": "Practitioner/pr"}]}},
              {"resource": {"resourceType": "Practitioner", "id": "pr",
               "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "8%s"}]}}]}
            """.formatted(fhirSlot("office", "10:00:00", "10:00:30", "AMB"), fhirSlot("tele", "10:00:30", "10:20:00", "VR"),
            ALICE);
        final ParsedFeed feed = new FhirBundleParser().parse("bundle", "Doctolib",
            new ByteArrayInputStream(bundle.getBytes(StandardCharsets.UTF_8)));
        final IngestReport report = ingestor.applyVendorSnapshot(feed);
        assertThat(report.rejected(RejectReason.NOT_WHOLE_MINUTE)).isEqualTo(2);
        assertIdsUnique();
    }

    private static String fhirSlot(final String id, final String start, final String end, final String actCode) {
        return """
            {"resource": {"resourceType": "Slot", "id": "%s",
             "meta": {"security": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau", "code": "PUBLIC"}]},
             "serviceType": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "%s"}]}],
             "schedule": {"reference": "Schedule/sch"}, "status": "free",
             "start": "2026-11-23T%sZ", "end": "2026-11-23T%sZ"}}""".formatted(id, actCode, start, end);
    }

    @Test
    void noSlotRecordWithSecondsCanBeBuiltWhateverTheCaller() {
        // A host or a benchmark that builds records itself, bypassing the validator, is held to it too.
        final java.time.Instant t = java.time.Instant.parse("2026-11-23T10:00:00Z");
        assertThatThrownBy(() -> new SlotRecord("x", 0, t, t.plusSeconds(30), Modality.OFFICE.bit(), Visibility.PUBLIC, 1,
            null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole minutes");
        assertThatThrownBy(() -> new SlotRecord("x", 0, t.plusSeconds(30), t.plusSeconds(1200), Modality.OFFICE.bit(),
            Visibility.PUBLIC, 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SlotRecord("x", 0, t, t.plusSeconds(1200), Modality.OFFICE.bit(), Visibility.PUBLIC, 1, null).end())
            .isEqualTo(t.plusSeconds(1200));
    }

    @Test
    void aVendorCannotTakeTheSourceNameOfManualSlots() {
        // Its ids would be manual.<rpps>.<start>: the manual slots' ids, and SlotId reads them as manual.
        assertThatThrownBy(() -> VendorRegistry.builder(VendorRegistry.defaults()).add("Manual", Integration.END_TO_END))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("manual");
        assertThatThrownBy(() -> VendorRegistry.builder().add("MAN-UAL", Integration.AGGREGATION_ONLY))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(VendorRegistry.defaults().find("manual")).isNull();
        assertThat(List.of(VendorRegistry.builder().add("Manualis", Integration.END_TO_END).build().vendors()))
            .isNotEmpty();
    }
}
