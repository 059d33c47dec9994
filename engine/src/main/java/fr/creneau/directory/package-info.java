/**
 * The practitioner directory: RPPS identity, profession, position, booking vendor, SAS
 * participation and CPTS membership, loaded from {@code practitioners.json} with every bad entry
 * rejected by reason and none of them stopping the rest.
 */
package fr.creneau.directory;
