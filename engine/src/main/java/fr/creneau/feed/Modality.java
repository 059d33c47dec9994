package fr.creneau.feed;

/**
 * How a consultation takes place. Stored off-heap as a 3-bit set ({@link #bit()}), since a FHIR
 * slot or a manual slot may offer several.
 */
public enum Modality {
    /** In the practitioner's office. */
    OFFICE,
    /** Téléconsultation: not limited by distance. */
    TELECONSULTATION,
    /** Visite à domicile: within the practitioner's travel radius. */
    HOME_VISIT;

    private static final Modality[] VALUES = values();

    /** Set of all three modalities, as bits. */
    public static final int ALL = 0b111;

    /** This modality's bit in a modality set. */
    public int bit() {
        return 1 << ordinal();
    }

    /** The modality with that ordinal. */
    public static Modality ofOrdinal(final int ordinal) {
        return VALUES[ordinal];
    }

    /** Wire name, or {@code null} when it is not one of {@code OFFICE | TELECONSULTATION | HOME_VISIT}. */
    public static Modality parse(final String wire) {
        if (wire == null) {
            return null;
        }
        for (final Modality m : VALUES) {
            if (m.name().equals(wire)) {
                return m;
            }
        }
        return null;
    }
}
