package fr.creneau.directory;

/** How far a booking vendor is integrated with the SAS platform, which decides how a booking ends. */
public enum Integration {
    /** Interfaced end to end: the OSNP books online, through the vendor. */
    END_TO_END,
    /** Slots are aggregated here, but the booking is finished by phone with the practitioner. */
    AGGREGATION_ONLY
}
