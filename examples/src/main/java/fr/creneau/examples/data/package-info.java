/**
 * The realistic France-wide data generator and the embedded sample data set: practitioners placed
 * from real public data (INSEE communes, ameli 2024 GP counts), their vendor feeds and manual SAS
 * slots for the next 48 hours, written as the JSON files the engine ingests
 * ({@code practitioners.json}, {@code feeds/<vendor>.json}, {@code manual/<name>.json}).
 *
 * <p>Entry points: {@link fr.creneau.examples.data.DataGenerator} with a
 * {@link fr.creneau.examples.data.GeneratorConfig}, and
 * {@link fr.creneau.examples.data.SampleDataSet} (Paris and Lozère, relative to a given instant).
 * Every proportion used is in {@link fr.creneau.examples.data.Proportions}, with its justification.
 */
package fr.creneau.examples.data;
