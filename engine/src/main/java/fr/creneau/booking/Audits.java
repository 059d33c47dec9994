package fr.creneau.booking;

import java.time.Instant;

import fr.creneau.audit.AuditEvent;

/** Audit events of a claim's changes: the case id, never the patient. */
final class Audits {
    private Audits() {
    }

    /** Kind of row a claim is: the MT's slot, or a slot. */
    static String rowKind(final Claim c) {
        return c.caseRef != null && c.caseRef.patientsMt() ? "MT" : "SLOT";
    }

    static AuditEvent of(final AuditEvent.Type type, final Claim c, final Instant at) {
        final CaseRef k = c.caseRef;
        return AuditEvent.of(at, type, k == null ? null : k.caseId(), c.operator.id())
            .row(rowKind(c), c.facts.slot().rpps(), c.facts.cptsId(), c.facts.slot().toString())
            .booking(c.facts.method().name(), k == null ? null : k.modality().name(), k == null ? null : k.patientsMt(),
                c.token.toString());
    }
}
