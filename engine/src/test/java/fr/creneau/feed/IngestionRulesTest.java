package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import fr.creneau.directory.Directory;
import fr.creneau.directory.VendorRegistry;

/**
 * One test per ingestion rule of the SAS, each on the real fixture files
 * ({@code fixtures/feeds/doctolib.json} holds one slot per rule, commented by id below).
 */
class IngestionRulesTest {
    private final NativeFeedParser parser = new NativeFeedParser();
    private Directory directory;
    private HeapSlotSink sink;
    private Ingestor ingestor;
    private IngestReport doctolib;

    @BeforeEach
    void ingestDoctolib() {
        directory = Fixtures.directory();
        sink = new HeapSlotSink();
        ingestor = new Ingestor(directory, VendorRegistry.defaults(), IngestConfig.DEFAULTS,
            Fixtures.clockAt(Fixtures.NOW), sink);
        doctolib = ingestor.applyVendorSnapshot(parser.parseVendorFeed(Fixtures.path("feeds/doctolib.json")));
    }

    private List<String> alice() {
        return sink.ids(directory.indexOf(10000000017L));
    }

    @Test
    void onlyPublicAndProfessionalSlotsAreVisible() {
        assertThat(alice()).contains("d1", "d2").doesNotContain("d3", "d4");
        assertThat(doctolib.rejected(RejectReason.NOT_VISIBLE)).isEqualTo(2);
    }

    @Test
    void aPractitionerWhoRefusesVendorDisplayShowsNoVendorSlot() {
        assertThat(sink.ids(directory.indexOf(10000000025L))).isEmpty();
        assertThat(doctolib.rejected(RejectReason.REFUSED_DISPLAY)).isEqualTo(1);
    }

    @Test
    void aPractitionerWhoRefusesVendorDisplayKeepsManualSlots() {
        final IngestReport manual = ingestor.applyManual(parser.parseManual(Fixtures.path("manual/sas-agenda.json")));
        assertThat(sink.ids(directory.indexOf(10000000025L))).containsExactly("m1");
        assertThat(manual.rejected(RejectReason.REFUSED_DISPLAY)).isZero();
    }

    @Test
    void aManualSlotAllowsAllModalitiesUnlessRestricted() {
        ingestor.applyManual(parser.parseManual(Fixtures.path("manual/sas-agenda.json")));
        final SlotRecord m1 = find("m1");
        final SlotRecord m2 = find("m2");
        assertThat(m1.modalities()).isEqualTo(Modality.ALL);
        assertThat(m1.isManual()).isTrue();
        assertThat(m2.modalities()).isEqualTo(Modality.HOME_VISIT.bit());
    }

    @Test
    void aManualSlotWithAnEmptyOrUnknownModalityIsRejected() {
        final IngestReport manual = ingestor.applyManual(parser.parseManual(Fixtures.path("manual/sas-agenda.json")));
        assertThat(manual.rejected(RejectReason.INVALID_VALUE)).isEqualTo(2);
        assertThat(manual.accepted()).isEqualTo(3);
    }

    @Test
    void onlySlotsEndingAfterNowAndStartingBeforeNowPlus48hAreKept() {
        // d10 ended at 06:20, d11 starts in three days; d19 started at 09:50 but ends after now (10:00).
        assertThat(alice()).doesNotContain("d10", "d11").contains("d19");
        assertThat(doctolib.rejected(RejectReason.OUTSIDE_WINDOW)).isEqualTo(2);
    }

    @Test
    void aDuplicateIdKeepsTheFirstSlotOnly() {
        assertThat(doctolib.rejected(RejectReason.DUPLICATE_ID)).isEqualTo(1);
        assertThat(find("d1").start()).isEqualTo(Instant.parse("2026-11-23T13:00:00Z"));
    }

