/**
 * What came of the rows an operator was shown and of the bookings made
 * ({@link fr.creneau.outcome.Outcome}, {@link fr.creneau.outcome.RowRef}), and the indicators the
 * territory is paid and judged on, computed from the audit log
 * ({@link fr.creneau.outcome.Indicators}).
 */
package fr.creneau.outcome;
