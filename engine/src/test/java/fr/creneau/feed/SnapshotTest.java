package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import fr.creneau.directory.Directory;
import fr.creneau.directory.UnknownVendorException;
import fr.creneau.directory.VendorRegistry;

/** Snapshot semantics of vendor feeds, and inputs that must change nothing. */
class SnapshotTest {
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
        ingestor.applyVendorSnapshot(parser.parseVendorFeed(Fixtures.path("feeds/doctolib.json")));
        ingestor.applyVendorSnapshot(parser.parseVendorFeed(Fixtures.path("feeds/maiia.json")));
    }

    @Test
    void aSlotAbsentFromTheNewerSnapshotIsGone() {
        final IngestReport later = ingestor.applyVendorSnapshot(
            parser.parseVendorFeed(Fixtures.path("feeds/doctolib-later.json")));
        assertThat(sink.ids(directory.indexOf(10000000017L))).containsExactly("d2", "d20");
        assertThat(later.practitionersChanged()).isEqualTo(1);
    }

    @Test
    void aSnapshotOfOneVendorLeavesTheOtherVendorsSlotsAlone() {
        ingestor.applyVendorSnapshot(parser.parseVendorFeed(Fixtures.path("feeds/doctolib-later.json")));
        assertThat(sink.ids(directory.indexOf(10000000033L))).containsExactly("m1", "m2");
    }

    @Test
    void anOlderSnapshotIsRefusedAndChangesNothing() {
        final List<SlotRecord> before = sink.all();
        assertThatThrownBy(() -> ingestor.applyVendorSnapshot(
            parser.parseVendorFeed(Fixtures.path("feeds/doctolib-older.json"))))
            .isInstanceOf(StaleSnapshotException.class).hasMessageContaining("older");
        assertThat(sink.all()).isEqualTo(before);
    }

    private static ParsedFeed doctolibGeneratedAt(final NativeFeedParser parser, final String generatedAt) {
        final String text = "{\"vendor\": \"Doctolib\", \"integration\": \"END_TO_END\", \"generatedAt\": \""
            + generatedAt + "\", \"slots\": []}";
        return parser.parseVendorFeed("doctolib-" + generatedAt, new java.io.ByteArrayInputStream(
            text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void aSnapshotFromTheFutureIsRefusedChangesNothingAndDoesNotFreezeTheVendor() {
        // Issue 12 #14: a 2099 snapshot was applied, then every true snapshot was refused as stale.
        final List<SlotRecord> before = sink.all();
        final java.time.Instant applied = ingestor.appliedSnapshot(VendorRegistry.defaults().require("Doctolib"));
        assertThatThrownBy(() -> ingestor.applyVendorSnapshot(doctolibGeneratedAt(parser, "2099-01-01T00:00:00Z")))
            .isInstanceOf(FutureSnapshotException.class)
            .hasMessageContaining("2099-01-01T00:00:00Z").hasMessageContaining("PT5M")
            .satisfies(e -> assertThat(((FutureSnapshotException) e).allowance())
                .isEqualTo(IngestConfig.DEFAULTS.maxClockSkew()));
        assertThat(sink.all()).isEqualTo(before);
        assertThat(ingestor.appliedSnapshot(VendorRegistry.defaults().require("Doctolib"))).isEqualTo(applied);
        // The next true snapshot applies.
        ingestor.applyVendorSnapshot(parser.parseVendorFeed(Fixtures.path("feeds/doctolib-later.json")));
        assertThat(sink.ids(directory.indexOf(10000000017L))).containsExactly("d2", "d20");
    }

    @Test
    void aFhirBundleFromTheFutureIsRefusedToo() {
        final String bundle = "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", %s \"entry\": []}";
        final FhirBundleParser fhir = new FhirBundleParser();
        assertThatThrownBy(() -> ingestor.applyVendorSnapshot(fhir.parse("b", "Doctolib", new java.io.ByteArrayInputStream(
            bundle.formatted("\"timestamp\": \"2099-01-01T00:00:00Z\",").getBytes(java.nio.charset.StandardCharsets.UTF_8)))))
            .isInstanceOf(FutureSnapshotException.class);
        assertThatThrownBy(() -> ingestor.applyVendorSnapshot(fhir.parse("b", "Doctolib", new java.io.ByteArrayInputStream(
            bundle.formatted("\"meta\": {\"lastUpdated\": \"2099-01-01T00:00:00Z\"},")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)))))
            .isInstanceOf(FutureSnapshotException.class);
        assertThatThrownBy(() -> ingestor.applyVendorSnapshot(fhir.parse("b", "Doctolib", new java.io.ByteArrayInputStream(
            bundle.formatted("").getBytes(java.nio.charset.StandardCharsets.UTF_8)), java.time.Instant.parse("2099-01-01T00:00:00Z"))))
            .isInstanceOf(FutureSnapshotException.class);
    }

    @Test
    void aSnapshotAheadOfTheClockWithinTheAllowedSkewIsApplied() {
        // Fixtures.NOW is 09:00Z; the default allowance is five minutes.
        ingestor.applyVendorSnapshot(doctolibGeneratedAt(parser, "2026-11-23T09:05:00Z"));
        assertThat(ingestor.appliedSnapshot(VendorRegistry.defaults().require("Doctolib")))
            .isEqualTo(java.time.Instant.parse("2026-11-23T09:05:00Z"));
        assertThatThrownBy(() -> ingestor.applyVendorSnapshot(doctolibGeneratedAt(parser, "2026-11-23T09:05:01Z")))
            .isInstanceOf(FutureSnapshotException.class);
    }

    @Test
    void theClockSkewAllowanceIsConfigurable() {
        final Ingestor strict = new Ingestor(directory, VendorRegistry.defaults(),
            IngestConfig.DEFAULTS.withMaxClockSkew(java.time.Duration.ZERO), Fixtures.clockAt(Fixtures.NOW), sink);
        assertThatThrownBy(() -> strict.applyVendorSnapshot(doctolibGeneratedAt(parser, "2026-11-23T09:00:01Z")))
            .isInstanceOf(FutureSnapshotException.class);
        strict.applyVendorSnapshot(doctolibGeneratedAt(parser, "2026-11-23T09:00:00Z"));
    }

    @Test
    void reapplyingTheSameSnapshotChangesNothing() {
        final List<SlotRecord> before = sink.all();
        final IngestReport again = ingestor.applyVendorSnapshot(
            parser.parseVendorFeed(Fixtures.path("feeds/doctolib.json")));
        assertThat(again.practitionersChanged()).isZero();
        assertThat(sink.all()).isEqualTo(before);
    }

    @Test
    void aTruncatedFileIsATypedErrorAndChangesNothing() {
        final List<SlotRecord> before = sink.all();
        assertThatThrownBy(() -> parser.parseVendorFeed(Fixtures.path("feeds/doctolib-truncated.json")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("doctolib-truncated.json");
        assertThat(sink.all()).isEqualTo(before);
    }

    @Test
    void aFileThatIsNotJsonIsATypedError() {
        assertThatThrownBy(() -> parser.parseVendorFeed(Fixtures.path("feeds/not-json.json")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("malformed JSON");
    }

    @Test
    void aFeedWithoutGeneratedAtIsATypedError() {
        assertThatThrownBy(() -> parser.parseVendorFeed(Fixtures.path("feeds/missing-generated-at.json")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("generatedAt");
    }

    @Test
    void aMissingFileIsATypedError() {
        assertThatThrownBy(() -> parser.parseVendorFeed(Fixtures.path("feeds").resolve("nope.json")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("no such file");
    }

    @Test
    void anUnknownVendorIsAClearError() {
        final List<SlotRecord> before = sink.all();
        assertThatThrownBy(() -> ingestor.applyVendorSnapshot(
            parser.parseVendorFeed(Fixtures.path("feeds/unknown-vendor.json"))))
            .isInstanceOf(UnknownVendorException.class).hasMessageContaining("Medecinia").hasMessageContaining("Doctolib");
        assertThat(sink.all()).isEqualTo(before);
    }

    @Test
    void aFeedClaimingAnotherIntegrationLevelThanTheRegistryIsRefused() {
        assertThatThrownBy(() -> ingestor.applyVendorSnapshot(
            parser.parseVendorFeed(Fixtures.path("feeds/maiia-claims-end-to-end.json"))))
            .isInstanceOf(IntegrationMismatchException.class).hasMessageContaining("AGGREGATION_ONLY");
    }

    @Test
    void aManualFileReplacesTheManualSlotsOfThePractitionersItNamesOnly() {
        ingestor.applyManual(parser.parseManual(Fixtures.path("manual/sas-agenda.json")));
        final int nadia = directory.indexOf(10000000041L);
        assertThat(sink.ids(nadia)).containsExactly("m2", "m5");
        ingestor.applyManual(parser.parseManual("edit", new java.io.ByteArrayInputStream(
            ("{\"slots\": [{\"id\": \"n1\", \"rpps\": \"10000000041\", \"start\": \"2026-11-24T14:00:00+01:00\","
                + " \"end\": \"2026-11-24T14:30:00+01:00\"}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(sink.ids(nadia)).containsExactly("n1");
        assertThat(sink.ids(directory.indexOf(10000000025L))).containsExactly("m1");
    }

    @Test
    void aNewDirectoryRemovesVendorSlotsOfWhoLeftOrNowRefusesDisplay() throws Exception {
        final DirectoryLoader loader = new DirectoryLoader(VendorRegistry.defaults());
        final String json = new String(java.nio.file.Files.readAllBytes(Fixtures.path("practitioners.json")),
            java.nio.charset.StandardCharsets.UTF_8)
            // Alice now refuses display; Claire (Maiia) leaves the directory.
            .replace("\"vendor\": \"Doctolib\", \"refusesVendorSlots\": false", "\"vendor\": \"Doctolib\", \"refusesVendorSlots\": true")
            .replace("\"rpps\": \"10000000033\"", "\"rpps\": \"10000000132\"");
        final Directory next = loader.load("next", new java.io.ByteArrayInputStream(
            json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), directory).directory();
        final int removed = ingestor.updateDirectory(next);
        assertThat(removed).isEqualTo(2);
        assertThat(sink.ids(directory.indexOf(10000000017L))).isEmpty();
        assertThat(sink.ids(directory.indexOf(10000000033L))).isEmpty();
    }
}
