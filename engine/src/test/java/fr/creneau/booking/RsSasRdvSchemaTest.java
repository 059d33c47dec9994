package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import fr.creneau.Creneau;
import fr.creneau.directory.Rpps;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;

/**
 * Every confirmed booking produces an RS-SAS-RDV {@code CreateAppointment}, every cancelled one an
 * {@code UpdateAppointment}/{@code cancelled}, valid against the ANS schema (draft-07, copied in
 * {@code src/test/resources/hubsante} with its source and licence).
 */
class RsSasRdvSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonSchema schema;

    @TempDir
    Path dir;

    private final SteppedClock clock = new SteppedClock(World.NOW);
    private final List<AppointmentMessage> messages = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = RsSasRdvSchemaTest.class.getResourceAsStream("/hubsante/RS-SAS-RDV.schema.json")) {
            final JsonNode node = JSON.readTree(in);
            assertThat(node.get("$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(node);
        }
    }

    private static Set<ValidationMessage> validate(final JsonNode appointment) {
        return schema.validate(appointment);
    }

    private Creneau start(final World w) {
        return w.start(World.builder(clock).bookingGateway(new RecordingBookingGateway()).appointmentListener(messages::add));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS-SAS-RDV_appointment_PS.01.json", "RS-SAS-RDV_appointment_PS.01-MAJ.json",
        "RS-SAS-RDV_appointment_CDS.01.json"})
    void theAnsSamplesPassTheValidatorAsConfigured(final String sample) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/hubsante/" + sample)) {
            assertThat(validate(JSON.readTree(in).get("appointment"))).isEmpty();
        }
    }

    @Test
    void aConfirmationProducesAValidCreateAppointment() {
        final World w = new World(dir);
        final long rpps = w.practitioner("Didier", "MOREL", World.LAT, World.LON, "Doctolib", "INDIVIDUAL", null);
        final SlotId slot = w.slot("Doctolib", rpps, 300);
        try (Creneau c = start(w)) {
            final HoldToken token = c.bookings().hold(slot, World.operator("pricart")).token();
            c.bookings().confirm(token);
        }
        assertThat(messages).hasSize(1);
        final AppointmentMessage m = messages.get(0);
        final ObjectNode json = m.toJson();
        assertThat(validate(json)).isEmpty();
        assertThat(json.get("appointmentId").asText()).isEqualTo(m.appointmentId().toString());
        assertThat(json.get("method").asText()).isEqualTo("CreateAppointment");
        assertThat(json.get("status").asText()).isEqualTo("booked");
        assertThat(json.get("orientationCategory").asText()).isEqualTo("PS");
        assertThat(json.get("created").asText()).isEqualTo("2026-11-23T10:00:00+01:00");
        assertThat(json.get("start").asText()).isEqualTo("2026-11-23T15:00:00+01:00");
        assertThat(json.get("end").asText()).isEqualTo("2026-11-23T15:20:00+01:00");
        assertThat(json.at("/practitioner/rppsId").asText()).isEqualTo("8" + Rpps.format(rpps));
        assertThat(json.at("/practitioner/lastName").asText()).isEqualTo("MOREL");
        assertThat(json.at("/practitioner/firstName").asText()).isEqualTo("Didier");
        assertThat(json.at("/practitioner/professionCode").asText()).isEqualTo("10");
        assertThat(json.at("/regulator/regulatorId").asText()).isEqualTo("pricart");
        assertThat(json.at("/regulator/regulatorEmail").asText()).isEqualTo("pricart@ghsas.fr");
        assertThat(json.has("organization")).isFalse();
        assertThat(m.toJsonString()).startsWith("{\"appointment\":{\"appointmentId\":");
    }

    @Test
    void cancellingABookingProducesAValidCancelledUpdateWithTheSameId() {
        final World w = new World(dir);
        final SlotId online = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final SlotId phone = w.slot("Maiia", w.gp("PETIT", "Maiia"), 60);
        try (Creneau c = start(w)) {
            for (final SlotId slot : List.of(online, phone)) {
                final HoldToken token = c.bookings().hold(slot, World.operator("anne")).token();
                c.bookings().confirm(token);
                clock.advance(java.time.Duration.ofMinutes(3));
                c.bookings().release(token);
            }
        }
        assertThat(messages).extracting(AppointmentMessage::kind).containsExactly(AppointmentMessage.Kind.CREATED,
            AppointmentMessage.Kind.CANCELLED, AppointmentMessage.Kind.CREATED, AppointmentMessage.Kind.CANCELLED);
        for (int i = 0; i < messages.size(); i += 2) {
            final ObjectNode created = messages.get(i).toJson();
            final ObjectNode cancelled = messages.get(i + 1).toJson();
            assertThat(validate(cancelled)).isEmpty();
            assertThat(cancelled.get("method").asText()).isEqualTo("UpdateAppointment");
            assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
            assertThat(cancelled.get("appointmentId")).isEqualTo(created.get("appointmentId"));
            assertThat(cancelled.get("created")).isEqualTo(created.get("created")); // when it was booked
        }
    }

    @Test
    void releasingAHoldThatWasNeverConfirmedTellsTheLrmNothing() {
        final World w = new World(dir);
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = start(w)) {
            c.bookings().release(c.bookings().hold(slot, World.operator("anne")).token());
        }
        assertThat(messages).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"INDIVIDUAL,PS", "NONE,PS", "CPTS,CPTS", "MSP,MSP", "CDS,CDS", "SOS_MEDECINS,SOS"})
    void theOrientationCategoryComesFromTheParticipation(final String participation, final String category) {
        final World w = new World(dir);
        final String cpts = participation.equals("CPTS") ? "cpts-paris-centre" : null;
        final SlotId slot = w.slot("Doctolib",
            w.practitioner("Alice", "NORMAND", World.LAT, World.LON, "Doctolib", participation, cpts), 60);
        try (Creneau c = start(w)) {
            c.bookings().confirm(c.bookings().hold(slot, World.operator("anne")).token());
        }
        final ObjectNode json = messages.get(0).toJson();
        assertThat(validate(json)).isEmpty();
        assertThat(json.get("orientationCategory").asText()).isEqualTo(category);
        if (cpts != null) {
            assertThat(json.at("/organization/organizationId").asText()).isEqualTo(cpts);
            assertThat(json.at("/organization/name").asText()).isEqualTo("CPTS " + cpts);
        }
    }

    @Test
    void theValidatorRejectsWhatTheSchemaForbids() {
        final World w = new World(dir);
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = start(w)) {
            c.bookings().confirm(c.bookings().hold(slot, World.operator("anne")).token());
        }
        final ObjectNode json = messages.get(0).toJson();
        ((ObjectNode) json.get("practitioner")).put("rppsId", Rpps.format(slot.rpps())); // without the 8 prefix
        json.put("method", "CancelAppointment");
        json.put("created", "2026-11-23T09:00:00Z");
        assertThat(validate(json)).extracting(ValidationMessage::getInstanceLocation).map(Object::toString)
            .contains("$.practitioner.rppsId", "$.method", "$.created");
    }

    @Test
    void aDisplayNameIsSplitIntoFamilyAndGivenNames() {
        assertThat(AppointmentMessage.splitName("Dr Marie MARTIN")).containsExactly("MARTIN", "Marie");
        assertThat(AppointmentMessage.splitName("Jean DE LA TOUR")).containsExactly("DE LA TOUR", "Jean");
        assertThat(AppointmentMessage.splitName("Anne-Sophie Durand")).containsExactly("Durand", "Anne-Sophie");
        assertThat(AppointmentMessage.splitName("Cabinet")).containsExactly("Cabinet", "");
    }
}
