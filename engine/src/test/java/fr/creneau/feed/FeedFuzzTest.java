package fr.creneau.feed;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.List;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import fr.creneau.directory.Directory;
import fr.creneau.directory.UnknownVendorException;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.index.SlotIndex;

/**
 * Fuzz targets of the four JSON inputs a host hands the engine: the vendor snapshot, the manual
 * file, the FHIR Bundle and the directory. Each input goes through its parser and, when it
 * parses, through the ingestion a host would run next (validation against a fixed directory,
 * then the real off-heap index), so that the SAS rules are fuzzed too.
 *
 * <p>The oracle is the README's promise for bad input: a typed error (the few listed in each
 * target) or a counted rejection, never another exception; every record received is accepted or
 * rejected, once. Hangs are caught by the per-input timeout and unbounded memory by the small heap
 * of the fork that runs these targets ({@code fuzz-regression} in {@code engine/pom.xml}); the
 * parsers read at most {@link #CONFIG}'s {@code maxFeedBytes}.
 *
 * <p>Under {@code mvn test} each target replays its committed corpus, in
 * {@code src/test/resources/fr/creneau/feed/FeedFuzzTestInputs/<target>/}; with
 * {@code JAZZER_FUZZ=1} one target is fuzzed ({@code engine/fuzz.sh}, README "Fuzzing").
 */
class FeedFuzzTest {
    /** 64 KiB: far beyond what the fuzzer writes (libFuzzer's -max_len is 4 KiB by default), so the limit is fuzzed too when a seed is grown. */
    static final IngestConfig CONFIG = IngestConfig.DEFAULTS.withMaxFeedBytes(64 * 1024);
    private static final VendorRegistry VENDORS = VendorRegistry.defaults();
    /** The fixtures' directory: the RPPS, vendors and territories the seed feeds name. */
    private static final Directory DIRECTORY = Fixtures.directory();
    private static final Clock CLOCK = Fixtures.clockAt(Fixtures.NOW);

