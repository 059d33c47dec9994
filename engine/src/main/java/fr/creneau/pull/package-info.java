/**
 * The live pull: the vendors' FHIR servers asked ahead of the query, as the ANS guide's slot
 * search (flux INT_R01, and its CPTS and SOS Médecins variants: {@link fr.creneau.pull.SearchKind})
 * specifies it ({@link fr.creneau.pull.Puller}), configured by an endpoints file
 * ({@link fr.creneau.pull.EndpointsFile}); each answer applied as a per-batch snapshot; the one
 * slot an operator holds asked again when its answer is older than a bound (the check at hold,
 * {@link fr.creneau.booking.HoldCheck}); per-vendor latency percentiles (HdrHistogram).
 */
package fr.creneau.pull;
