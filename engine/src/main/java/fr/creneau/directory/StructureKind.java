package fr.creneau.directory;

/**
 * Kinds of structures that take SAS patients as an organisation rather than through one doctor.
 * In the seeds the operator phones the CDS rather than its salaried doctors, and a CPTS finds a
 * doctor itself: each is one contact row of its own.
 */
public enum StructureKind {
    /** Centre de santé (health centre, salaried doctors). */
    CDS,
    /** Maison de santé pluriprofessionnelle. */
    MSP,
    /** SOS Médecins association (home visits, PDSA). */
    SOS_MEDECINS,
    /** Communauté professionnelle territoriale de santé. */
    CPTS,
    /** Maison médicale de garde (PDSA consultations at night and on holidays). */
    MMG
}
