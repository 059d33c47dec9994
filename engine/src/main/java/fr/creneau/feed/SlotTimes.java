package fr.creneau.feed;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;

/**
 * Reads a slot's start or end and checks it against the civil time of the practitioner's zone.
 *
 * <p>Why this is strict. A vendor writes local agenda times; the offset it adds is where DST bugs
 * show. In Europe/Paris the spring-forward gap (last Sunday of March, 02:00-03:00) has no local
 * times and the fall-back hour (last Sunday of October, 02:00-03:00) has each local time twice:
 * <ul>
 *   <li>with an offset: the local time must exist in the zone and the offset must be one the zone
 *       has at that local time ({@code 02:30+02:00} and {@code 02:30+01:00} on the October change
 *       are two valid, distinct instants; {@code 02:30+01:00} on the March change is
 *       {@link RejectReason#NONEXISTENT_LOCAL_TIME}; {@code 10:00+01:00} in July is
 *       {@link RejectReason#OFFSET_MISMATCH}, a sign the vendor computed the offset wrongly);</li>
 *   <li>a UTC time ({@code Z} or {@code +00:00}) is an unambiguous instant and always accepted;</li>
 *   <li>without an offset, the local time is read in the zone: in the gap it is
 *       {@link RejectReason#NONEXISTENT_LOCAL_TIME}, in the repeated hour
 *       {@link RejectReason#AMBIGUOUS_LOCAL_TIME} (guessing would put a patient an hour early or
 *       late).</li>
 * </ul>
 * Seconds are kept as given here; the validator then rejects any that are not zero
 * ({@link RejectReason#NOT_WHOLE_MINUTE}), since slot ids and the index count in minutes.
 *
 * <p>Stateless; thread-safe.
 */
final class SlotTimes {
    private SlotTimes() {
    }

    /** A time that failed a rule; carries no stack trace (it is a counted outcome, not a bug). */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        final RejectReason reason;

        Problem(final RejectReason reason, final String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    static Instant parse(final String text, final ZoneId zone) throws Problem {
        final TemporalAccessor parsed;
        try {
            parsed = DateTimeFormatter.ISO_DATE_TIME.parse(text);
        } catch (final DateTimeParseException e) {
            throw new Problem(RejectReason.MALFORMED_TIME, "not an ISO-8601 date-time: " + Json.quote(text));
        }
        final LocalDateTime local = LocalDateTime.from(parsed);
        final List<ZoneOffset> valid = zone.getRules().getValidOffsets(local);
        if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            final ZoneOffset offset = ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS));
            if (offset.getTotalSeconds() == 0) {
                return local.toInstant(ZoneOffset.UTC);
            }
            if (valid.isEmpty()) {
                throw new Problem(RejectReason.NONEXISTENT_LOCAL_TIME,
                    Json.quote(text) + ": local time " + local + " does not exist in " + zone + " (DST gap)");
            }
            if (!valid.contains(offset)) {
                throw new Problem(RejectReason.OFFSET_MISMATCH,
                    Json.quote(text) + ": " + zone + " is at " + valid.get(0) + " at " + local + ", not " + offset);
            }
            return OffsetDateTime.of(local, offset).toInstant();
        }
        if (valid.isEmpty()) {
            throw new Problem(RejectReason.NONEXISTENT_LOCAL_TIME,
                Json.quote(text) + " does not exist in " + zone + " (DST gap)");
        }
        if (valid.size() > 1) {
            throw new Problem(RejectReason.AMBIGUOUS_LOCAL_TIME,
                Json.quote(text) + " occurs twice in " + zone + " (DST fall-back): give an offset");
        }
        return local.toInstant(valid.get(0));
    }
}
