package fr.creneau.rank;

/** What a result row proposes. */
public enum ResultKind {
    /** The patient's own doctor: their free slot, or their phone when none is displayed. */
    MEDECIN_TRAITANT,
    /** A free, visible slot of the right modality and profession in the window. */
    SLOT,
    /** Nothing free: a doctor who accepts patients on top of their appointments. */
    SURNUMERAIRE,
    /** Nothing free: the CPTS of surnuméraire doctors registered through it, which finds a doctor itself. */
    CPTS,
    /**
     * Nothing free: a CDS, MSP, SOS Médecins association or maison médicale de garde that
     * surnuméraire doctors registered through; the operator phones the structure, not its doctors.
     */
    STRUCTURE,
    /**
     * Nothing free in the PDSA channel: the effector on duty in the patient's PDSA sector, a maison
     * médicale de garde open now, or SOS Médecins (a structure row: {@code rpps} -1).
     */
    PDSA
}
