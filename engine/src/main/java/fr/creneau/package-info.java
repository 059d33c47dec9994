/**
 * Créneau: aggregation, off-heap indexing, ranking and booking of the next 48 hours of
 * unscheduled-care slots for the French SAS (Service d'Accès aux Soins).
 *
 * <p>Packages are by capability: {@code directory} (who the practitioners are), {@code feed}
 * (how slots come in and which ones are kept), {@code calendar} (SAS and PDSA hours, public
 * holidays), {@code index} (the off-heap slot store), {@code rank} (the regulator query) and
 * {@code booking} (holds, confirmations and their journal).
 */
package fr.creneau;
