package fr.creneau.booking;

import java.util.Objects;
import java.util.regex.Pattern;

import fr.creneau.feed.Modality;

/**
 * The LRM's case a hold is made for: its id (the only patient-related fact Créneau keeps), the
 * modality the regulator chose, and whether the practitioner is the patient's médecin traitant
 * (paid differently from the SNP supplement, and left out of the weekly cap). Journaled with the
 * hold and written in the audit log. Immutable.
 *
 * @param caseId      the LRM's case id: 1 to 64 characters of {@code [A-Za-z0-9._:-]}, so that it
 *                    can never carry a name or a phone number by accident of format
 * @param modality    the modality chosen for this case
 * @param patientsMt  the practitioner is the patient's MT
 */
public record CaseRef(String caseId, Modality modality, boolean patientsMt) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public CaseRef {
        checkId(caseId);
        Objects.requireNonNull(modality, "modality");
    }

    /**
     * @return {@code caseId}
     * @throws IllegalArgumentException when it is not a case id
     */
    public static String checkId(final String caseId) {
        Objects.requireNonNull(caseId, "caseId");
        if (!ID.matcher(caseId).matches()) {
            throw new IllegalArgumentException("case id must be 1 to 64 characters of A-Z a-z 0-9 . _ : -");
        }
        return caseId;
    }
}
