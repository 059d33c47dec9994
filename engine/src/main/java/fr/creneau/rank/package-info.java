/**
 * The regulator query: the SAS ranking protocol (médecin traitant first, then the nearest free
 * slots, then surnuméraire doctors or their CPTS) on an allocation-free path. A
 * {@link fr.creneau.rank.Searcher} per thread answers {@link fr.creneau.rank.RegulatorQuery}s into a
 * reused {@link fr.creneau.rank.SearchResults}.
 */
package fr.creneau.rank;
