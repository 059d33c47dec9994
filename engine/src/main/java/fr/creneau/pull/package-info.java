/**
 * The live pull: the vendors' FHIR servers asked ahead of the query, as the ANS guide's slot
 * search (flux INT_R01) specifies it ({@link fr.creneau.pull.Puller}), configured by an endpoints
 * file ({@link fr.creneau.pull.EndpointsFile}); each answer applied as a per-batch snapshot.
 */
package fr.creneau.pull;
