package fr.creneau.directory;

/**
 * How a practitioner takes part in the SAS. The wire names are the contract of
 * {@code practitioners.json}.
 */
public enum Participation {
    /** Not registered with the SAS. */
    NONE,
    /** Registered individually. */
    INDIVIDUAL,
    /** Through a CPTS (communauté professionnelle territoriale de santé). */
    CPTS,
    /** Through a maison de santé pluriprofessionnelle. */
    MSP,
    /** Through a centre de santé, whose manager may enter slots for its salaried doctors. */
    CDS,
    /** Through an SOS Médecins association. */
    SOS_MEDECINS
}
