/**
 * The practitioner directory: RPPS identity, profession, position, booking vendor, SAS
 * participation and CPTS membership, loaded from {@code practitioners.json} with every bad entry
 * rejected by reason and none of them stopping the rest; each practitioner's sites (places of
 * work, {@link fr.creneau.directory.Site}, placed at their commune by the bundled
 * {@link fr.creneau.directory.Communes} table when they have no coordinates), and the structures
 * of {@code structures.json} (CDS, MSP, SOS Médecins, CPTS, MMG, with their
 * {@link fr.creneau.directory.WeeklyHours opening hours}). {@link fr.creneau.directory.NationalId}
 * parses the national identifiers (RPPS, ADELI, FINESS, SIRET, with or without their prefixes) and
 * keys ADELI-only practitioners outside the RPPS range.
 */
package fr.creneau.directory;
