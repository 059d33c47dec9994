package fr.creneau.booking.outbox;

import java.util.List;
import java.util.UUID;

/**
 * The store's side of the outbox: messages written durably with the change they announce (the
 * journal puts a message in the same record as its change; a database store in the same
 * transaction), and forgotten only once acknowledged. Implemented by the booking journal; a
 * database store (issue 18) implements the same three methods over a table. Safe for use by any
 * number of threads.
 */
public interface Outbox {
    /** Messages not yet acknowledged, oldest first (a snapshot). */
    List<OutboxMessage> pending();

    /** Number of messages not yet acknowledged. */
    int pendingCount();

    /**
     * Records durably that the host has the message (a journal record, or a row update); a second
     * acknowledgement of the same id is a no-op.
     *
     * @return {@code false} when the id was not pending (already acknowledged, or unknown)
     */
    boolean acknowledge(UUID id);

    /**
     * Waits until no message is pending (every one acknowledged), for at most {@code timeout}: a
     * host that wants its messages delivered before it closes. Any thread.
     *
     * @return {@code true} when the outbox is empty
     * @throws InterruptedException when interrupted while waiting
     */
    boolean awaitEmpty(java.time.Duration timeout) throws InterruptedException;
}
