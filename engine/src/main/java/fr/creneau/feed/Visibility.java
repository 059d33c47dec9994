package fr.creneau.feed;

/**
 * Who a vendor slot is shown to, as the vendor declares it. Only {@link #PUBLIC} (grand public,
 * outside the doctor's own patient list) and {@link #PROFESSIONAL} (for health professionals,
 * outside those reserved to a structure) are ever visible to the SAS.
 */
public enum Visibility {
    /** Grand public. Visible. */
    PUBLIC,
    /** Reserved to health professionals (the regulator is one). Visible. */
    PROFESSIONAL,
    /** Reserved to the doctor's own patients. Never visible. */
    PATIENTELE,
    /** Reserved to a CPTS or structure. Never visible. */
    STRUCTURE;

    /** The rule "only PUBLIC and PROFESSIONAL slots are visible". */
    public boolean isVisible() {
        return this == PUBLIC || this == PROFESSIONAL;
    }

    /** Wire name, or {@code null} when unknown. */
    public static Visibility parse(final String wire) {
        if (wire == null) {
            return null;
        }
        for (final Visibility v : values()) {
            if (v.name().equals(wire)) {
                return v;
            }
        }
        return null;
    }
}