    private final NativeFeedParser nativeParser = new NativeFeedParser(CONFIG);
    private final FhirBundleParser fhirParser = new FhirBundleParser(CONFIG);
    private final DirectoryLoader directoryLoader = new DirectoryLoader(VENDORS, CONFIG);

    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"\"vendor\"", "\"integration\"", "\"generatedAt\"", "\"slots\"", "\"id\"", "\"rpps\"",
        "\"start\"", "\"end\"", "\"modality\"", "\"visibility\"", "\"bookingUrl\"", "\"OFFICE\"",
        "\"TELECONSULTATION\"", "\"HOME_VISIT\"", "\"PUBLIC\"", "\"PROFESSIONAL\"", "\"PATIENTELE\"",
        "\"STRUCTURE\"", "\"END_TO_END\"", "\"AGGREGATION_ONLY\"", "\"Doctolib\"", "\"Maiia\"", "\"Keldoc\"",
        "\"10000000017\"", "\"2026-11-23T14:00:00+01:00\"", "\"2026-11-23T13:00:00Z\"", "\"2026-03-29T02:30:00\""})
    void vendorFeed(final byte[] input) {
        final ParsedFeed feed;
        try {
            feed = nativeParser.parseVendorFeed("fuzz.json", new ByteArrayInputStream(input));
        } catch (final FeedFormatException e) {
            tidy(e); // refused whole: the typed error (FeedTooLargeException included)
            return;
        }
        applyVendor(feed);
    }

    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"\"slots\"", "\"id\"", "\"rpps\"", "\"start\"", "\"end\"", "\"modalities\"",
        "\"OFFICE\"", "\"TELECONSULTATION\"", "\"HOME_VISIT\"", "\"10000000025\"", "\"10000000041\"",
        "\"2026-11-23T17:00:00+01:00\"", "\"2026-11-24T09:00:00\"", "\"2026-10-25T02:30:00\""})
    void manualFile(final byte[] input) {
        final ParsedFeed feed;
        try {
            feed = nativeParser.parseManual("fuzz.json", new ByteArrayInputStream(input));
        } catch (final FeedFormatException e) {
            tidy(e);
            return;
        }
        final Ingestor ingestor = ingestor();
        counted(feed, ingestor.applyManual(feed));
    }

    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"\"resourceType\"", "\"Bundle\"", "\"searchset\"", "\"type\"", "\"timestamp\"",
        "\"meta\"", "\"lastUpdated\"", "\"link\"", "\"relation\"", "\"next\"", "\"entry\"", "\"fullUrl\"",
        "\"resource\"", "\"Slot\"", "\"Schedule\"", "\"Practitioner\"", "\"PractitionerRole\"",
        "\"OperationOutcome\"", "\"issue\"", "\"schedule\"", "\"reference\"", "\"actor\"", "\"practitioner\"",
        "\"identifier\"", "\"system\"", "\"value\"", "\"security\"", "\"code\"", "\"serviceType\"", "\"coding\"",
        "\"appointmentType\"", "\"status\"", "\"free\"", "\"busy\"", "\"comment\"", "\"WALKIN\"", "\"AMB\"",
        "\"HH\"", "\"VR\"", "\"PRO\"", "\"SNP\"", "\"CPTS\"", "\"urn:oid:1.2.250.1.71.4.2.1\"",
        "\"810000000017\"", "\"/_history/1\"", "urn:uuid:",
        "\"https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau\"",
        "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\"",
        "\"http://terminology.hl7.org/CodeSystem/v2-0276\""})
    void fhirBundle(final byte[] input) {
        try {
            // Without a request time an undated Bundle is refused; with one it goes on to validation.
            fhirParser.parse("fuzz.json", "Doctolib", new ByteArrayInputStream(input));
        } catch (final FeedFormatException e) {
            tidy(e); // refused whole
        }
        final ParsedFeed feed;
        try {
            feed = fhirParser.parse("fuzz.json", "Doctolib", new ByteArrayInputStream(input), Fixtures.NOW);
        } catch (final FeedFormatException e) {
            tidy(e);
            return;
        }
        applyVendor(feed);
    }

    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"\"resourceType\"", "\"Appointment\"", "\"OperationOutcome\"", "\"status\"",
        "\"booked\"", "\"cancelled\"", "\"fulfilled\"", "\"noshow\"", "\"start\"", "\"end\"",
        "\"2026-11-23T14:00:00+01:00\"", "\"participant\"", "\"actor\"", "\"identifier\"", "\"system\"",
        "\"value\"", "\"urn:oid:1.2.250.1.71.4.2.1\"", "\"810000000017\"", "\"extension\"", "\"url\"",
        "\"https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-appointment-operator\"", "\"valueReference\"",
        "\"display\""})
    void appointment(final byte[] input) {
        final FhirAppointmentParser.ParsedAppointment a;
        try {
            a = new FhirAppointmentParser().parse("fuzz.json", new ByteArrayInputStream(input));
        } catch (final FeedFormatException e) {
            tidy(e); // refused whole
            return;
        }
        // What the booking service is handed: a known status, a real interval, a valid RPPS, operator text it journals.
        check(FhirAppointmentParser.STATUSES.contains(a.status()), "status " + a.status());
        check(a.end().isAfter(a.start()), "end after start");
        check(fr.creneau.directory.Rpps.isValid(fr.creneau.directory.Rpps.format(a.rpps())), "rpps " + a.rpps());
        check(!a.operatorId().isBlank() && a.operatorId().length() <= FhirAppointmentParser.MAX_TEXT, "operator id");
        check(a.operatorDisplay().length() <= FhirAppointmentParser.MAX_TEXT, "operator display");
        new fr.creneau.booking.Operator(a.operatorId(), a.operatorDisplay(), "", "");
    }

    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"\"rpps\"", "\"name\"", "\"profession\"", "\"lat\"", "\"lon\"", "\"phone\"", "\"vendor\"",
        "\"refusesVendorSlots\"", "\"participation\"", "\"acceptsExtraPatients\"", "\"cpts\"", "\"GP\"",
        "\"NURSE\"", "\"MIDWIFE\"", "\"NONE\"", "\"INDIVIDUAL\"", "\"CPTS\"", "\"MSP\"", "\"CDS\"",
        "\"SOS_MEDECINS\"", "\"Doctolib\"", "\"10000000017\"", "48.8566", "2.3522", "-21.1", "55.5", "true",
        "false", "null"})
    void directory(final byte[] input) {
        final DirectoryLoader.Result fresh;
        final DirectoryLoader.Result reload;
        try {
            fresh = directoryLoader.load("fuzz.json", new ByteArrayInputStream(input), null);
            // A reload keeps indices: the practitioners of the fixtures move, leave or change.
            reload = directoryLoader.load("fuzz.json", new ByteArrayInputStream(input), DIRECTORY);
        } catch (final FeedFormatException e) {
            tidy(e);
            return;
        }
        fresh.report().samples().forEach(r -> tidy(r.detail(), r.recordId()));
        check(fresh.report().received() == fresh.report().accepted() + fresh.report().rejectedTotal(),
            "every directory entry is accepted or rejected once: " + fresh.report());
        check(fresh.directory().size() == fresh.report().accepted(), "accepted entries are the directory: "
            + fresh.directory().size() + " vs " + fresh.report());
        // What a reload does next in Creneau.loadDirectory: the index moves or drops the slots of
        // the practitioners who changed, and the ingestion forgets those who left.
        final SlotIndex index = new SlotIndex(DIRECTORY, CLOCK);
        final Ingestor ingestor = new Ingestor(DIRECTORY, VENDORS, CONFIG, CLOCK, index);
        ingestor.applyVendorSnapshot(nativeParser.parseVendorFeed(Fixtures.path("feeds/doctolib.json")));
        ingestor.applyManual(nativeParser.parseManual(Fixtures.path("manual/sas-agenda.json")));
        index.updateDirectory(reload.directory());
        ingestor.updateDirectory(reload.directory());
        // And a feed against the fuzzed directory: its practitioners' zones and vendors decide.
        final Ingestor onFuzzed = new Ingestor(fresh.directory(), VENDORS, CONFIG, CLOCK,
            new SlotIndex(fresh.directory(), CLOCK));
        onFuzzed.applyVendorSnapshot(nativeParser.parseVendorFeed(Fixtures.path("feeds/doctolib.json")));
    }

    // ------------------------------------------------------------------------------------------

    private static Ingestor ingestor() {
        return new Ingestor(DIRECTORY, VENDORS, CONFIG, CLOCK, new SlotIndex(DIRECTORY, CLOCK));
    }

    /** Applies a parsed snapshot as the facade does; only the documented refusals may escape. */
    private static void applyVendor(final ParsedFeed feed) {
        final Ingestor ingestor = ingestor();
        final IngestReport report;
        try {
            report = ingestor.applyVendorSnapshot(feed);
        } catch (final UnknownVendorException | IntegrationMismatchException | FutureSnapshotException
                       | StaleSnapshotException e) {
            tidy(e); // refused whole, nothing applied
            return;
        }
        counted(feed, report);
    }

    /** Every slot of the file is accepted or rejected, once, and the rejections are in the report. */
    private static void counted(final ParsedFeed feed, final IngestReport report) {
        final int records = feed.slots().size() + feed.rejected().size();
        check(report.received() == records, "received " + report.received() + " of " + records + " records");
        check(report.accepted() + report.rejectedTotal() == records,
            "accepted + rejected = received: " + report);
        final List<Rejection> samples = report.samples();
        check(samples.size() <= IngestReport.MAX_SAMPLES, "samples are bounded: " + samples.size());
        feed.rejected().forEach(r -> tidy(r.detail(), r.recordId()));
        samples.forEach(r -> tidy(r.detail(), r.recordId()));
    }

    /** Longest message or rejection detail: a few quoted values ({@code Json.MAX_QUOTED}) and the text around them. */
    static final int MAX_MESSAGE = 1_000;

    private static void tidy(final RuntimeException e) {
        tidy(e.getMessage(), e.getClass().getSimpleName());
    }

    /**
     * What a parser says about an input reaches logs and terminals: what the vendor sent is quoted
     * ({@code Json.quote}: control and format characters escaped, cut), so a message cannot forge
     * a log line, reorder a terminal's text or fill a disk ({@code Json}'s own rule). Record ids
     * are data, not messages, and are checked where they are printed.
     */
    private static void tidy(final String message, final String what) {
        check(message != null, what + ": no message");
        if (message.length() > MAX_MESSAGE) {
            throw new AssertionError(what + ": message of " + message.length() + " characters: " + Json.quote(message));
        }
        for (int i = 0; i < message.length(); i++) {
            final char c = message.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                throw new AssertionError(what + ": message holds U+" + String.format("%04X", (int) c) + " at " + i
                    + ": " + Json.quote(message));
            }
        }
    }

    private static void check(final boolean ok, final String what) {
        org.junit.jupiter.api.Assertions.assertTrue(ok, what);
    }
}
