package fr.creneau;

import fr.creneau.feed.IngestReport;

/**
 * Receives the report of every ingest (directory, vendor snapshot, manual slots), on the thread
 * that ingested, after the index was updated. Keep it short: ingests wait for it.
 */
@FunctionalInterface
public interface IngestListener {
    void onReport(IngestReport report);
}
