package fr.creneau.booking.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One message for the LRM in the outbox: an RS-SAS-RDV appointment wrapped as the Hub Santé routes
 * it (EDXL-DE envelope, RC-DE header; see {@link HubEnvelope}). Its text is fixed when the change it
 * announces is recorded and stored with that change, so every delivery of it, before or after a
 * restart, is byte for byte the same, under the same {@link #id()} (the {@code distributionID} is
 * {@code <senderId>_<id>}): the LRM, like the Hub, can drop duplicates. Immutable.
 *
 * @param id        stable message id
 * @param kind      what the message announces
 * @param createdAt when the change was recorded ({@code dateTimeSent})
 * @param caseId    the LRM case, or {@code null}
 * @param json      the wrapped message, JSON text (one line)
 */
public record OutboxMessage(UUID id, Kind kind, Instant createdAt, String caseId, String json) {
    /** What a message announces (RS-SAS-RDV method and status). */
    public enum Kind {
        /** {@code CreateAppointment}, {@code booked}. */
        CREATED,
        /** {@code UpdateAppointment}, {@code cancelled}. */
        CANCELLED,
        /** {@code UpdateAppointment}, {@code fulfilled}. */
        FULFILLED,
        /** {@code UpdateAppointment}, {@code noshow}. */
        NO_SHOW
    }

    public OutboxMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(json, "json");
    }
}
