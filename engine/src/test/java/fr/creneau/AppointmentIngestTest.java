package fr.creneau;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.booking.AppointmentMessage;
import fr.creneau.booking.AppointmentResult;
import fr.creneau.booking.HoldCheck;
import fr.creneau.booking.HoldResult;
import fr.creneau.booking.Operator;
import fr.creneau.feed.FeedFormatException;
import fr.creneau.feed.Fixtures;
import fr.creneau.feed.Modality;
import fr.creneau.index.SlotDescriptor;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.SearchResults;
import fr.creneau.slot.SlotId;

/**
 * The vendor's side of a booking made on its agenda (flux INT_R03, FrAppointmentSAS): an
 * Appointment {@code booked} confirms the matching hold or books the free slot, {@code cancelled}
 * frees it, each with its RS-SAS-RDV message; one that matches nothing is a counted rejection.
 * And the deep link a hold of an ONLINE slot returns.
 */
class AppointmentIngestTest {
    private static final Instant NOW = Fixtures.NOW; // 2026-11-23T09:00Z
    private static final long ALICE = 10000000017L;
    private static final String FEED = """
        {"vendor": "Doctolib", "integration": "END_TO_END", "generatedAt": "2026-11-23T08:55:00Z",
         "slots": [
          {"id": "a1", "rpps": "10000000017", "start": "2026-11-23T14:00:00+01:00", "end": "2026-11-23T14:20:00+01:00",
           "modality": "OFFICE", "visibility": "PUBLIC", "bookingUrl": "https://www.doctolib.example/dr-martin?motive=sas"},
          {"id": "a2", "rpps": "10000000017", "start": "2026-11-23T15:00:00+01:00", "end": "2026-11-23T15:20:00+01:00",
           "modality": "OFFICE", "visibility": "PUBLIC", "bookingUrl": "https://www.doctolib.example/dr-martin?motive=sas"}
         ]}
        """;

