package fr.creneau.outcome;

import java.util.Objects;

/**
 * The answer to recording an outcome: recorded (journaled, in the audit log, and the LRM's
 * message in the outbox when there is one), or refused with a typed reason and nothing written.
 *
 * @param refusal   {@code null} when recorded
 * @param detail    what to tell the operator
 * @param messageId the outbox message the outcome produced, or {@code null}
 */
public record OutcomeResult(Refusal refusal, String detail, java.util.UUID messageId) {
    /** Why an outcome was not recorded. */
    public enum Refusal {
        /** {@code FULFILLED} or {@code NO_SHOW} for a slot that was never booked for the case. */
        NOT_BOOKED,
        /** {@code FULFILLED} or {@code NO_SHOW} for a row that is not a slot. */
        NOT_A_SLOT,
        /** The practitioner or structure is not in the directory. */
        UNKNOWN_ROW,
        /** The booking store (PostgreSQL) cannot be reached: nothing recorded; record it again later. */
        STORE_UNAVAILABLE
    }

    public static OutcomeResult recorded(final java.util.UUID messageId) {
        return new OutcomeResult(null, "recorded", messageId);
    }

    public static OutcomeResult refused(final Refusal why, final String detail) {
        return new OutcomeResult(Objects.requireNonNull(why, "why"), detail, null);
    }

    public boolean isRecorded() {
        return refusal == null;
    }
}