    @Test
    void anOverlappingSlotOfTheSamePractitionerIsRejected() {
        assertThat(alice()).doesNotContain("d5");
        assertThat(doctolib.rejected(RejectReason.OVERLAPPING)).isEqualTo(1);
        // d1 ends exactly when d2 starts: adjacent slots do not overlap.
        assertThat(alice()).contains("d1", "d2");
    }

    @Test
    void unknownAndInvalidRppsAreRejectedByReason() {
        assertThat(doctolib.rejected(RejectReason.UNKNOWN_RPPS)).isEqualTo(1);
        assertThat(doctolib.rejected(RejectReason.INVALID_RPPS)).isEqualTo(1);
    }

    @Test
    void aSlotOfAPractitionerOfAnotherVendorIsRejected() {
        assertThat(doctolib.rejected(RejectReason.VENDOR_MISMATCH)).isEqualTo(1);
        assertThat(sink.ids(directory.indexOf(10000000033L))).isEmpty();
    }

    @Test
    void endBeforeStartAndOverlongSlotsAreRejected() {
        assertThat(doctolib.rejected(RejectReason.END_BEFORE_START)).isEqualTo(1);
        assertThat(doctolib.rejected(RejectReason.TOO_LONG)).isEqualTo(1);
    }

    @Test
    void anOffsetTheZoneDoesNotHaveThenIsRejected() {
        // d13: +02:00 in November, when Paris is at +01:00.
        assertThat(doctolib.rejected(RejectReason.OFFSET_MISMATCH)).isEqualTo(1);
        assertThat(doctolib.rejected(RejectReason.MALFORMED_TIME)).isEqualTo(1);
    }

    @Test
    void malformedEntriesAreCountedAndTheRestOfTheFeedIsKept() {
        assertThat(doctolib.rejected(RejectReason.INVALID_VALUE)).isEqualTo(1);   // d16: modality CALL
        assertThat(doctolib.rejected(RejectReason.MISSING_FIELD)).isEqualTo(1);   // d17: no rpps
        assertThat(doctolib.received()).isEqualTo(20);
        assertThat(doctolib.accepted()).isEqualTo(4);
        assertThat(doctolib.accepted() + doctolib.rejectedTotal()).isEqualTo(doctolib.received());
        assertThat(alice()).containsExactly("d19", "d1", "d2", "d18");
    }

    @Test
    void aUtcTimeIsAnUnambiguousInstant() {
        assertThat(find("d18").start()).isEqualTo(Instant.parse("2026-11-24T09:00:00Z"));
    }

    @Test
    void aLocalTimeWithoutOffsetIsReadInThePractitionersZone() {
        ingestor.applyManual(parser.parseManual(Fixtures.path("manual/sas-agenda.json")));
        assertThat(find("m5").start()).isEqualTo(Instant.parse("2026-11-24T08:00:00Z"));
    }

    @Test
    void overseasSlotsAreCheckedInTheirOwnZone() {
        final IngestReport keldoc = ingestor.applyVendorSnapshot(
            parser.parseVendorFeed(Fixtures.path("feeds/keldoc-reunion.json")));
        // k1 at +04:00 (Indian/Reunion) is right; k2 at +01:00 is a Paris offset on a Réunion agenda.
        assertThat(sink.ids(directory.indexOf(10000000058L))).containsExactly("k1");
        assertThat(keldoc.rejected(RejectReason.OFFSET_MISMATCH)).isEqualTo(1);
    }

    @Test
    void theReportKeepsAReadableSampleOfEachRejection() {
        assertThat(doctolib.samples()).anySatisfy(r -> {
            assertThat(r.reason()).isEqualTo(RejectReason.OFFSET_MISMATCH);
            assertThat(r.recordId()).isEqualTo("d13");
            assertThat(r.detail()).contains("+02:00").contains("Europe/Paris");
        });
        assertThat(doctolib.invalidTotal()).isEqualTo(doctolib.rejectedTotal() - 5); // 2 NOT_VISIBLE, 1 REFUSED, 2 WINDOW
    }

    private SlotRecord find(final String id) {
        return sink.all().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }
}