    @TempDir
    Path tmp;
    private Creneau creneau;
    private final List<AppointmentMessage> messages = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        creneau = Creneau.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).expiryTimer(false)
            .journal(tmp.resolve("journal")).appointmentListener(messages::add).build();
        creneau.loadDirectory(Fixtures.path("practitioners.json"));
        creneau.ingestVendorFeed("doctolib", new ByteArrayInputStream(FEED.getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void tearDown() {
        creneau.close();
    }

    private static String appointment(final String status, final String start, final String end, final String practitioner) {
        return """
            {"resourceType": "Appointment", "id": "1",
             "meta": {"profile": ["https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-appointment"]},
             "extension": [{"url": "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-appointment-operator",
               "valueReference": {"identifier": {"type": {"coding": [{"system": "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203", "code": "IDNPS"}]},
                 "system": "urn:oid:1.2.250.1.71.4.2.1", "value": "3456780581/11242343"}, "display": "Durand"}}],
             "identifier": [{"system": "urn:oid:1.1.111.1.11.1.1.1", "value": "b6e39355-8a61-4556-b340-36f7b95fec6a"}],
             "status": "%s", "start": "%s", "end": "%s",
             "participant": [{"actor": {"identifier": {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "%s"}}, "status": "accepted"}]}
            """.formatted(status, start, end, practitioner);
    }

    private AppointmentResult ingest(final String json) {
        return creneau.ingestAppointment("Doctolib", "appointment.json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private boolean proposed(final Instant start) {
        final RegulatorQuery q = new RegulatorQuery().reset().patient(48.859, 2.38).now(NOW).modality(Modality.OFFICE)
            .medecinTraitant(ALICE).limit(5);
        final SearchResults r = new SearchResults();
        creneau.search(q, r);
        return r.hasSlot(0) && r.start(0).equals(start);
    }

    private int state(final Instant start) {
        final int p = creneau.directory().indexOf(ALICE);
        final int record = creneau.index().findSlot(p, creneau.vendors().require("Doctolib").id(),
            fr.creneau.slot.Minutes.floor(start));
        return record == SlotDescriptor.NIL ? -1 : SlotDescriptor.state(creneau.index().stateWord(record));
    }

    @Test
    void anAppointmentBookedThenCancelledBooksTheSlotThenFreesItWithBothMessages() {
        final Instant start = Instant.parse("2026-11-23T13:00:00Z");
        assertThat(proposed(start)).isTrue();

        final AppointmentResult booked = ingest(appointment("booked", "2026-11-23T14:00:00+01:00", "2026-11-23T14:20:00+01:00",
            "810000000017"));
        assertThat(booked.outcome()).isEqualTo(AppointmentResult.Outcome.BOOKED);
        assertThat(booked.booking().vendorReference()).isEqualTo("b6e39355-8a61-4556-b340-36f7b95fec6a");
        assertThat(booked.booking().operator().id()).isEqualTo("3456780581/11242343");
        assertThat(state(start)).isEqualTo(SlotDescriptor.STATE_BOOKED);
        assertThat(proposed(start)).isFalse();
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).kind()).isEqualTo(AppointmentMessage.Kind.CREATED);

        // The guide's conditional PUT may repeat it: one booking.
        assertThat(ingest(appointment("booked", "2026-11-23T14:00:00+01:00", "2026-11-23T14:20:00+01:00",
            "810000000017")).outcome()).isEqualTo(AppointmentResult.Outcome.ALREADY_BOOKED);
        assertThat(messages).hasSize(1);

        final AppointmentResult cancelled = ingest(appointment("cancelled", "2026-11-23T14:00:00+01:00",
            "2026-11-23T14:20:00+01:00", "810000000017"));
        assertThat(cancelled.outcome()).isEqualTo(AppointmentResult.Outcome.CANCELLED);
        assertThat(state(start)).isEqualTo(SlotDescriptor.STATE_FREE);
        assertThat(proposed(start)).isTrue();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(1).kind()).isEqualTo(AppointmentMessage.Kind.CANCELLED);
        assertThat(creneau.bookings().bookings()).isEmpty();
    }

    @Test
    void anAppointmentBookedConfirmsTheOperatorsHoldAndSurvivesARestart() {
        final SlotId slot = SlotId.parse("doctolib.10000000017.20261123T1400Z");
        final HoldResult held = creneau.bookings().hold(slot, new Operator("osnp-1", "Martin", "Anne", "a@sas.example"));
        assertThat(held.isHeld()).isTrue();

        // Identifier without its 8 prefix, as the guide's FAQ says vendors often send it.
        final AppointmentResult r = ingest(appointment("booked", "2026-11-23T15:00:00+01:00", "2026-11-23T15:20:00+01:00",
            "10000000017"));
        assertThat(r.outcome()).isEqualTo(AppointmentResult.Outcome.HOLD_CONFIRMED);
        assertThat(r.booking().token()).isEqualTo(held.token());
        assertThat(r.booking().operator().id()).isEqualTo("osnp-1");
        assertThat(messages).singleElement().satisfies(m -> assertThat(m.kind()).isEqualTo(AppointmentMessage.Kind.CREATED));

        creneau.close();
        creneau = Creneau.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).expiryTimer(false)
            .journal(tmp.resolve("journal")).build();
        assertThat(creneau.bookings().booking(slot)).isNotNull();
        assertThat(creneau.bookings().booking(slot).vendorReference()).isEqualTo("b6e39355-8a61-4556-b340-36f7b95fec6a");
    }

    @Test
    void anAppointmentThatMatchesNoSlotIsACountedRejectionAndChangesNothing() {
        final long live = creneau.stats().liveSlots();
        // 14:10 is no slot's start; Claire (Maiia) has no Doctolib slot; a cancellation of nothing booked.
        assertThat(ingest(appointment("booked", "2026-11-23T14:10:00+01:00", "2026-11-23T14:30:00+01:00", "810000000017"))
            .outcome()).isEqualTo(AppointmentResult.Outcome.NO_MATCHING_SLOT);
        assertThat(ingest(appointment("booked", "2026-11-23T14:00:00+01:00", "2026-11-23T14:20:00+01:00", "810000000033"))
            .outcome()).isEqualTo(AppointmentResult.Outcome.NO_MATCHING_SLOT);
        assertThat(ingest(appointment("cancelled", "2026-11-23T18:00:00+01:00", "2026-11-23T18:20:00+01:00", "810000000017"))
            .outcome()).isEqualTo(AppointmentResult.Outcome.NO_MATCHING_SLOT);
        assertThat(ingest(appointment("cancelled", "2026-11-23T14:00:00+01:00", "2026-11-23T14:20:00+01:00", "810000000017"))
            .outcome()).isEqualTo(AppointmentResult.Outcome.NOT_BOOKED);
        assertThat(creneau.bookings().appointments(AppointmentResult.Outcome.NO_MATCHING_SLOT)).isEqualTo(3);
        assertThat(creneau.stats().liveSlots()).isEqualTo(live);
        assertThat(messages).isEmpty();
        assertThat(creneau.bookings().bookings()).isEmpty();
    }

    @Test
    void aMalformedAppointmentIsAFeedFormatErrorNamingWhatIsWrong() {
        final String good = appointment("booked", "2026-11-23T14:00:00+01:00", "2026-11-23T14:20:00+01:00", "810000000017");
        assertThatThrownBy(() -> ingest(good.replace("\"booked\"", "\"proposed\"")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("proposed");
        assertThatThrownBy(() -> ingest(good.replace("appointment-operator", "something-else")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("appointmentOperator");
        assertThatThrownBy(() -> ingest(good.replace("810000000017", "810000000018")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("810000000018");
        assertThatThrownBy(() -> ingest(good.replace("14:00:00+01:00", "14:00:30+01:00")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("whole minute");
        assertThatThrownBy(() -> ingest(good.replace("\"Appointment\"", "\"Slot\"")))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("not Appointment");
        assertThatThrownBy(() -> ingest(good.substring(0, good.length() / 2)))
            .isInstanceOf(FeedFormatException.class);
        assertThat(messages).isEmpty();
        assertThat(creneau.bookings().bookings()).isEmpty();
    }

    @Test
    void aHoldOfAnOnlineSlotReturnsTheVendorsDeepLinkWithTheOriginParameterAndSoDoesItsSearchRow() {
        final RegulatorQuery q = new RegulatorQuery().reset().patient(48.859, 2.38).now(NOW).modality(Modality.OFFICE)
            .medecinTraitant(ALICE).limit(5);
        final SearchResults rows = new SearchResults();
        creneau.search(q, rows);
        assertThat(creneau.bookingUrl(rows, 0)).isEqualTo("https://www.doctolib.example/dr-martin?motive=sas&origin=sas");
        assertThat(creneau.asOf(rows, 0)).isEqualTo(Instant.parse("2026-11-23T08:55:00Z"));

        final HoldResult held = creneau.bookings().hold(rows, 0, new Operator("osnp-1", "Martin", "Anne", "a@sas.example"));
        assertThat(held.isHeld()).isTrue();
        assertThat(held.bookingUrl()).isEqualTo("https://www.doctolib.example/dr-martin?motive=sas&origin=sas");
        assertThat(held.check()).isEqualTo(HoldCheck.Outcome.NOT_CHECKED);
    }
}
