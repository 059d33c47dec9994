/**
 * The audit log: every search made for a case, hold, confirmation, release, expiry, outcome and
 * outbox message, append-only and never compacted ({@link fr.creneau.audit.AuditLog}, one file a
 * day in {@link fr.creneau.audit.DailyAuditLog}); what the indicators ({@code fr.creneau.outcome})
 * are computed from. Case ids only, never the patient.
 */
package fr.creneau.audit;
