package fr.creneau.feed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import fr.creneau.directory.Rpps;

/**
 * Reads the FHIR R4 {@code Appointment} a vendor reports to the platform (the ANS guide's flux
 * INT_R03, profile {@code FrAppointmentSAS}): created by POST when an operator booked on the
 * vendor's agenda, updated by conditional PUT when it is cancelled or has happened.
 *
 * <p>What is read (everything else is skipped):
 * <ul>
 *   <li>{@code status}: {@code booked | cancelled | fulfilled | noshow}; any other is refused;</li>
 *   <li>{@code start}, {@code end}: FHIR instants (with an offset), whole minutes, end after start;</li>
 *   <li>the practitioner: the {@code participant.actor.identifier} of the IDNPS system
 *       ({@code urn:oid:1.2.250.1.71.4.2.1}, or no system, as in the guide's own example), its
 *       value {@code 8}+RPPS or, as the guide's FAQ says vendors often send it, the bare RPPS;</li>
 *   <li>the operator: the {@code appointmentOperator} extension
 *       ({@code https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-appointment-operator}, or
 *       InteropSanté's earlier {@code .../FrAppointmentOperator}), its
 *       {@code valueReference.identifier.value} (and {@code display} when given);</li>
 *   <li>{@code identifier.value}: the vendor's id of the appointment.</li>
 * </ul>
 * Each of them missing or malformed is a {@link FeedFormatException} naming it: an Appointment is
 * one fact, so there is nothing to keep of a half-readable one. The resource is streamed with
 * Jackson (its small parts read as trees), under the same limits as every feed, and at most
 * {@link #MAX_BYTES}.
 *
 * <p>Thread-safe: stateless.
 */
public final class FhirAppointmentParser {
    /** Largest Appointment read: the resource is a few hundred bytes; a larger one is not one. */
    public static final long MAX_BYTES = 1L << 20;
    /** The statuses of FrAppointmentSAS (the booking package's {@code AppointmentStatus}; feed does not depend on it). */
    static final java.util.Set<String> STATUSES = java.util.Set.of("booked", "cancelled", "fulfilled", "noshow");
    /** Longest identifier or display kept: the journal's operator fields are at most that. */
    static final int MAX_TEXT = 256;
    static final String OPERATOR_EXTENSION = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-appointment-operator";
    static final String OPERATOR_EXTENSION_INTEROPSANTE = "http://interopsante.org/fhir/StructureDefinition/FrAppointmentOperator";

    /**
     * One Appointment as reported.
     *
     * @param label           for reports and errors
     * @param appointmentId   the vendor's id of the appointment ({@code identifier.value})
     * @param status          {@code booked | cancelled | fulfilled | noshow} (its FHIR code)
     * @param start           a whole minute
     * @param end             after start
     * @param rpps            the practitioner's RPPS (without the {@code 8})
     * @param operatorId      the {@code appointmentOperator}'s identifier value
     * @param operatorDisplay its display name, or {@code ""}
     */
    public record ParsedAppointment(String label, String appointmentId, String status, Instant start, Instant end,
                                    long rpps, String operatorId, String operatorDisplay) {
    }

    /** Reads an Appointment file, opened without following a symbolic link. */
    public ParsedAppointment parse(final Path file) {
        Objects.requireNonNull(file, "file");
        Json.checkSize(file, MAX_BYTES);
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return parse(file.toString(), in);
        } catch (final IOException e) {
            throw new FeedFormatException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads an Appointment from a stream (read to the end, not closed). */
    public ParsedAppointment parse(final String label, final InputStream in) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(in, "in");
        try (JsonParser p = Json.parser(in, MAX_BYTES, label)) {
            return read(label, p);
        } catch (final IOException e) {
            throw Json.unreadable(label, e);
        }
    }

