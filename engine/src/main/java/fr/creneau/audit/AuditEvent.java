package fr.creneau.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One line of the audit log. Holds the LRM's case id and never the patient: no name, birth date,
 * phone, e-mail or INS is a field here, and none can be (every text field is an id, an enum name
 * or an operator id). Immutable; {@code null} fields are absent from the line.
 *
 * @param at        when it happened (the clock of the service that did it)
 * @param type      what happened
 * @param caseId    the LRM case, or {@code null} (a hold made without a case)
 * @param operator  operator id, or {@code null} (an expiry, a delivery)
 * @param rowKind   {@code SLOT}, {@code MT}, {@code SURNUMERAIRE}, {@code CPTS}, {@code STRUCTURE},
 *                  {@code PDSA}, or {@code null}
 * @param rpps      practitioner (0 for none)
 * @param structure structure or CPTS id, or {@code null}
 * @param slot      slot id text, or {@code null}
 * @param method    {@code ONLINE} or {@code PHONE} for a hold or booking, else {@code null}
 * @param modality  modality chosen for the case, or {@code null}
 * @param mt        the practitioner is the patient's MT, or {@code null} when unknown
 * @param result    outcome name for an {@link Type#OUTCOME}, else {@code null}
 * @param token     hold token, or {@code null}
 * @param messageId outbox message id, or {@code null}
 * @param proposed  for a {@link Type#SEARCH}: the RPPS of the rows shown, in order (a CPTS row
 *                  by the member it was ranked by); else empty
 */
public record AuditEvent(Instant at, Type type, String caseId, String operator, String rowKind, long rpps,
                         String structure, String slot, String method, String modality, Boolean mt, String result,
                         String token, String messageId, List<Long> proposed) {
    /** The kinds of line. */
    public enum Type {
        /** An operator saw the rows of a search made for a case. */
        SEARCH,
        HOLD,
        CONFIRM,
        RELEASE,
        EXPIRE,
        OUTCOME,
        /** A message for the LRM went into the outbox (in the same journal record as its change). */
        MESSAGE_QUEUED,
        /** The host acknowledged a message. */
        MESSAGE_ACKED
    }

    public AuditEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(type, "type");
        proposed = proposed == null ? List.of() : List.copyOf(proposed);
    }

    /** An event with only the common fields; the others through the {@code with} methods. */
    public static AuditEvent of(final Instant at, final Type type, final String caseId, final String operator) {
        return new AuditEvent(at, type, caseId, operator, null, 0, null, null, null, null, null, null, null, null,
            List.of());
    }

    public AuditEvent row(final String kind, final long practitioner, final String structureId, final String slotId) {
        return new AuditEvent(at, type, caseId, operator, kind, practitioner, structureId, slotId, method, modality, mt,
            result, token, messageId, proposed);
    }

    public AuditEvent booking(final String bookingMethod, final String chosenModality, final Boolean patientsMt,
                              final String holdToken) {
        return new AuditEvent(at, type, caseId, operator, rowKind, rpps, structure, slot, bookingMethod, chosenModality,
            patientsMt, result, holdToken, messageId, proposed);
    }

    public AuditEvent result(final String outcome) {
        return new AuditEvent(at, type, caseId, operator, rowKind, rpps, structure, slot, method, modality, mt, outcome,
            token, messageId, proposed);
    }

    public AuditEvent message(final String id) {
        return new AuditEvent(at, type, caseId, operator, rowKind, rpps, structure, slot, method, modality, mt, result,
            token, id, proposed);
    }

    public AuditEvent proposed(final List<Long> rows) {
        return new AuditEvent(at, type, caseId, operator, rowKind, rpps, structure, slot, method, modality, mt, result,
            token, messageId, rows);
    }

    /** The line's JSON object. */
    public ObjectNode toJson() {
        final ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("at", at.toString());
        o.put("type", type.name());
        put(o, "case", caseId);
        put(o, "operator", operator);
        put(o, "rowKind", rowKind);
        if (rpps != 0) {
            o.put("rpps", rpps);
        }
        put(o, "structure", structure);
        put(o, "slot", slot);
        put(o, "method", method);
        put(o, "modality", modality);
        if (mt != null) {
            o.put("mt", mt);
        }
        put(o, "result", result);
        put(o, "token", token);
        put(o, "messageId", messageId);
        if (!proposed.isEmpty()) {
            final ArrayNode a = o.putArray("proposed");
            proposed.forEach(a::add);
        }
        return o;
    }

    private static void put(final ObjectNode o, final String name, final String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    /**
     * Reads a line written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static AuditEvent fromJson(final JsonNode o) {
        try {
            final List<Long> rows = new java.util.ArrayList<>();
            for (final JsonNode n : o.path("proposed")) {
                rows.add(n.asLong());
            }
            return new AuditEvent(Instant.parse(o.get("at").asText()), Type.valueOf(o.get("type").asText()),
                text(o, "case"), text(o, "operator"), text(o, "rowKind"), o.path("rpps").asLong(0),
                text(o, "structure"), text(o, "slot"), text(o, "method"), text(o, "modality"),
                o.has("mt") ? o.get("mt").asBoolean() : null, text(o, "result"), text(o, "token"),
                text(o, "messageId"), rows);
        } catch (final RuntimeException e) {
            throw new IllegalArgumentException("not an audit line: " + e.getMessage(), e);
        }
    }

    private static String text(final JsonNode o, final String name) {
        final JsonNode n = o.get(name);
        return n == null || n.isNull() ? null : n.asText();
    }
}
