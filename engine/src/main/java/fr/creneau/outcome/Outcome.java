package fr.creneau.outcome;

import java.util.Locale;

/**
 * What came of one row of a search (a slot, the MT, a surnuméraire doctor, a CPTS, a structure, a
 * PDSA contact) for one case, as an operator records it; or, later, of a booking. Journaled names
 * are the constants' names (reordering never changes a file's meaning).
 */
public enum Outcome {
    /** The contact took the patient. */
    ACCEPTED,
    /** The doctor or the structure said no: left out of the case's next searches. */
    DECLINED,
    /** Nobody answered. */
    NO_ANSWER,
    /** The patient refused the proposal: left out of the case's next searches. */
    PATIENT_REFUSED,
    /** The patient came to the booked appointment (RS-SAS-RDV {@code fulfilled}). */
    FULFILLED,
    /** The patient did not come (RS-SAS-RDV {@code noshow}). */
    NO_SHOW;

    /** The protocol's "the next proposal must differ": the row is excluded from the case's searches. */
    public boolean excludes() {
        return this == DECLINED || this == PATIENT_REFUSED;
    }

    /** Only for a slot that was booked for the case. */
    public boolean ofBooking() {
        return this == FULFILLED || this == NO_SHOW;
    }

    /** The command line's spelling: {@code accepted}, {@code no-answer}, {@code patient-refused}... */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The outcome spelled {@code cli} ({@link #cliName()}), or {@code null}. */
    public static Outcome parseCli(final String cli) {
        for (final Outcome o : values()) {
            if (o.cliName().equals(cli)) {
                return o;
            }
        }
        return null;
    }
}
