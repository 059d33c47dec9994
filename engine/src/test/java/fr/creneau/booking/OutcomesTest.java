package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.audit.AuditEvent;
import fr.creneau.audit.DailyAuditLog;
import fr.creneau.booking.outbox.OutboxMessage;
import fr.creneau.feed.Modality;
import fr.creneau.index.SteppedClock;
import fr.creneau.outcome.Outcome;
import fr.creneau.outcome.OutcomeResult;
import fr.creneau.outcome.RowRef;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.SearchResults;
import fr.creneau.slot.SlotId;

/**
 * Cases and outcomes (issue 17): declined and refused rows leave the case's searches, for good
 * (journaled, replayed); a booking's outcome becomes an RS-SAS-RDV update in the outbox; an outcome
 * of a slot never booked is refused, typed; the patient reaches the gateway and no file.
 */
class OutcomesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Operator ANNE = World.operator("anne");

    @TempDir
    Path dir;

    private final SteppedClock clock = new SteppedClock(World.NOW);

    private Creneau start(final World w, final RecordingBookingGateway gateway) {
        return w.start(World.builder(clock).journal(dir.resolve("journal")).audit(dir.resolve("audit"), Duration.ofDays(30)).outbox(true)
            .bookingGateway(gateway));
    }

    private static RegulatorQuery query() {
        return new RegulatorQuery().patient(World.LAT, World.LON).now(World.NOW).modality(Modality.OFFICE).limit(10);
    }

    private static List<Long> rows(final SearchResults r) {
        final List<Long> out = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            out.add(r.rpps(i));
        }
        return out;
    }

    @Test
    void aDeclinedHealthCentreIsRecordedAndLeftOutOfTheCasesNextSearches() {
        final World w = new World(dir);
        final String cds = w.cds("750000001", "CDS Paix");
        final long member = w.memberOf(cds, "LEROY");
        final SearchResults results = new SearchResults();
        try (Creneau c = start(w, new RecordingBookingGateway())) {
            c.search(query(), "case-cds", results);
            assertThat(results.size()).isEqualTo(1);
            assertThat(results.kind(0)).isEqualTo(fr.creneau.rank.ResultKind.STRUCTURE);
            assertThat(results.structure(0).id()).isEqualTo(cds);
            // Every structure kind is a row the operator may record an outcome for, not only a CPTS.
            assertThat(c.bookings().outcome("case-cds", RowRef.structure(cds), Outcome.DECLINED, ANNE).isRecorded())
                .isTrue();
            c.search(query(), "case-cds", results);
            assertThat(results.size()).as("the CDS said no: not proposed again to this case").isZero();
            c.search(query(), "another-case", results);
            assertThat(results.size()).isEqualTo(1);
            assertThat(member).isPositive();
        }
    }

    @Test
    void aDeclinedHealthCentreDoesNotHideItsDoctorsOwnFreeSlots() {
        final World w = new World(dir);
        final String cds = w.cds("750000001", "CDS Paix");
        final long member = w.memberOf(cds, "LEROY");
        final SlotId own = w.manualSlot(member, 90);
        final SearchResults results = new SearchResults();
        try (Creneau c = start(w, new RecordingBookingGateway())) {
            assertThat(c.bookings().outcome("case-cds", RowRef.structure(cds), Outcome.DECLINED, ANNE).isRecorded())
                .isTrue();
            c.search(query(), "case-cds", results);
            // The centre said no for this patient; Dr Leroy's own slot is another proposal.
            assertThat(results.size()).isEqualTo(1);
            assertThat(results.kind(0)).isEqualTo(fr.creneau.rank.ResultKind.SLOT);
            assertThat(results.slotId(0, c.vendors())).isEqualTo(own);
        }
    }

    @Test
    void aCaseThatDeclinesTwoDoctorsThenBooksAThirdNeverSeesTheDeclinedAgain() {
        final World w = new World(dir);
        final long martin = w.gp("MARTIN", "Maiia");
        final long petit = w.gp("PETIT", "Maiia");
        final long durand = w.gp("DURAND", "Maiia");
        final SlotId martinSlot = w.slot("Maiia", martin, 60);
        w.slot("Maiia", petit, 60);
        final SlotId durandSlot = w.slot("Maiia", durand, 60);
        final SearchResults results = new SearchResults();
        try (Creneau c = start(w, new RecordingBookingGateway())) {
            c.search(query(), "case-17", results);
            assertThat(rows(results)).containsExactlyInAnyOrder(martin, petit, durand);
            c.recordSearch("case-17", "anne", results);
            // One declined by its slot row, one by its RPPS (the doctor called back and said no).
            assertThat(c.bookings().outcome("case-17", RowRef.slot(martinSlot), Outcome.DECLINED, ANNE).isRecorded())
                .isTrue();
            assertThat(c.bookings().outcome("case-17", RowRef.rpps(petit), Outcome.PATIENT_REFUSED, ANNE).isRecorded())
                .isTrue();
            c.search(query(), "case-17", results);
            assertThat(rows(results)).containsExactly(durand);
            // Another case is not affected.
            c.search(query(), "case-18", results);
            assertThat(rows(results)).hasSize(3);
            final HoldResult hold = c.bookings().hold(durandSlot, ANNE, new CaseRef("case-17", Modality.OFFICE, false));
            assertThat(c.bookings().confirm(hold.token()).isBooked()).isTrue();
            // The fairness counts: rows shown once by recordSearch, taken by the booking.
            final int durandIndex = c.directory().indexOf(durand);
            assertThat(c.exposure().proposed(durandIndex)).isEqualTo(1);
            assertThat(c.exposure().taken(durandIndex)).isEqualTo(1);
            assertThat(c.exposure().taken(c.directory().indexOf(martin))).isZero();
            c.bookings().outcome("case-19", RowRef.rpps(martin), Outcome.ACCEPTED, ANNE);
            assertThat(c.exposure().taken(c.directory().indexOf(martin))).isEqualTo(1);
        }
        try (Creneau c = start(w, new RecordingBookingGateway())) {
            assertThat(c.bookings().booking(durandSlot).caseRef()).isEqualTo(new CaseRef("case-17", Modality.OFFICE,
                false)); // replayed from the HOLD record
        }
        // After a restart, from the journal: the declined still never come back for that case.
        try (Creneau c = start(w, new RecordingBookingGateway())) {
            c.search(query(), "case-17", results);
            assertThat(rows(results)).doesNotContain(martin, petit);
            assertThat(c.bookings().excludedFor("case-17")).containsExactlyInAnyOrder(martin, petit);
            assertThat(c.bookings().excludedFor("case-18")).isEmpty();
        }
    }

    @Test
    void aDeclinedCptsIsLeftOutButNotItsMembersOwnSlots() {
        final World w = new World(dir);
        final long a = w.practitioner("Alice", "NORMAND", World.LAT, World.LON, "Maiia", "CPTS", "cpts-paris");
        final long b = w.practitioner("Bruno", "LEROY", World.LAT, World.LON + 0.001, "Maiia", "CPTS", "cpts-paris");
        final long other = w.gp("PETIT", "Maiia");
        w.slot("Maiia", a, 60);
        w.slot("Maiia", b, 60);
        w.slot("Maiia", other, 60);
        try (Creneau c = start(w, new RecordingBookingGateway())) {
            assertThat(c.bookings().outcome("c1", RowRef.structure("cpts-paris"), Outcome.DECLINED, ANNE).isRecorded())
                .isTrue();
            assertThat(c.bookings().outcome("c1", RowRef.structure("nowhere"), Outcome.DECLINED, ANNE).refusal())
                .isEqualTo(OutcomeResult.Refusal.UNKNOWN_ROW);
            final SearchResults results = new SearchResults();
            // The CPTS row is the declined proposal; its members' own free slots are other ones.
            c.search(query(), "c1", results);
            assertThat(rows(results)).containsExactlyInAnyOrder(a, b, other);
        }
    }

    @Test
    void fulfilledAndNoShowFlowToTheOutboxAsUpdatesOfTheBooking() throws IOException {
        final World w = new World(dir);
        final SlotId came = w.slot("Maiia", w.gp("MARTIN", "Maiia"), 60);
        final SlotId missed = w.slot("Doctolib", w.gp("PETIT", "Doctolib"), 90);
        final SlotId neverBooked = w.slot("Maiia", w.gp("DURAND", "Maiia"), 120);
        try (Creneau c = start(w, new RecordingBookingGateway())) {
            c.bookings().confirm(c.bookings().hold(came, ANNE, new CaseRef("k1", Modality.OFFICE, true)).token());
            c.bookings().confirm(c.bookings().hold(missed, ANNE, new CaseRef("k2", Modality.OFFICE, false)).token());
            clock.advance(Duration.ofHours(2));
            final OutcomeResult f = c.bookings().outcome("k1", RowRef.slot(came), Outcome.FULFILLED, ANNE);
            final OutcomeResult n = c.bookings().outcome("k2", RowRef.slot(missed), Outcome.NO_SHOW, ANNE);
            assertThat(f.isRecorded()).isTrue();
            assertThat(n.isRecorded()).isTrue();
            // Typed refusals, nothing written: a slot never booked, a booking of another case, not a slot.
            assertThat(c.bookings().outcome("k3", RowRef.slot(neverBooked), Outcome.FULFILLED, ANNE).refusal())
                .isEqualTo(OutcomeResult.Refusal.NOT_BOOKED);
            assertThat(c.bookings().outcome("k2", RowRef.slot(came), Outcome.NO_SHOW, ANNE).refusal())
                .isEqualTo(OutcomeResult.Refusal.NOT_BOOKED);
            assertThat(c.bookings().outcome("k1", RowRef.rpps(came.rpps()), Outcome.FULFILLED, ANNE).refusal())
                .isEqualTo(OutcomeResult.Refusal.NOT_A_SLOT);
            final List<OutboxMessage> pending = c.bookings().pendingMessages();
            assertThat(pending).extracting(OutboxMessage::kind).containsExactly(OutboxMessage.Kind.CREATED,
                OutboxMessage.Kind.CREATED, OutboxMessage.Kind.FULFILLED, OutboxMessage.Kind.NO_SHOW);
            assertThat(pending.get(2).id()).isEqualTo(f.messageId());
            final JsonNode created = appointment(pending.get(0));
            final JsonNode fulfilled = appointment(pending.get(2));
            final JsonNode noShow = appointment(pending.get(3));
            assertThat(fulfilled.get("method").asText()).isEqualTo("UpdateAppointment");
            assertThat(fulfilled.get("status").asText()).isEqualTo("fulfilled");
            assertThat(noShow.get("status").asText()).isEqualTo("noshow");
            assertThat(fulfilled.get("appointmentId")).isEqualTo(created.get("appointmentId"));
            assertThat(c.bookings().stats().messagesPending()).isEqualTo(4);
        }
        // Replayed from the journal, the same messages, byte for byte.
        final List<OutboxMessage> before;
        try (Creneau c = start(w, new RecordingBookingGateway())) {
            before = c.bookings().pendingMessages();
            assertThat(before).hasSize(4);
        }
        final List<AuditEvent> audit = DailyAuditLog.read(dir.resolve("audit"), LocalDate.of(2026, 11, 23),
            LocalDate.of(2026, 11, 23));
        assertThat(audit).filteredOn(e -> e.type() == AuditEvent.Type.OUTCOME).extracting(AuditEvent::result)
            .containsExactly("FULFILLED", "NO_SHOW");
        assertThat(audit).filteredOn(e -> e.type() == AuditEvent.Type.CONFIRM).extracting(AuditEvent::mt)
            .containsExactly(true, false);
        assertThat(audit).extracting(AuditEvent::type).contains(AuditEvent.Type.HOLD, AuditEvent.Type.CONFIRM,
            AuditEvent.Type.OUTCOME, AuditEvent.Type.MESSAGE_QUEUED);
        // Every line as written is valid against the published schema of the audit line.
        final com.networknt.schema.JsonSchema schema;
        try (java.io.InputStream in = getClass().getResourceAsStream("/fr/creneau/audit/audit-event.schema.json")) {
            schema = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V7)
                .getSchema(JSON.readTree(in));
        }
        for (final String line : Files.readAllLines(DailyAuditLog.file(dir.resolve("audit"), LocalDate.of(2026, 11, 23)))) {
            assertThat(schema.validate(JSON.readTree(line))).as(line).isEmpty();
        }
    }

    private static JsonNode appointment(final OutboxMessage m) throws IOException {
        return JSON.readTree(m.json()).at("/content/0/jsonContent/embeddedJsonContent/message/appointment");
    }

    @Test
    void thePatientReachesTheGatewayAndNoFileUnderTheDataDirectory() throws IOException {
        final World w = new World(dir);
        final SlotId online = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final Patient patient = new Patient("QWXFAMILYNAME", "Zephyrine", LocalDate.of(1931, 2, 17), "0699887766",
            "zephyrine.qwx@example.org", "293021712345678");
        final RecordingBookingGateway gateway = new RecordingBookingGateway(dir.resolve("journal")
            .resolve("vendor-requests.jsonl"));
        try (Creneau c = start(w, gateway)) {
            final HoldResult hold = c.bookings().hold(online, ANNE, new CaseRef("case-pii", Modality.OFFICE, false));
            assertThat(c.bookings().confirm(hold.token(), patient).isBooked()).isTrue();
            c.bookings().outcome("case-pii", RowRef.slot(online), Outcome.FULFILLED, ANNE);
            c.bookings().release(hold.token());
        }
        assertThat(gateway.requests().get(0).patient()).isSameAs(patient);
        assertThat(patient.toString()).doesNotContain("QWX", "0699887766");
        final List<Path> files;
        try (Stream<Path> all = Files.walk(dir)) {
            files = all.filter(Files::isRegularFile).toList();
        }
        assertThat(files).anyMatch(p -> p.getFileName().toString().equals("bookings.journal"))
            .anyMatch(p -> p.getFileName().toString().startsWith("audit-"));
        final String[] fields = {"QWXFAMILYNAME", "Zephyrine", "1931-02-17", "19310217", "0699887766",
            "zephyrine.qwx", "293021712345678"};
        for (final Path f : files) {
            final byte[] bytes = Files.readAllBytes(f);
            for (final String field : fields) {
                assertThat(indexOf(bytes, field.getBytes(StandardCharsets.UTF_8)))
                    .as(field + " in " + dir.relativize(f)).isEqualTo(-1);
            }
        }
    }

    private static int indexOf(final byte[] hay, final byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void everyChangeIsAuditedOnceAndAReadOnlyReplayAuditsNothing() {
        final World w = new World(dir);
        final SlotId slot = w.slot("Maiia", w.gp("MARTIN", "Maiia"), 60);
        final SlotId other = w.slot("Maiia", w.gp("PETIT", "Maiia"), 60);
        try (Creneau c = start(w, new RecordingBookingGateway())) {
            c.bookings().hold(slot, ANNE, new CaseRef("k", Modality.OFFICE, false));
            c.bookings().release(c.bookings().hold(other, ANNE).token());
        }
        clock.advance(Duration.ofMinutes(6)); // the hold has run out, and no sweep has seen it
        for (int i = 0; i < 2; i++) {
            try (Creneau c = w.start(World.builder(clock).journal(dir.resolve("journal")).readOnlyJournal(true)
                .audit(dir.resolve("audit"), Duration.ofDays(30)))) {
                assertThat(c.bookings().replayReport().holdsExpiredAtStart()).isEqualTo(1); // in memory only
            }
        }
        try (Creneau c = start(w, new RecordingBookingGateway())) {
            assertThat(c.bookings().replayReport().holdsExpiredAtStart()).isEqualTo(1); // journaled and audited, once
        }
        assertThat(DailyAuditLog.read(dir.resolve("audit"), LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 23)))
            .extracting(AuditEvent::type).containsExactly(AuditEvent.Type.HOLD, AuditEvent.Type.HOLD,
                AuditEvent.Type.RELEASE, AuditEvent.Type.EXPIRE);
    }

    @Test
    void aCaseIdThatCouldCarryANameIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CaseRef("Jean Dupont 06 12", Modality.OFFICE,
            false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Outcome.parseCli("no-answer")).isEqualTo(Outcome.NO_ANSWER);
        assertThat(Outcome.parseCli("patient-refused")).isEqualTo(Outcome.PATIENT_REFUSED);
        assertThat(Outcome.parseCli("maybe")).isNull();
        assertThat(Instant.EPOCH).isNotNull();
    }
}
