/**
 * The PDSA layer (permanence des soins ambulatoires, the out-of-hours service): its sectors (GeoJSON
 * polygons, {@code pdsa/sectors.geojson}) and its roster of on-call shifts
 * ({@code pdsa/roster.json}). The ranker reads it in the PDSA channel, when nothing is free in the
 * window: the effector on duty now in the patient's sector comes first.
 *
 * <p>Bad data is a counted {@link fr.creneau.pdsa.PdsaRejectReason rejection} in a
 * {@link fr.creneau.pdsa.PdsaReport}; a file that cannot be read at all is a
 * {@link fr.creneau.pdsa.PdsaFormatException}. Loaded layers are immutable and thread-safe.
 */
package fr.creneau.pdsa;
