package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import fr.creneau.directory.Directory;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.index.TestDirectories;

/**
 * Per-batch snapshots: the answer to a search for some practitioners replaces exactly theirs;
 * identifiers with or without the {@code 8} prefix; pages.
 */
class BatchSnapshotTest {
    private static final Instant T0 = Instant.parse("2026-11-23T08:50:00Z");
    private static final Instant T1 = Instant.parse("2026-11-23T08:55:00Z");
    private static final Instant T2 = Instant.parse("2026-11-23T08:58:00Z");

    private final FhirBundleParser parser = new FhirBundleParser();
    private Directory directory;
    private HeapSlotSink sink;
    private Ingestor ingestor;
    private long a;
    private long b;
    private long c;

    @BeforeEach
    void setUp() {
        directory = TestDirectories.paris(3);
        a = directory.get(0).rpps();
        b = directory.get(1).rpps();
        c = directory.get(2).rpps();
        sink = new HeapSlotSink();
        ingestor = new Ingestor(directory, VendorRegistry.defaults(), IngestConfig.DEFAULTS,
            Fixtures.clockAt(Fixtures.NOW), sink);
        ingestor.applyVendorSnapshot(feed(T0, true, Map.of(a, List.of("a1"), b, List.of("b1"), c, List.of("c1"))));
    }

    /** A searchset with one slot per id (11:00, 11:30... local), no Bundle time: dated by {@code at}. */
    private ParsedFeed feed(final Instant at, final boolean prefixed, final Map<Long, List<String>> slots) {
        return parser.parse("batch", "Doctolib", new ByteArrayInputStream(bundle(prefixed, slots, null)
            .getBytes(StandardCharsets.UTF_8)), at);
    }

    static String bundle(final boolean prefixed, final Map<Long, List<String>> slots, final String next) {
        final StringBuilder e = new StringBuilder();
        for (final Map.Entry<Long, List<String>> p : slots.entrySet()) {
            final String rpps = String.format("%011d", p.getKey());
            int minute = 0;
            for (final String id : p.getValue()) {
                e.append(e.length() == 0 ? "" : ",").append("""
                    {"resource": {"resourceType": "Slot", "id": "%s",
                      "meta": {"security": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau", "code": "PUBLIC"}]},
                      "serviceType": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"}]}],
                      "schedule": {"reference": "Schedule/s%s"}, "status": "free",
                      "start": "2026-11-23T11:%02d:00+01:00", "end": "2026-11-23T11:%02d:00+01:00"}}
                    """.formatted(id, rpps, minute, minute + 20));
                minute += 30;
            }
            e.append(",").append("""
                {"resource": {"resourceType": "Schedule", "id": "s%s", "actor": [{"reference": "Practitioner/p%s"}]}},
                {"resource": {"resourceType": "Practitioner", "id": "p%s",
                  "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "%s"}]}}
                """.formatted(rpps, rpps, rpps, (prefixed ? "8" : "") + rpps));
        }
        final String link = next == null ? "" : ", \"link\": [{\"relation\": \"next\", \"url\": \"" + next + "\"}]";
        return "{\"resourceType\": \"Bundle\", \"type\": \"searchset\"" + link + ", \"entry\": [" + e + "]}";
    }

    private List<String> ids(final long rpps) {
        return sink.ids(directory.indexOf(rpps));
    }

    @Test
    void aBatchReplacesExactlyThePractitionersItAskedFor() {
        final IngestReport r = ingestor.applyVendorBatch(feed(T1, true, Map.of(a, List.of("a2", "a3"))), List.of(a, b));

        assertThat(ids(a)).containsExactly("a2", "a3");
        assertThat(ids(b)).isEmpty();                   // asked, nothing free any more
        assertThat(ids(c)).containsExactly("c1");       // not asked: keeps its slots
        assertThat(r.accepted()).isEqualTo(2);
        assertThat(r.practitionersChanged()).isEqualTo(2);
        assertThat(ingestor.lastAnswer(VendorRegistry.defaults().require("Doctolib"), directory.indexOf(a))).isEqualTo(T1);
        assertThat(ingestor.lastAnswer(VendorRegistry.defaults().require("Doctolib"), directory.indexOf(c))).isEqualTo(T0);
    }