    private static ParsedAppointment read(final String label, final JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new FeedFormatException(label, "expected a FHIR Appointment (a JSON object)");
        }
        String resourceType = null;
        JsonNode identifier = null;
        JsonNode status = null;
        JsonNode start = null;
        JsonNode end = null;
        JsonNode participant = null;
        JsonNode extension = null;
        JsonNode issue = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            final String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "resourceType" -> resourceType = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : "?";
                case "identifier" -> identifier = p.readValueAsTree();
                case "status" -> status = p.readValueAsTree();
                case "start" -> start = p.readValueAsTree();
                case "end" -> end = p.readValueAsTree();
                case "participant" -> participant = p.readValueAsTree();
                case "extension" -> extension = p.readValueAsTree();
                case "issue" -> issue = p.readValueAsTree();
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw new FeedFormatException(label, "unexpected content after the end of the resource");
        }
        if ("OperationOutcome".equals(resourceType)) {
            final JsonNode d = issue == null ? null : issue.path(0).get("diagnostics");
            throw new FeedFormatException(label, "an OperationOutcome, not an Appointment"
                + (d != null && d.isTextual() ? ": " + Json.quote(d.asText()) : ""));
        }
        if (!"Appointment".equals(resourceType)) {
            throw new FeedFormatException(label, "resourceType is " + (resourceType == null ? "missing"
                : Json.quote(resourceType)) + ", not Appointment");
        }
        final String statusCode = status != null && status.isTextual() ? status.asText() : null;
        if (statusCode == null) {
            throw new FeedFormatException(label, "Appointment.status is missing");
        }
        if (!STATUSES.contains(statusCode)) {
            throw new FeedFormatException(label, "Appointment.status " + Json.quote(statusCode)
                + " is not booked, cancelled, fulfilled or noshow");
        }
        final Instant from = instant(label, "start", start);
        final Instant to = instant(label, "end", end);
        if (!to.isAfter(from)) {
            throw new FeedFormatException(label, "Appointment.end is not after its start");
        }
        final String id = appointmentId(label, identifier);
        final long rpps = practitioner(label, participant);
        final JsonNode operator = operator(label, extension);
        final String operatorId = operator.path("identifier").path("value").asText("");
        if (operatorId.isBlank()) {
            throw new FeedFormatException(label, "appointmentOperator has no valueReference.identifier.value");
        }
        final String display = operator.path("display").isTextual() ? operator.get("display").asText() : "";
        checkText(label, "appointmentOperator identifier", operatorId);
        checkText(label, "appointmentOperator display", display);
        return new ParsedAppointment(label, id, statusCode, from, to, rpps, operatorId, display);
    }

    private static Instant instant(final String label, final String field, final JsonNode node) {
        if (node == null || !node.isTextual()) {
            throw new FeedFormatException(label, "Appointment." + field + " is missing");
        }
        final Instant t;
        try {
            t = OffsetDateTime.parse(node.asText()).toInstant();
        } catch (final DateTimeParseException e) {
            throw new FeedFormatException(label, "Appointment." + field + " " + Json.quote(node.asText())
                + " is not a FHIR instant (date, time and offset)");
        }
        if (!SlotRecord.isWholeMinute(t)) {
            throw new FeedFormatException(label, "Appointment." + field + " " + Json.quote(node.asText())
                + " is not a whole minute: no slot starts or ends there");
        }
        return t;
    }

    private static String appointmentId(final String label, final JsonNode identifier) {
        final JsonNode first = identifier == null ? null : identifier.isArray() ? identifier.path(0) : identifier;
        final JsonNode value = first == null ? null : first.get("value");
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new FeedFormatException(label, "Appointment.identifier.value is missing");
        }
        checkText(label, "Appointment.identifier.value", value.asText());
        return value.asText();
    }

    /** The RPPS of the participant identified in the IDNPS system. */
    private static long practitioner(final String label, final JsonNode participant) {
        if (participant == null || !participant.isArray()) {
            throw new FeedFormatException(label, "Appointment.participant is missing");
        }
        for (final JsonNode p : participant) {
            final JsonNode id = p.path("actor").path("identifier");
            final String system = id.path("system").asText(null);
            final String value = id.path("value").asText(null);
            if (value == null || (system != null && !FhirBundleParser.IDNPS_SYSTEM.equals(system))) {
                continue;
            }
            final String rpps = value.length() == Rpps.LENGTH + 1 && value.startsWith("8") ? value.substring(1) : value;
            if (!Rpps.isValid(rpps)) {
                // Rpps.problem() would repeat the value unquoted: the message quotes it once, escaped.
                throw new FeedFormatException(label, "participant identifier " + Json.quote(value)
                    + " is not 8+RPPS nor an RPPS (11 digits, the last a Luhn key)");
            }
            return Rpps.parse(rpps);
        }
        throw new FeedFormatException(label, "no participant.actor.identifier of the IDNPS system "
            + FhirBundleParser.IDNPS_SYSTEM);
    }

    /** The {@code valueReference} of the appointmentOperator extension. */
    private static JsonNode operator(final String label, final JsonNode extension) {
        if (extension != null && extension.isArray()) {
            for (final JsonNode e : extension) {
                final String url = e.path("url").asText("");
                if (url.equals(OPERATOR_EXTENSION) || url.equals(OPERATOR_EXTENSION_INTEROPSANTE)
                    || url.toLowerCase(Locale.ROOT).replace("-", "").endsWith("appointmentoperator")) {
                    final JsonNode ref = e.get("valueReference");
                    if (ref == null || !ref.isObject()) {
                        throw new FeedFormatException(label, "appointmentOperator has no valueReference");
                    }
                    return ref;
                }
            }
        }
        throw new FeedFormatException(label, "the appointmentOperator extension is missing (FrAppointmentSAS: 1..1)");
    }

    private static void checkText(final String label, final String what, final String value) {
        if (value.length() > MAX_TEXT) {
            throw new FeedFormatException(label, what + " is longer than " + MAX_TEXT
                + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                throw new FeedFormatException(label, what + " has a control or format character: " + Json.quote(value));
            }
        }
    }
}
