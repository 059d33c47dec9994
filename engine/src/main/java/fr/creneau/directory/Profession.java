package fr.creneau.directory;

/**
 * Professions that take SAS patients. Open to more: the ordinal is stored in one byte off-heap,
 * so new constants go at the end and the order of existing ones never changes.
 */
public enum Profession {
    /** Médecin généraliste. */
    GP,
    /** Infirmier(ère). */
    NURSE,
    /** Sage-femme. */
    MIDWIFE
}
