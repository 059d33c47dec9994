package fr.creneau.feed;

import java.util.Objects;

/**
 * One record that was not kept.
 *
 * @param reason   typed reason
 * @param recordId the slot id or RPPS the input gave, or a position ({@code "#12"}) when it gave none
 * @param detail   one human line with the offending value
 */
public record Rejection(RejectReason reason, String recordId, String detail) {
    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return reason + " " + recordId + ": " + detail;
    }
}
