package fr.creneau.booking;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import fr.creneau.audit.AuditEvent;
import fr.creneau.audit.AuditLog;
import fr.creneau.booking.outbox.HubEnvelope;
import fr.creneau.booking.outbox.Outbox;
import fr.creneau.booking.outbox.OutboxMessage;

/**
 * The outbox over the booking journal. A message enters it in the journal record of the change it
 * announces (CONFIRM, RELEASE, OUTCOME: {@link BookingRecord}), so it is {@link #added} only after
 * that record is durable; it leaves it by an ACK record ({@link #acknowledge}). Replay rebuilds the
 * pending set from the same records; a compaction carries the pending ones over (MESSAGE records).
 *
 * <p>Thread-safety: the pending map is guarded by this object's monitor. {@link #acknowledge}
 * appends under it (so two acknowledgements of one id write one ACK); no caller holds this monitor
 * and then takes a claim's, so the order claim → outbox is the only one.
 */
final class JournalOutbox implements Outbox {
    /** Set once by {@link #attach}, after replay. */
    private volatile BookingStore store;
    private final AuditLog audit;
    private final HubEnvelope hub;
    private final Clock clock;
    private final boolean readOnly;
    /**
     * Off for a host that asked for no outbox (no {@code MessageSink}, no {@code outbox(true)}):
     * records then carry no message, as in version 1, and nothing accumulates waiting for an
     * acknowledgement that no one would give.
     */
    private final boolean enabled;
    // ---- guarded by this ----
    private final Map<UUID, OutboxMessage> pending = new LinkedHashMap<>();
    /**
     * Read-only mode only (a reader such as {@code creneau messages}): every message the journal
     * still holds, acknowledged or not. A writer keeps none of the acknowledged ones in memory.
     */
    private final Map<UUID, OutboxMessage> journaled = new LinkedHashMap<>();
    private volatile Runnable onAdded = () -> { };
    /** Set once a delivery loop listens ({@link #onAdded}). */
    private volatile boolean delivering;

    JournalOutbox(final AuditLog audit, final HubEnvelope hub, final Clock clock, final boolean readOnly,
                  final boolean enabled) {
        this.enabled = enabled;
        this.readOnly = readOnly;
        this.audit = audit;
        this.hub = hub;
        this.clock = clock;
    }

    /** The RS-SAS-RDV message {@code m}, wrapped, under a new id, dated {@code at}; {@code null} when disabled. */
    OutboxMessage wrap(final AppointmentMessage m, final String caseId, final Instant at) {
        if (!enabled) {
            return null;
        }
        final UUID id = UUID.randomUUID();
        final OutboxMessage.Kind kind = OutboxMessage.Kind.valueOf(m.kind().name());
        final String json = hub.wrap(id, at, m.kind() != AppointmentMessage.Kind.CREATED, m.toJson()).toString();
        return new OutboxMessage(id, kind, at, caseId, json);
    }

    /**
     * Whether this outbox is drained here: enabled, not read-only, and a delivery loop listens
     * ({@link #onAdded} set). An outbox kept for another process to read ({@code creneau
     * messages}, a one-shot command) does not count: it would hold adopted messages until someone
     * reads them.
     */
    boolean delivers() {
        return enabled && !readOnly && delivering;
    }

    /** The store acknowledgements go to, once it is open (replay feeds {@link #replayed} before). */
    void attach(final BookingStore s) {
        this.store = s;
    }

    HubEnvelope hub() {
        return hub;
    }

    /** Who hears that a message was added (the delivery loop's wake-up): from now on it {@link #delivers}. */
    void onAdded(final Runnable r) {
        this.onAdded = r;
        this.delivering = true;
    }

    /** A message whose record is durable: pending from now on; audited. */
    void added(final OutboxMessage m, final String operator) {
        if (m == null) {
            return;
        }
        synchronized (this) {
            pending.put(m.id(), m);
        }
        audit.append(AuditEvent.of(m.createdAt(), AuditEvent.Type.MESSAGE_QUEUED, m.caseId(), operator)
            .message(m.id().toString()).result(m.kind().name()));
        onAdded.run();
    }

    /** Replay of a record (start-up thread, before the service is shared). */
    void replayed(final BookingRecord r) {
        final OutboxMessage m = BookingRecord.messageOf(r);
        synchronized (this) {
            if (m != null) {
                pending.put(m.id(), m);
                if (readOnly) {
                    journaled.put(m.id(), m);
                }
            } else if (r instanceof BookingRecord.Ack) {
                pending.remove(((BookingRecord.Ack) r).id());
            }
        }
    }

    /** Read-only mode: every message the journal holds; otherwise the pending ones. Oldest first. */
    synchronized List<OutboxMessage> journaled() {
        return new ArrayList<>(readOnly ? journaled.values() : pending.values());
    }

    @Override
    public synchronized List<OutboxMessage> pending() {
        return new ArrayList<>(pending.values());
    }

    @Override
    public synchronized int pendingCount() {
        return pending.size();
    }

    @Override
    public synchronized boolean awaitEmpty(final java.time.Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); !pending.isEmpty() && left > 0; left = deadline - System.nanoTime()) {
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return pending.isEmpty();
    }

    @Override
    public boolean acknowledge(final UUID id) {
        final OutboxMessage m;
        final Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        synchronized (this) {
            m = pending.get(id);
            if (m == null) {
                return false;
            }
            if (readOnly) {
                throw new JournalException(null, "the booking journal is open read-only: acknowledgements need its owner");
            }
            final BookingStore s = store;
            if (s != null) { // without a journal (memory only) the store keeps nothing
                final BookingStore.Answer a = s.write(new BookingRecord.Ack(BookingRecord.NO_TOKEN, at, id));
                if (!a.done()) {
                    throw new StoreRefusedException(a); // still pending: delivered again later, same id
                }
            }
            pending.remove(id);
            if (pending.isEmpty()) {
                notifyAll(); // awaitEmpty
            }
        }
        audit.append(AuditEvent.of(at, AuditEvent.Type.MESSAGE_ACKED, m.caseId(), null).message(id.toString())
            .result(m.kind().name()));
        return true;
    }
}
