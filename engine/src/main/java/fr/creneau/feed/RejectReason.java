package fr.creneau.feed;

/**
 * Why a record of an input was not kept. {@link Kind#INVALID} reasons are bad data that a vendor
 * or the host should fix; {@link Kind#FILTERED} reasons are the SAS rules doing their job on good
 * data (a patient-list slot, a slot beyond 48h).
 */
public enum RejectReason {
    // ---- directory entries ----
    /** RPPS missing, not 11 digits, or a wrong Luhn key. */
    INVALID_RPPS(Kind.INVALID),
    /** The same RPPS twice in one directory file: the first one is kept. */
    DUPLICATE_RPPS(Kind.INVALID),
    /** A position outside metropolitan France and the overseas départements, or not a number. */
    OUTSIDE_FRANCE(Kind.INVALID),
    /** A practitioner whose vendor is not in the vendor registry. */
    UNKNOWN_VENDOR(Kind.INVALID),
    /** A required field is missing or null. */
    MISSING_FIELD(Kind.INVALID),
    /** A field has a value outside its contract (unknown enum name, wrong JSON type). */
    INVALID_VALUE(Kind.INVALID),
    /**
     * A national-directory professional whose profession the SAS does not route to (a pharmacist,
     * a specialist other than general medicine): the national file lists every profession.
     */
    OTHER_PROFESSION(Kind.FILTERED),

    // ---- slots ----
    /** A slot whose RPPS is valid but not in the directory. */
    UNKNOWN_RPPS(Kind.INVALID),
    /** A slot of a practitioner whose directory entry names another vendor. */
    VENDOR_MISMATCH(Kind.INVALID),
    /** A start or end that is not an ISO-8601 date-time. */
    MALFORMED_TIME(Kind.INVALID),
    /** A local time that does not exist in the practitioner's zone (spring-forward gap). */
    NONEXISTENT_LOCAL_TIME(Kind.INVALID),
    /** A local time without offset that occurs twice in the practitioner's zone (fall-back overlap). */
    AMBIGUOUS_LOCAL_TIME(Kind.INVALID),
    /** An offset that the practitioner's zone never has at that local time (e.g. +01:00 in July in Paris). */
    OFFSET_MISMATCH(Kind.INVALID),
    /**
     * A start or end that is not a whole minute (seconds or a fraction other than zero). Slot ids
     * and the index are by minute: two slots of one practitioner within one minute would share an
     * id, and booking one would book the other.
     */
    NOT_WHOLE_MINUTE(Kind.INVALID),
    /** End at or before start. */
    END_BEFORE_START(Kind.INVALID),
    /** Longer than the configured maximum slot length. */
    TOO_LONG(Kind.INVALID),
    /** The same slot id twice in one file: the first one is kept. */
    DUPLICATE_ID(Kind.INVALID),
    /** Overlaps an earlier-listed slot of the same practitioner from the same source. */
    OVERLAPPING(Kind.INVALID),

    /** PATIENTELE or STRUCTURE: never shown to the SAS. */
    NOT_VISIBLE(Kind.FILTERED),
    /** A vendor slot of a practitioner who refuses vendor display. */
    REFUSED_DISPLAY(Kind.FILTERED),
    /** Ended already, or starts after now + 48h. */
    OUTSIDE_WINDOW(Kind.FILTERED),
    /** A slot that cannot be booked (FHIR WALKIN, or a status other than free). */
    NOT_BOOKABLE(Kind.FILTERED),
    /**
     * A slot in the answer to a batched search of a practitioner the search did not ask for: the
     * batch replaces the slots of the practitioners asked only, so it cannot vouch for another's.
     */
    NOT_REQUESTED(Kind.INVALID);

    /** Bad data versus a rule applied to good data. */
    public enum Kind {
        INVALID,
        FILTERED
    }

    private final Kind kind;

    RejectReason(final Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
