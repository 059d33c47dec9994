package fr.creneau.audit;

/**
 * Where audit events go: append-only, never compacted. The file implementation is
 * {@link DailyAuditLog}; a database store (issue 18) implements it by inserting the event in the
 * same transaction as the change it records. {@link #NONE} drops everything (no data directory).
 *
 * <p>Implementations are safe for use by any number of threads.
 */
public interface AuditLog extends AutoCloseable {
    /** Drops every event: a host that asked for no audit. */
    AuditLog NONE = new AuditLog() {
        @Override
        public void append(final AuditEvent event) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Appends one event. A failure is the implementation's to count and report; it must not undo
     * the change the event records (that change is already in the journal).
     */
    void append(AuditEvent event);

    @Override
    void close();
}
