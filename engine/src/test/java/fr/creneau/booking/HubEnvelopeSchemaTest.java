package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.booking.outbox.HubEnvelope;
import fr.creneau.booking.outbox.OutboxMessage;
import fr.creneau.feed.Modality;
import fr.creneau.index.SteppedClock;
import fr.creneau.outcome.Outcome;
import fr.creneau.outcome.RowRef;
import fr.creneau.slot.SlotId;

/**
 * Every kind of message the outbox writes (CreateAppointment booked; UpdateAppointment cancelled,
 * fulfilled, noshow) is valid against the Hub Santé's own {@code EDXL-DE-full.schema.json}, which
 * checks the envelope, the RC-DE header and the RS-SAS-RDV appointment in one pass (schemas copied
 * from {@code ansforge/SAMU-Hub-Modeles} into {@code src/test/resources/json-schema}, see SOURCES.md);
 * instants in the Hub's format; {@code distributionID} {@code <senderId>_<uuid>}; expiry set.
 */
class HubEnvelopeSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HUB_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static JsonSchema envelope;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchema() {
        envelope = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
            .getSchema(SchemaLocation.of("classpath:json-schema/EDXL-DE-full.schema.json"));
    }

    private static final HubEnvelope HUB = new HubEnvelope("fr.health.samu075", "fr.health.samu075.lrm",
        Duration.ofDays(2), false);

    private List<OutboxMessage> everyKind() {
        final World w = new World(dir);
        final SlotId came = w.slot("Maiia", w.gp("MARTIN", "Maiia"), 60);
        final SlotId missed = w.slot("Doctolib", w.gp("PETIT", "Doctolib"), 90);
        final SlotId cancelled = w.slot("Doctolib", w.practitioner("Alice", "NORMAND", World.LAT, World.LON, "Doctolib",
            "CPTS", "cpts-paris"), 120);
        final SlotId phoned = w.slot("Maiia", w.practitioner("Paul", "MAISON", World.LAT, World.LON, "Maiia", "MSP",
            null), 150);
        final SteppedClock clock = new SteppedClock(World.NOW);
        final Operator anne = World.operator("anne");
        try (Creneau c = w.start(World.builder(clock).journal(dir.resolve("journal")).outbox(true).hub(HUB)
            .bookingGateway(new RecordingBookingGateway()))) {
            for (final SlotId s : List.of(came, missed, cancelled)) {
                c.bookings().confirm(c.bookings().hold(s, anne, new CaseRef("case-" + s.rpps(), Modality.OFFICE, false))
                    .token());
            }
            c.bookings().release(c.bookings().booking(cancelled).token());
            clock.advance(Duration.ofHours(3));
            c.bookings().outcome("case-" + came.rpps(), RowRef.slot(came), Outcome.FULFILLED, anne);
            c.bookings().outcome("case-" + missed.rpps(), RowRef.slot(missed), Outcome.NO_SHOW, anne);
            // A contact accepted on a slot row (phoned, not booked here): announced as an appointment.
            final var accepted = c.bookings().outcome("case-msp", RowRef.slot(phoned), Outcome.ACCEPTED, anne);
            assertThat(accepted.messageId()).isNotNull();
            // An RPPS row has no time: RS-SAS-RDV requires a start, so nothing is announced.
            assertThat(c.bookings().outcome("case-mt", RowRef.rpps(phoned.rpps()), Outcome.ACCEPTED, anne).messageId())
                .isNull();
            final List<OutboxMessage> all = c.bookings().pendingMessages();
            final JsonNode msp;
            try {
                msp = JSON.readTree(all.get(all.size() - 1).json())
                    .at("/content/0/jsonContent/embeddedJsonContent/message/appointment");
            } catch (final IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThat(msp.get("orientationCategory").asText()).isEqualTo("MSP");
            assertThat(msp.get("status").asText()).isEqualTo("booked");
            assertThat(all.get(all.size() - 1).caseId()).isEqualTo("case-msp");
            return all;
        }
    }

    @Test
    void everyMessageKindIsAValidHubEnvelope() throws IOException {
        final List<OutboxMessage> all = everyKind();
        assertThat(all).extracting(OutboxMessage::kind).containsExactlyInAnyOrder(OutboxMessage.Kind.CREATED,
            OutboxMessage.Kind.CREATED, OutboxMessage.Kind.CREATED, OutboxMessage.Kind.CREATED, OutboxMessage.Kind.CANCELLED,
            OutboxMessage.Kind.FULFILLED, OutboxMessage.Kind.NO_SHOW);
        for (final OutboxMessage m : all) {
            final JsonNode edxl = JSON.readTree(m.json());
            assertThat(envelope.validate(edxl)).as(m.kind() + ": " + m.json()).isEmpty();
            final JsonNode message = edxl.at("/content/0/jsonContent/embeddedJsonContent/message");
            assertThat(edxl.get("distributionID").asText()).isEqualTo("fr.health.samu075_" + m.id());
            assertThat(message.get("messageId")).isEqualTo(edxl.get("distributionID"));
            for (final String instant : List.of(edxl.get("dateTimeSent").asText(), edxl.get("dateTimeExpires").asText(),
                message.get("sentAt").asText(), message.at("/appointment/created").asText(),
                message.at("/appointment/start").asText())) {
                assertThat(instant).matches(HUB_TIME).doesNotContain("Z");
            }
            assertThat(java.time.OffsetDateTime.parse(edxl.get("dateTimeExpires").asText()).toInstant())
                .isEqualTo(m.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(Duration.ofDays(2)));
            assertThat(edxl.get("distributionKind").asText())
                .isEqualTo(m.kind() == OutboxMessage.Kind.CREATED ? "Report" : "Update");
            assertThat(m.id().toString()).matches(UUID_TEXT);
        }
    }

    @Test
    void theSchemaAsLoadedRejectsWhatTheHubWouldRefuse() throws IOException {
        final OutboxMessage m = everyKind().get(0);
        final ObjectNode edxl = (ObjectNode) JSON.readTree(m.json());
        edxl.remove("dateTimeExpires");
        final ObjectNode message = (ObjectNode) edxl.at("/content/0/jsonContent/embeddedJsonContent/message");
        message.put("sentAt", "2026-11-23T09:00:00Z");
        ((ObjectNode) message.get("appointment")).put("status", "maybe");
        final Set<ValidationMessage> errors = envelope.validate(edxl);
        assertThat(errors).extracting(ValidationMessage::getMessage).anyMatch(s -> s.contains("dateTimeExpires"));
        assertThat(errors.toString()).contains("sentAt").contains("status");
    }
}
