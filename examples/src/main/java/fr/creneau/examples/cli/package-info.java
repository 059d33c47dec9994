/**
 * The example command line, {@code creneau}: search, book, release, ingest and generate on a data directory
 * or on the embedded sample. Its options, JSON fields and exit codes are a contract (see the
 * README).
 */
package fr.creneau.examples.cli;
