/**
 * How slots come in: the native JSON feed and manual-slot formats, the FHIR R4 searchset Bundle
 * that vendors speak to the national platform, the directory file or the national health directory
 * ("Annuaire Santé", {@link fr.creneau.feed.AnnuaireSanteLoader}) with its SAS overlay, and the rules that decide which
 * slots are kept. Every bad record becomes a counted, typed {@link fr.creneau.feed.Rejection} in an
 * {@link fr.creneau.feed.IngestReport}; a file that cannot be parsed at all is a
 * {@link fr.creneau.feed.FeedFormatException} and changes nothing.
 */
package fr.creneau.feed;
