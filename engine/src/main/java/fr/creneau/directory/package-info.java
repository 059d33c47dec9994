/**
 * The practitioner directory: RPPS identity, profession, position, booking vendor, SAS
 * participation and CPTS membership, loaded from {@code practitioners.json} with every bad entry
 * rejected by reason and none of them stopping the rest. {@link fr.creneau.directory.NationalId}
 * parses the national identifiers (RPPS, ADELI, FINESS, SIRET, with or without their prefixes) and
 * keys ADELI-only practitioners outside the RPPS range.
 */
package fr.creneau.directory;
