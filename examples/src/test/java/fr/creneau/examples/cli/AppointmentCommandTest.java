package fr.creneau.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code creneau appointment FILE}: a vendor's Appointment (INT_R03) booked, then cancelled, as a user runs it. */
class AppointmentCommandTest {
    private static String appointment(final String status, final String start, final String end, final String idnps) {
        return """
            {"resourceType": "Appointment",
             "extension": [{"url": "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-appointment-operator",
               "valueReference": {"identifier": {"type": {"coding": [{"code": "IDNPS"}]},
                 "system": "urn:oid:1.2.250.1.71.4.2.1", "value": "3456780581/11242343"}}}],
             "identifier": [{"system": "urn:oid:1.1.111.1.11.1.1.1", "value": "rdv-42"}],
             "status": "%s", "start": "%s", "end": "%s",
             "participant": [{"actor": {"identifier": {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "%s"}}, "status": "accepted"}]}
            """.formatted(status, start, end, idnps);
    }

    private static JsonNode firstDoctolibRow(final Path dir) throws Exception {
        final Cli.Run search = Cli.search(dir, "--json", "--limit", "50");
        for (final String line : search.out().lines().toList()) {
            final JsonNode row = Cli.JSON.readTree(line);
            if (row.get("slotId").asText("").startsWith("doctolib.")) {
                return row;
            }
        }
        throw new AssertionError("no Doctolib row: " + search.out());
    }

    private static boolean proposed(final Path dir, final String slotId) {
        return Cli.search(dir, "--json", "--limit", "50").out().contains("\"slotId\":\"" + slotId + "\"");
    }

    @Test
    void anAppointmentBookedThenCancelledBooksThenFreesTheSlotAndNoMatchIsExitOne(@TempDir final Path tmp) throws Exception {
        final Path dir = Cli.tinyData(tmp.resolve("data"));
        final JsonNode row = firstDoctolibRow(dir);
        final String slotId = row.get("slotId").asText();
        final String idnps = "8" + row.get("rpps").asText();
        final Path file = tmp.resolve("appointment.json");

        Files.writeString(file, appointment("booked", row.get("start").asText(), row.get("end").asText(), idnps));
        final Cli.Run booked = Cli.run("appointment", "--data", dir.toString(), "--now", Cli.NOW, file.toString());
        assertThat(booked.exit()).as(booked.err()).isZero();
        assertThat(booked.out()).contains("booked " + slotId).contains("BOOKED").contains("reference rdv-42");
        assertThat(proposed(dir, slotId)).isFalse();

        Files.writeString(file, appointment("cancelled", row.get("start").asText(), row.get("end").asText(), idnps));
        final Cli.Run cancelled = Cli.run("appointment", "--data", dir.toString(), "--now", Cli.NOW, file.toString());
        assertThat(cancelled.exit()).as(cancelled.err()).isZero();
        assertThat(cancelled.out()).contains("cancelled " + slotId).contains("CANCELLED");
        assertThat(proposed(dir, slotId)).isTrue();

        // A start no slot has: exit 1, one line, nothing booked.
        Files.writeString(file, appointment("booked", "2026-11-23T03:07:00+01:00", "2026-11-23T03:27:00+01:00", idnps));
        final Cli.Run none = Cli.run("appointment", "--data", dir.toString(), "--now", Cli.NOW, file.toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("NO_MATCHING_SLOT").doesNotContain("Exception");

        // Not an Appointment, no file, no argument: exit 2.
        Files.writeString(file, "{\"resourceType\": \"Appointment\", \"status\": \"waitlist\"}");
        final Cli.Run bad = Cli.run("appointment", "--data", dir.toString(), "--now", Cli.NOW, file.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("waitlist").doesNotContain("Exception");
        assertThat(Cli.run("appointment", "--data", dir.toString(), tmp.resolve("none.json").toString()).exit()).isEqualTo(2);
        assertThat(Cli.run("appointment", "--data", dir.toString()).exit()).isEqualTo(2);
    }
}