    @Test
    void aSlotOfAPractitionerNotAskedIsRejectedAndTheirSlotsStay() {
        final IngestReport r = ingestor.applyVendorBatch(
            feed(T1, true, Map.of(a, List.of("a2"), c, List.of("c9"))), List.of(a));

        assertThat(r.rejected(RejectReason.NOT_REQUESTED)).isEqualTo(1);
        assertThat(r.samples()).extracting(Rejection::recordId).containsExactly("c9");
        assertThat(ids(c)).containsExactly("c1");
        assertThat(ids(a)).containsExactly("a2");
    }

    @Test
    void identifiersWithoutTheirPrefixAreReadAsRpps() {
        final IngestReport r = ingestor.applyVendorBatch(feed(T1, false, Map.of(a, List.of("a2"))), List.of(a));

        assertThat(r.rejectedTotal()).isZero();
        assertThat(ids(a)).containsExactly("a2");
    }

    @Test
    void anOlderAnswerForAPractitionerIsRefusedAndChangesNothing() {
        ingestor.applyVendorBatch(feed(T2, true, Map.of(a, List.of("a2"))), List.of(a));
        final List<SlotRecord> before = sink.all();

        assertThatThrownBy(() -> ingestor.applyVendorBatch(feed(T1, true, Map.of(a, List.of("a3"))), List.of(a, c)))
            .isInstanceOf(StaleSnapshotException.class);
        assertThat(sink.all()).isEqualTo(before);
        // c was not refreshed since the whole snapshot of T0: an answer of T1 for it alone applies.
        ingestor.applyVendorBatch(feed(T1, true, Map.of(c, List.of("c2"))), List.of(c));
        assertThat(ids(c)).containsExactly("c2");
        // A whole snapshot older than the latest batch would bring back taken slots: refused.
        assertThatThrownBy(() -> ingestor.applyVendorSnapshot(feed(T1, true, Map.of(a, List.of("a9")))))
            .isInstanceOf(StaleSnapshotException.class);
    }

    @Test
    void aWholeSnapshotAfterBatchesRemovesWhatItNoLongerLists() {
        ingestor.applyVendorBatch(feed(T1, true, Map.of(b, List.of("b2"))), List.of(b));
        ingestor.applyVendorSnapshot(feed(T2, true, Map.of(a, List.of("a5"))));

        assertThat(ids(a)).containsExactly("a5");
        assertThat(ids(b)).isEmpty();
        assertThat(ids(c)).isEmpty();
    }

    @Test
    void aPageWithANextLinkIsReadByParsePageOnly() {
        final String paged = bundle(true, Map.of(a, List.of("a2")), "https://vendor.example/fhir/Slot?page=2");
        final FhirBundleParser.Page page = parser.parsePage("p1", "Doctolib",
            new ByteArrayInputStream(paged.getBytes(StandardCharsets.UTF_8)), T1);

        assertThat(page.next()).isEqualTo("https://vendor.example/fhir/Slot?page=2");
        assertThat(page.feed().slots()).extracting(RawSlot::id).containsExactly("a2");
        assertThatThrownBy(() -> parser.parse("p1", "Doctolib",
            new ByteArrayInputStream(paged.getBytes(StandardCharsets.UTF_8)), T1))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("next");
    }

    @Test
    void answersOlderThanTheFreshnessBoundAreNoLongerProposed() {
        ingestor.applyVendorBatch(feed(T1, true, Map.of(a, List.of("a2"))), List.of(a)); // 08:55, clock 09:00

        assertThat(ingestor.expireStaleAnswers(java.time.Duration.ofMinutes(10))).isZero();
        assertThat(ids(a)).containsExactly("a2");
        assertThat(ingestor.expireStaleAnswers(java.time.Duration.ofMinutes(2))).isEqualTo(1);
        assertThat(ids(a)).isEmpty();
        assertThat(ids(c)).containsExactly("c1"); // fed by a whole snapshot only: the host's to judge
        assertThat(ingestor.lastAnswer(VendorRegistry.defaults().require("Doctolib"), directory.indexOf(a)))
            .isEqualTo(T1);
        // The next answer brings them back.
        ingestor.applyVendorBatch(feed(T2, true, Map.of(a, List.of("a3"))), List.of(a));
        assertThat(ids(a)).containsExactly("a3");
    }
}
