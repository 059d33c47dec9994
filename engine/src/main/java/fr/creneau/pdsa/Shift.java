package fr.creneau.pdsa;

import java.time.Instant;
import java.util.Objects;

/**
 * One on-call shift of the roster. Immutable.
 *
 * @param sector    id of the {@link Sector}
 * @param start     first instant on duty
 * @param end       first instant off duty again
 * @param rpps      the effector on duty, or 0 when a structure (an MMG, SOS Médecins) holds the shift
 * @param structure id of the structure holding the shift, or {@code null}
 * @param phone     the number to call for this shift, or {@code null}: then the practitioner's or structure's
 */
public record Shift(String sector, Instant start, Instant end, long rpps, String structure, String phone) {
    public Shift {
        Objects.requireNonNull(sector, "sector");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a shift ends after it starts");
        }
        if ((rpps == 0) == (structure == null)) {
            throw new IllegalArgumentException("a shift has an rpps or a structure");
        }
    }

    /** {@code true} when {@code at} is in {@code [start, end)}. */
    public boolean covers(final Instant at) {
        return !at.isBefore(start) && at.isBefore(end);
    }
}
