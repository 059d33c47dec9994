package fr.creneau.feed;

import java.util.Objects;

/**
 * One record that was not kept.
 *
 * @param reason   typed reason
 * @param recordId the slot id or RPPS the input gave, or a position ({@code "#12"}) when it gave none
 *                 or an unusable one; cut after {@link #MAX_LENGTH} characters
 * @param detail   one human line with the offending value (control and format characters
 *                 escaped); cut after {@link #MAX_LENGTH} characters
 */
public record Rejection(RejectReason reason, String recordId, String detail) {
    /** Longest record id and detail kept, in characters. */
    public static final int MAX_LENGTH = 500;

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(detail, "detail");
        // A report keeps up to IngestReport.MAX_SAMPLES of these: a hostile megabyte id or time
        // must not be kept (or printed) whole.
        recordId = cut(recordId);
        // One line: a detail that quotes a value raw (a time with a newline) must not forge another.
        detail = cut(Json.clean(detail));
    }

    private static String cut(final String s) {
        return s.length() <= MAX_LENGTH ? s : s.substring(0, MAX_LENGTH) + "\u2026";
    }

    @Override
    public String toString() {
        return reason + " " + recordId + ": " + detail;
    }
}
