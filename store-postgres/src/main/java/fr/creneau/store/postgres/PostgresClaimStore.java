package fr.creneau.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

import fr.creneau.slot.SlotId;

/**
 * Holds and bookings of several hosts in one PostgreSQL database: the durable truth about which
 * slot is claimed, by whom, until when.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Never one slot twice.</b> A partial unique index allows one standing (not
 *       {@code ENDED}) claim per slot identity (source, RPPS, start minute). A hold is one
 *       transaction: end the slot's expired hold if any, then insert with {@code ON CONFLICT DO
 *       NOTHING}; whatever the hosts' indexes show, the database refuses the second.</li>
 *   <li><b>One clock.</b> Every expiry compares against the database's clock
 *       ({@code clock_timestamp()}, read once per transaction after its row locks), so hosts whose
 *       clocks drift agree; a test injects a {@link Clock} instead.</li>
 *   <li><b>Outbox and audit in the same transaction</b> as the change they record: a message to
 *       the LRM exists if and only if its change committed.</li>
 *   <li><b>A commit whose outcome is unknown</b> (the connection lost while the COMMIT was in
 *       flight) is resolved by reading the claim back by its token, which the caller chose: the
 *       row is there in the intended state or it is not. If the database cannot be read either,
 *       the answer is {@link Outcome#IN_DOUBT}, never a guess; {@link #claim(UUID)} resolves it
 *       later.</li>
 *   <li><b>An unreachable database</b> is {@link Outcome#STORE_UNAVAILABLE}: the pool waits at
 *       most {@link Config#connectTimeout()}, then refuses; it reconnects by itself.</li>
 *   <li>Every change is announced with {@code pg_notify} on {@link #CHANNEL}, delivered at commit
 *       to the other hosts' {@link ClaimFeed}.</li>
 * </ul>
 *
 * <p>Thread-safe: each call takes a pooled connection for one transaction.
 */
public final class PostgresClaimStore implements AutoCloseable {
    /** The LISTEN/NOTIFY channel of claim changes. */
    public static final String CHANNEL = "creneau_claims";

    /** What became of a request. */
    public enum Outcome {
        /** The change committed. */
        DONE,
        /** The slot has a standing claim of another token (hold refused). */
        TAKEN,
        /** The hold ran out before the request (confirm refused; the hold is now ended). */
        EXPIRED,
        /** No claim has that token. */
        NOT_FOUND,
        /** The claim is not in a state that allows the request (e.g. confirm of a released hold). */
        WRONG_STATE,
        /** The database could not be reached within the connect timeout; nothing changed. */
        STORE_UNAVAILABLE,
        /** The commit's outcome is unknown and could not be read back yet: ask {@link #claim}. */
        IN_DOUBT
    }

    /** States of a claim row. */
    public enum State {
        HELD,
        /** A confirmation went to the vendor; only its answer ends this state (never expires). */
        CONFIRMING,
        BOOKED,
        /** A cancellation went to the vendor; only its answer ends this state. */
        CANCELLING,
        ENDED
    }

    /** One claim as stored. */
    public record Claim(UUID token, SlotId slot, State state, Instant heldAt, Instant expiresAt, String operatorId,
                        String caseId, String host, String bookingRef, String endedAs) {
    }

    /** A message to the LRM, written with the change it announces; {@code caseId} may be {@code null}. */
    public record Message(String id, String kind, String payload, String caseId, Instant createdAt) {
        public Message {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(payload, "payload");
        }

        public Message(final String id, final String kind, final String payload) {
            this(id, kind, payload, null, null);
        }
    }

    /** A standing claim of this host with the record its hold was written with (for a restart). */
    public record Kept(Claim claim, byte[] holdRecord) {
    }

    /** An audit entry, written with the change it records. Patient identity never goes here. */
    public record AuditEvent(String event, String caseId, String operatorId, String rowKind, Long rpps,
                             String structure, String detail) {
        public AuditEvent {
            Objects.requireNonNull(event, "event");
        }
    }

    /** The answer to a request, with the claim as it stands after it when known. */
    public record Answer(Outcome outcome, Claim claim) {
        public boolean done() {
            return outcome == Outcome.DONE;
        }
    }

    /**
     * @param jdbcUrl        driver URL ({@link StoreUrl#toJdbc} turns the CLI form into one)
     * @param hostId         this host's name, written on its claims
     * @param poolSize       connections in the pool
     * @param connectTimeout how long a request waits for a connection before
     *                       {@link Outcome#STORE_UNAVAILABLE}
     * @param clock          {@code null}: the database's clock (production); else the tests' clock
     */
    public record Config(String jdbcUrl, String hostId, int poolSize, Duration connectTimeout, Clock clock) {
        public Config {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            Objects.requireNonNull(hostId, "hostId");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
            }
        }

        /** Defaults: pool of 8, 2 s connect timeout, the database's clock. */
        public static Config of(final String storeUrl, final String hostId) {
            return new Config(StoreUrl.toJdbc(storeUrl), hostId, 8, Duration.ofSeconds(2), null);
        }

        public Config withClock(final Clock c) {
            return new Config(jdbcUrl, hostId, poolSize, connectTimeout, c);
        }

        public Config withPoolSize(final int n) {
            return new Config(jdbcUrl, hostId, n, connectTimeout, clock);
        }
    }

    private static final String CLAIM_COLUMNS = "token, source, rpps, start_minute, state, held_at, expires_at,"
        + " operator_id, case_id, host, booking_ref, ended_as";

    private final Config config;
    private final HikariDataSource pool;

    private PostgresClaimStore(final Config config, final HikariDataSource pool) {
        this.config = config;
        this.pool = pool;
    }

    /**
     * Opens the pool and creates or upgrades the schema (first use). The pool starts even when the
     * database is down: requests then answer {@link Outcome#STORE_UNAVAILABLE} until it is back.
     *
     * @throws SchemaException when the schema is newer than this code or an applied file changed
     */
    public static PostgresClaimStore open(final Config config) {
        final HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(0);
        hc.setConnectionTimeout(Math.max(250, config.connectTimeout().toMillis()));
        hc.setValidationTimeout(Math.max(250, Math.min(config.connectTimeout().toMillis(), 1000)));
        // Start even if the database is down (-1: no initial connection check).
        hc.setInitializationFailTimeout(-1);
        hc.setAutoCommit(false);
        hc.setPoolName("creneau-store-" + config.hostId());
        hc.addDataSourceProperty("ApplicationName", "creneau-" + config.hostId());
        // A dead server must not hang a request: bound the socket too.
        hc.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, config.connectTimeout().toSeconds())));
        hc.addDataSourceProperty("socketTimeout", "30");
        final HikariDataSource ds = new HikariDataSource(hc);
        final PostgresClaimStore store = new PostgresClaimStore(config, ds);
        try {
            store.migrate();
        } catch (final SchemaException e) {
            ds.close();
            throw e;
        } catch (final SQLException e) {
            // Unreachable now: migrated on the next request that reaches it (migrate() is idempotent).
            store.needsMigration = true;
        }
        return store;
    }

    private volatile boolean needsMigration;

    /**
     * Creates or upgrades the schema now.
     *
     * @return migrations applied
     */
    public int migrate() throws SQLException {
        try (Connection c = pool.getConnection()) {
            final int n = Migrations.migrate(c);
            needsMigration = false;
            return n;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Requests
    // ---------------------------------------------------------------------------------------

    /**
     * Holds a slot for {@code ttl} under the caller's {@code token}: refused {@link Outcome#TAKEN}
     * when another claim stands on it. An expired hold of the slot is ended in the same
     * transaction (and audited as an expiry).
     */
    public Answer hold(final UUID token, final SlotId slot, final String operatorId, final String caseId,
                       final Duration ttl, final List<Message> messages, final AuditEvent audit) {
        return hold(token, slot, operatorId, caseId, ttl, messages, audit, null);
    }

    /**
     * {@link #hold(UUID, SlotId, String, String, Duration, List, AuditEvent)} keeping
     * {@code holdRecord} (the booking service's encoding of the hold, patient-free) with the claim,
     * for {@link #keptClaims()}.
     */
    public Answer hold(final UUID token, final SlotId slot, final String operatorId, final String caseId,
                       final Duration ttl, final List<Message> messages, final AuditEvent audit,
                       final byte[] holdRecord) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(operatorId, "operatorId");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("hold duration must be positive, got " + ttl);
        }
        return transact(token, State.HELD, c -> {
            // Lock the slot's standing claim first (waiting for a transaction that is ending it),
            // then read the clock: the instants recorded then follow the order in which the
            // database serialised the claims, so a history read back never shows two at once.
            try (PreparedStatement ps = c.prepareStatement("SELECT token FROM creneau_claim WHERE source = ?"
                + " AND rpps = ? AND start_minute = ? AND state <> 'ENDED' FOR UPDATE")) {
                ps.setString(1, slot.source());
                ps.setLong(2, slot.rpps());
                ps.setInt(3, slot.startMinute());
                ps.executeQuery().close();
            }
            final Timestamp now = now(c);
            try (PreparedStatement ps = c.prepareStatement("UPDATE creneau_claim SET state = 'ENDED',"
                + " ended_as = 'EXPIRED', ended_at = ?, changed_at = ? WHERE source = ? AND rpps = ?"
                + " AND start_minute = ? AND state = 'HELD' AND expires_at <= ? RETURNING " + CLAIM_COLUMNS)) {
                ps.setTimestamp(1, now);
                ps.setTimestamp(2, now);
                ps.setString(3, slot.source());
                ps.setLong(4, slot.rpps());
                ps.setInt(5, slot.startMinute());
                ps.setTimestamp(6, now);
                for (final Claim expired : claims(ps)) {
                    audit(c, now, expired, new AuditEvent("EXPIRY", expired.caseId(), expired.operatorId(), "SLOT",
                        slot.rpps(), null, "ended by a later hold"));
                    notify(c, expired);
                }
            }
            final Claim mine;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO creneau_claim (token, source, rpps,"
                + " start_minute, state, held_at, expires_at, operator_id, case_id, host, changed_at, hold_record)"
                + " VALUES (?, ?, ?, ?, 'HELD', ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (source, rpps, start_minute) WHERE state <> 'ENDED' DO NOTHING RETURNING "
                + CLAIM_COLUMNS)) {
                ps.setObject(1, token);
                ps.setString(2, slot.source());
                ps.setLong(3, slot.rpps());
                ps.setInt(4, slot.startMinute());
                ps.setTimestamp(5, now);
                ps.setTimestamp(6, Timestamp.from(now.toInstant().plus(ttl)));
                ps.setString(7, operatorId);
                ps.setString(8, caseId);
                ps.setString(9, config.hostId());
                ps.setTimestamp(10, now);
                ps.setBytes(11, holdRecord);
                final List<Claim> inserted = claims(ps);
                mine = inserted.isEmpty() ? null : inserted.get(0);
            }
            if (mine == null) {
                return new Answer(Outcome.TAKEN, standing(c, slot));
            }
            if (config.clock() == null) {
                // The insert may have waited for a transaction ending the slot's previous claim
                // (a release committing): date the hold from now, after that wait, so the
                // recorded instants follow the serial order (found by MultiProcessContentionTest).
                try (PreparedStatement ps = c.prepareStatement("UPDATE creneau_claim SET held_at = t.at,"
                    + " expires_at = t.at + ? * interval '1 microsecond', changed_at = t.at"
                    + " FROM (SELECT clock_timestamp() AS at) t WHERE token = ? RETURNING " + prefixed())) {
                    ps.setLong(1, micros(ttl));
                    ps.setObject(2, token);
                    final Claim dated = claims(ps).get(0);
                    writeMessages(c, Timestamp.from(dated.heldAt()), token, messages, config.hostId());
                    audit(c, Timestamp.from(dated.heldAt()), dated, audit);
                    notify(c, dated);
                    return new Answer(Outcome.DONE, dated);
                }
            }
            writeMessages(c, now, token, messages, config.hostId());
            audit(c, now, mine, audit);
            notify(c, mine);
            return new Answer(Outcome.DONE, mine);
        });
    }

    /**
     * First half of a confirmation: the hold (still running) moves to {@code CONFIRMING} before the
     * vendor is asked, so that it cannot expire while the vendor may be booking it.
     */
    public Answer beginConfirm(final UUID token, final AuditEvent audit) {
        return move(token, State.HELD, State.CONFIRMING, true, null, null, List.of(), audit);
    }

    /** The vendor booked: {@code CONFIRMING} (or a running {@code HELD}, for phone bookings) to {@code BOOKED}. */
    public Answer completeConfirm(final UUID token, final String bookingRef, final List<Message> messages,
                                  final AuditEvent audit) {
        return transact(token, State.BOOKED, c -> {
            final Answer a = moveIn(c, token, State.CONFIRMING, State.BOOKED, false, bookingRef, null, messages,
                audit);
            return a.outcome() == Outcome.WRONG_STATE
                ? moveIn(c, token, State.HELD, State.BOOKED, true, bookingRef, null, messages, audit) : a;
        });
    }

    /** The vendor refused or failed: {@code CONFIRMING} ends. */
    public Answer abortConfirm(final UUID token, final String reason, final AuditEvent audit) {
        return move(token, State.CONFIRMING, State.ENDED, false, null, reason, List.of(), audit);
    }

    /** Releases a running hold. */
    public Answer release(final UUID token, final List<Message> messages, final AuditEvent audit) {
        return move(token, State.HELD, State.ENDED, false, null, "RELEASED", messages, audit);
    }

    /** First half of a cancellation: {@code BOOKED} to {@code CANCELLING}. */
    public Answer beginCancel(final UUID token, final AuditEvent audit) {
        return move(token, State.BOOKED, State.CANCELLING, false, null, null, List.of(), audit);
    }

    /** The vendor cancelled: {@code CANCELLING} ends, with its message to the LRM. */
    public Answer completeCancel(final UUID token, final List<Message> messages, final AuditEvent audit) {
        return move(token, State.CANCELLING, State.ENDED, false, null, "CANCELLED", messages, audit);
    }

    /**
     * Ends a standing claim whatever its state among {@code from} (a release, an expiry decided by
     * the caller's reading of this store's clock, a phone booking cancelled, a vendor's refusal),
     * with its messages. Ending a claim already ended with the same {@code endedAs} is
     * {@link Outcome#DONE} again (a retry after a lost answer).
     */
    public Answer end(final UUID token, final java.util.Set<State> from, final String endedAs,
                      final List<Message> messages, final AuditEvent audit) {
        Objects.requireNonNull(endedAs, "endedAs");
        return transact(token, State.ENDED, c -> {
            final Claim row = locked(c, token);
            final Timestamp now = now(c);
            if (row == null) {
                return new Answer(Outcome.NOT_FOUND, null);
            }
            if (row.state() == State.ENDED) {
                return new Answer(endedAs.equals(row.endedAs()) ? Outcome.DONE : Outcome.WRONG_STATE, row);
            }
            if (!from.contains(row.state())) {
                return new Answer(Outcome.WRONG_STATE, row);
            }
            final Claim ended = update(c, token, State.ENDED, now, null, endedAs);
            writeMessages(c, now, token, messages, config.hostId());
            audit(c, now, ended, audit);
            notify(c, ended);
            return new Answer(Outcome.DONE, ended);
        });
    }

    /** The vendor refused to cancel: {@code CANCELLING} back to {@code BOOKED}. */
    public Answer abortCancel(final UUID token, final AuditEvent audit) {
        return move(token, State.CANCELLING, State.BOOKED, false, null, null, List.of(), audit);
    }

    /**
     * Records an outcome (the booking service's encoding of it, patient-free) with its messages
     * and audit entry, in one transaction.
     *
     * <p>Each outcome carries an id of its own (a unique column), so that a commit whose answer was
     * lost is read back by it, as a claim is by its token: {@link Outcome#DONE} when it committed,
     * {@link Outcome#STORE_UNAVAILABLE} when it did not (a retry then records it once), and
     * {@link Outcome#IN_DOUBT} only when the read-back itself cannot tell. A retry after DONE or
     * STORE_UNAVAILABLE never records an outcome twice.
     */
    public Answer outcome(final UUID token, final String caseId, final byte[] record, final List<Message> messages,
                          final AuditEvent audit) {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(record, "record");
        final Answer[] planned = new Answer[1];
        final UUID id = UUID.randomUUID();
        try (Connection c = connection()) {
            try {
                final Timestamp now = now(c);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO creneau_outcome (at, host, case_id,"
                    + " record, outcome_id) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setTimestamp(1, now);
                    ps.setString(2, config.hostId());
                    ps.setString(3, caseId);
                    ps.setBytes(4, record);
                    ps.setObject(5, id);
                    ps.executeUpdate();
                }
                writeMessages(c, now, token, messages, config.hostId());
                audit(c, now, null, audit);
                // Announced at commit, as claims are: other hosts' exclusions for the case follow.
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                    ps.setString(1, CHANNEL);
                    ps.setString(2, ClaimFeed.OUTCOME_PREFIX + config.hostId().replace('|', '_') + '|'
                        + java.util.Base64.getEncoder().encodeToString(record));
                    ps.execute();
                }
                planned[0] = new Answer(Outcome.DONE, null);
            } catch (final SQLException e) {
                rollbackQuietly(c, e);
                throw e;
            }
            try {
                c.commit();
                return planned[0];
            } catch (final SQLException e) {
                if (unavailable(e)) {
                    return readBackOutcome(id, caseId);
                }
                throw e;
            }
        } catch (final SQLException e) {
            if (unavailable(e)) {
                return new Answer(Outcome.STORE_UNAVAILABLE, null);
            }
            throw new StoreException("recording an outcome failed: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the outcome with this id committed, on a new connection. Not a plain read: the lost
     * commit's transaction may still be open on the server (its backend has not yet seen the cut),
     * and a read would not see its row. An insert of the same id waits for that transaction to end
     * (a unique index's in-progress entry), then conflicts if it committed, or goes in if it
     * aborted; the probe is rolled back either way. A wait longer than the lock timeout (a
     * backend cut off without a reset, until TCP gives up) leaves the outcome in doubt, said so.
     */
    private Answer readBackOutcome(final UUID id, final String caseId) {
        try (Connection c = connection()) {
            try {
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = '" + Math.max(1, OUTCOME_READ_BACK_WAIT.toMillis()) + "ms'");
                }
                final int inserted;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO creneau_outcome (at, host, case_id,"
                    + " record, outcome_id) VALUES (now(), ?, ?, ''::bytea, ?) ON CONFLICT (outcome_id) DO NOTHING")) {
                    ps.setString(1, config.hostId());
                    ps.setString(2, caseId);
                    ps.setObject(3, id);
                    inserted = ps.executeUpdate();
                }
                return new Answer(inserted == 0 ? Outcome.DONE : Outcome.STORE_UNAVAILABLE, null);
            } finally {
                try {
                    c.rollback(); // the probe never stays
                } catch (final SQLException ignored) {
                    // the connection is gone: so is the probe
                }
            }
        } catch (final SQLException e) {
            // Unreachable again, or the lost commit's transaction still open past the lock timeout.
            return new Answer(Outcome.IN_DOUBT, null);
        }
    }

    /** How long an outcome's read-back waits for the lost commit's transaction to end. */
    static final Duration OUTCOME_READ_BACK_WAIT = Duration.ofSeconds(5);

    /**
     * This host's standing claims with their hold records, oldest first: what a host replays at
     * start.
     *
     * @throws StoreUnavailableException when the database cannot be reached
     */
    public List<Kept> keptClaims() {
        try (Connection c = connection()) {
            final List<Kept> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CLAIM_COLUMNS + ", hold_record"
                + " FROM creneau_claim WHERE host = ? AND state <> 'ENDED' ORDER BY held_at")) {
                ps.setString(1, config.hostId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(new Kept(claim(rs), rs.getBytes(13)));
                    }
                }
            }
            c.rollback();
            return l;
        } catch (final SQLException e) {
            throw readFailed(e, "reading this host's claims");
        }
    }

    /** An outcome record and the host that wrote it. */
    public record HostOutcome(String host, byte[] record) {
    }

    /**
     * Outcome records written since {@code since} (the database's clock) by any host, with their
     * hosts, oldest first: what a claim feed reads again after it was away.
     *
     * @throws StoreUnavailableException when the database cannot be reached
     */
    public List<HostOutcome> outcomesWithHostsSince(final Instant since) {
        try (Connection c = connection()) {
            final List<HostOutcome> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT host, record FROM creneau_outcome WHERE at >= ?"
                + " ORDER BY seq")) {
                ps.setTimestamp(1, Timestamp.from(since));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(new HostOutcome(rs.getString(1), rs.getBytes(2)));
                    }
                }
            }
            c.rollback();
            return l;
        } catch (final SQLException e) {
            throw readFailed(e, "reading outcomes");
        }
    }

    /**
     * Outcome records written since {@code since} by any host, oldest first.
     *
     * @throws StoreUnavailableException when the database cannot be reached
     */
    public List<byte[]> outcomesSince(final Instant since) {
        final List<HostOutcome> all = outcomesWithHostsSince(since);
        final List<byte[]> l = new ArrayList<>(all.size());
        for (final HostOutcome o : all) {
            l.add(o.record());
        }
        return l;
    }

    /**
     * The messages of this host that are not acknowledged yet, oldest first: those it wrote, and
     * those it adopted from silent hosts ({@link #adoptMessages}). A host delivers its own.
     *
     * @throws StoreUnavailableException when the database cannot be reached
     */
    public List<Message> pendingMessagesOf(final String host) {
        try (Connection c = connection()) {
            final List<Message> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, payload, case_id, created_at"
                + " FROM creneau_outbox WHERE acked_at IS NULL AND host = ? ORDER BY seq")) {
                ps.setString(1, host);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(new Message(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant()));
                    }
                }
            }
            c.rollback();
            return l;
        } catch (final SQLException e) {
            throw readFailed(e, "reading the outbox");
        }
    }

    /**
     * Notes on {@code c} (autocommit) that this host is alive now, by the database's clock, and
     * returns that time: the claim feed's periodic "heard" mark and the host's heartbeat in one
     * statement ({@code creneau_hosts}, read by {@link #adoptMessages}).
     */
    Instant heartbeat(final Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO creneau_hosts (host, seen_at) VALUES (?, now())"
            + " ON CONFLICT (host) DO UPDATE SET seen_at = EXCLUDED.seen_at RETURNING seen_at")) {
            ps.setString(1, config.hostId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    /**
     * Makes this host's the messages that hosts silent for {@code silentFor} left unacknowledged,
     * and returns them, oldest first. A host is silent when its last heartbeat (its claim feed's,
     * every {@link ClaimFeed#HEARD_EVERY}) is older than that, or when it never wrote one; only
     * messages older than {@code silentFor} move, whatever their host, so one just written by a
     * host that is starting is never taken from it. One statement: two hosts adopting at once
     * take each message once (the second's update finds its host changed). A host that was only
     * cut off and comes back may deliver a message the adopter delivers too: the LRM receives it
     * twice under one id, which is the outbox's contract anyway (at least once, same id).
     *
     * @throws StoreUnavailableException when the database cannot be reached
     */
    public List<Message> adoptMessages(final Duration silentFor) {
        if (silentFor.isNegative() || silentFor.isZero()) {
            throw new IllegalArgumentException("silentFor must be positive, got " + silentFor);
        }
        try (Connection c = connection()) {
            final List<Message> l = new ArrayList<>();
            // The update in a CTE, so that the moved rows come back oldest first, as pendingMessagesOf.
            try (PreparedStatement ps = c.prepareStatement("WITH moved AS (UPDATE creneau_outbox o SET host = ?"
                + " WHERE o.acked_at IS NULL AND o.host IS DISTINCT FROM ?"
                + " AND o.created_at < now() - make_interval(secs => ?)"
                + " AND NOT EXISTS (SELECT 1 FROM creneau_hosts h WHERE h.host = o.host"
                + " AND h.seen_at >= now() - make_interval(secs => ?))"
                + " RETURNING o.seq, o.id, o.kind, o.payload, o.case_id, o.created_at)"
                + " SELECT id, kind, payload, case_id, created_at FROM moved ORDER BY seq")) {
                final double secs = silentFor.toMillis() / 1000.0;
                ps.setString(1, config.hostId());
                ps.setString(2, config.hostId());
                ps.setDouble(3, secs);
                ps.setDouble(4, secs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(new Message(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant()));
                    }
                }
            }
            c.commit();
            return l;
        } catch (final SQLException e) {
            throw readFailed(e, "adopting the messages of silent hosts");
        }
    }

    /** The host id written on this store's claims and messages. */
    public String hostId() {
        return config.hostId();
    }

    /**
     * The clock every host's holds are judged by: the database's, read as this machine's clock
     * plus the offset last measured in a transaction (so reading it costs no round trip); the
     * test clock when one was given.
     */
    public Clock clock() {
        return config.clock() != null ? config.clock() : databaseClock;
    }

    private final DatabaseClock databaseClock = new DatabaseClock();

    /** This machine's clock shifted by the database's, measured at every clock read of a transaction. */
    private static final class DatabaseClock extends Clock {
        /** Database minus local, in microseconds; 0 until first measured. */
        private volatile long offsetMicros;

        void measured(final Instant database) {
            final Instant local = Instant.now();
            offsetMicros = java.time.temporal.ChronoUnit.MICROS.between(local, database);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            throw new UnsupportedOperationException("the database clock is UTC");
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offsetMicros, java.time.temporal.ChronoUnit.MICROS);
        }
    }

    private static RuntimeException readFailed(final SQLException e, final String what) {
        if (unavailable(e)) {
            return new StoreUnavailableException("the store is unreachable: " + e.getMessage(), e);
        }
        return new StoreException(what + " failed: " + e.getMessage(), e);
    }

    /**
     * Ends every hold whose expiry has passed (by the store's clock), each audited and announced.
     *
     * @return the claims ended, or {@code null} when the database is unavailable
     */
    public List<Claim> expireHolds() {
        try (Connection c = connection()) {
            try {
                final Timestamp now = now(c);
                final List<Claim> ended;
                try (PreparedStatement ps = c.prepareStatement("UPDATE creneau_claim SET state = 'ENDED',"
                    + " ended_as = 'EXPIRED', ended_at = ?, changed_at = ? WHERE state = 'HELD' AND expires_at <= ?"
                    + " RETURNING " + CLAIM_COLUMNS)) {
                    ps.setTimestamp(1, now);
                    ps.setTimestamp(2, now);
                    ps.setTimestamp(3, now);
                    ended = claims(ps);
                }
                for (final Claim e : ended) {
                    audit(c, now, e, new AuditEvent("EXPIRY", e.caseId(), e.operatorId(), "SLOT", e.slot().rpps(),
                        null, null));
                    notify(c, e);
                }
                c.commit();
                return ended;
            } catch (final SQLException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (final SQLException e) {
            if (unavailable(e)) {
                return null;
            }
            throw new StoreException("expiring holds failed: " + e.getMessage(), e);
        }
    }

    /**
     * The claim with that token as the database has it now: resolves {@link Outcome#IN_DOUBT}.
     *
     * @return empty when no claim has that token
     * @throws StoreUnavailableException when the database cannot be reached
     */
    public Optional<Claim> claim(final UUID token) {
        try (Connection c = connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CLAIM_COLUMNS
                + " FROM creneau_claim WHERE token = ?")) {
                ps.setObject(1, token);
                final List<Claim> l = claims(ps);
                c.rollback();
                return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
            }
        } catch (final SQLException e) {
            if (unavailable(e)) {
                throw new StoreUnavailableException("the store is unreachable: " + e.getMessage(), e);
            }
            throw new StoreException("reading claim " + token + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Every standing claim whose hold has not run out: what a host's index must not propose. The
     * catch-up read of a {@link ClaimFeed} after each (re)connection.
     *
     * @throws StoreUnavailableException when the database cannot be reached
     */
    public List<Claim> standingClaims() {
        try (Connection c = connection()) {
            final Timestamp now = now(c);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CLAIM_COLUMNS + " FROM creneau_claim"
                + " WHERE state <> 'ENDED' AND (state <> 'HELD' OR expires_at > ?)")) {
                ps.setTimestamp(1, now);
                final List<Claim> l = claims(ps);
                c.rollback();
                return l;
            }
        } catch (final SQLException e) {
            if (unavailable(e)) {
                throw new StoreUnavailableException("the store is unreachable: " + e.getMessage(), e);
            }
            throw new StoreException("reading standing claims failed: " + e.getMessage(), e);
        }
    }

    /** Messages not yet acknowledged by the host, oldest first. */
    public List<Message> pendingMessages(final int limit) {
        try (Connection c = connection()) {
            final List<Message> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, payload FROM creneau_outbox"
                + " WHERE acked_at IS NULL ORDER BY seq LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.add(new Message(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            c.rollback();
            return l;
        } catch (final SQLException e) {
            if (unavailable(e)) {
                throw new StoreUnavailableException("the store is unreachable: " + e.getMessage(), e);
            }
            throw new StoreException("reading the outbox failed: " + e.getMessage(), e);
        }
    }

    /**
     * Marks a message delivered. Idempotent.
     *
     * @return {@code true} when it was pending
     */
    public boolean ack(final String messageId) {
        try (Connection c = connection()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE creneau_outbox SET acked_at = ?"
                + " WHERE id = ? AND acked_at IS NULL")) {
                ps.setTimestamp(1, now(c));
                ps.setString(2, messageId);
                final boolean changed = ps.executeUpdate() == 1;
                c.commit();
                return changed;
            }
        } catch (final SQLException e) {
            if (unavailable(e)) {
                throw new StoreUnavailableException("the store is unreachable: " + e.getMessage(), e);
            }
            throw new StoreException("acknowledging " + messageId + " failed: " + e.getMessage(), e);
        }
    }

    /** The JDBC URL, for a {@link ClaimFeed} of this store. */
    public String jdbcUrl() {
        return config.jdbcUrl();
    }

    @Override
    public void close() {
        pool.close();
    }

    // ---------------------------------------------------------------------------------------
    // Transactions
    // ---------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Work {
        Answer run(Connection c) throws SQLException;
    }

    private Answer move(final UUID token, final State from, final State to, final boolean mustBeRunning,
                        final String bookingRef, final String endedAs, final List<Message> messages,
                        final AuditEvent audit) {
        return transact(token, to, c -> moveIn(c, token, from, to, mustBeRunning, bookingRef, endedAs, messages,
            audit));
    }

    private Answer moveIn(final Connection c, final UUID token, final State from, final State to,
                          final boolean mustBeRunning, final String bookingRef, final String endedAs,
                          final List<Message> messages, final AuditEvent audit) throws SQLException {
        final Claim row = locked(c, token);
        final Timestamp now = now(c); // after the lock, as in hold()
        if (row == null) {
            return new Answer(Outcome.NOT_FOUND, null);
        }
        if (row.state() != from) {
            return new Answer(Outcome.WRONG_STATE, row);
        }
        if ((mustBeRunning || from == State.HELD) && !row.expiresAt().isAfter(now.toInstant())) {
            final Claim expired = update(c, token, State.ENDED, now, null, "EXPIRED");
            audit(c, now, expired, new AuditEvent("EXPIRY", expired.caseId(), expired.operatorId(), "SLOT",
                expired.slot().rpps(), null, null));
            notify(c, expired);
            return new Answer(Outcome.EXPIRED, expired);
        }
        final Claim moved = update(c, token, to, now, bookingRef, endedAs);
        writeMessages(c, now, token, messages, config.hostId());
        audit(c, now, moved, audit);
        notify(c, moved);
        return new Answer(Outcome.DONE, moved);
    }

    /** The claim with that token, its row locked until the transaction ends; {@code null} when none. */
    private static Claim locked(final Connection c, final UUID token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CLAIM_COLUMNS
            + " FROM creneau_claim WHERE token = ? FOR UPDATE")) {
            ps.setObject(1, token);
            final List<Claim> l = claims(ps);
            return l.isEmpty() ? null : l.get(0);
        }
    }

    /** The claim columns qualified by the table, for an {@code UPDATE ... FROM} that joins another. */
    private static String prefixed() {
        return ("creneau_claim." + CLAIM_COLUMNS.replace(", ", ", creneau_claim.")).replace("\n", "");
    }

    /** Whole microseconds of a duration (PostgreSQL's resolution). */
    private static long micros(final Duration d) {
        return Math.multiplyExact(d.getSeconds(), 1_000_000L) + d.getNano() / 1_000;
    }

    private static Claim update(final Connection c, final UUID token, final State to, final Timestamp now,
                                final String bookingRef, final String endedAs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE creneau_claim SET state = ?, changed_at = ?,"
            + " booking_ref = coalesce(?, booking_ref), ended_as = ?, ended_at = CASE WHEN ? = 'ENDED' THEN ?"
            + " ELSE ended_at END WHERE token = ? RETURNING " + CLAIM_COLUMNS)) {
            ps.setString(1, to.name());
            ps.setTimestamp(2, now);
            ps.setString(3, bookingRef);
            ps.setString(4, endedAs);
            ps.setString(5, to.name());
            ps.setTimestamp(6, now);
            ps.setObject(7, token);
            return claims(ps).get(0);
        }
    }

    /**
     * Runs one transaction. A connection lost at COMMIT leaves its outcome unknown: the claim is
     * read back by token on a fresh connection, and the request is {@link Outcome#DONE} exactly
     * when the row shows the intended state.
     */
    private Answer transact(final UUID token, final State intended, final Work work) {
        if (needsMigration) {
            try {
                migrate();
            } catch (final SQLException e) {
                return unavailableOr(e, "migrating the schema");
            }
        }
        final Connection c;
        try {
            c = connection();
        } catch (final SQLException e) {
            return unavailableOr(e, "connecting");
        }
        try {
            final Answer answer;
            try {
                answer = work.run(c);
            } catch (final SQLException e) {
                rollbackQuietly(c, e);
                return unavailableOr(e, "the request");
            }
            try {
                c.commit();
                return answer;
            } catch (final SQLException e) {
                if (!unavailable(e)) {
                    throw new StoreException("commit failed: " + e.getMessage(), e);
                }
                return readBack(token, intended, answer);
            }
        } finally {
            closeQuietly(c);
        }
    }

    /** Closing a broken connection may fail; the outcome was decided before. */
    private static void closeQuietly(final Connection c) {
        try {
            c.close();
        } catch (final SQLException ignored) {
            // the pool evicts it
        }
    }

    private Answer readBack(final UUID token, final State intended, final Answer planned) {
        try {
            final Optional<Claim> now = claim(token);
            if (planned.outcome() != Outcome.DONE) {
                // Nothing we asked for depended on the commit (a refusal changes nothing the caller needs).
                return planned;
            }
            if (now.isPresent() && now.get().state() == intended
                && (intended != State.ENDED || Objects.equals(now.get().endedAs(), planned.claim().endedAs()))) {
                return new Answer(Outcome.DONE, now.get());
            }
            // The row does not show the change: the commit did not happen; nothing changed.
            return new Answer(Outcome.STORE_UNAVAILABLE, now.orElse(null));
        } catch (final StoreUnavailableException e) {
            return new Answer(Outcome.IN_DOUBT, null);
        }
    }

    private Answer unavailableOr(final SQLException e, final String what) {
        if (unavailable(e)) {
            return new Answer(Outcome.STORE_UNAVAILABLE, null);
        }
        throw new StoreException(what + " failed: " + e.getMessage(), e);
    }

    private Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * Whether a failure means the database is out of reach (refuse, retry later) rather than a
     * fault: SQLState class 08 (connection), 57P01-57P03 (shut down, crashed, starting), and the
     * pool's own timeout.
     */
    static boolean unavailable(final SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof HikariPool.PoolInitializationException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                final String state = s.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                    || state.equals("57P03")) {
                    return true;
                }
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    private Timestamp now(final Connection c) throws SQLException {
        // Not static: it measures the database clock's offset (clock()).
        if (config.clock() != null) {
            return Timestamp.from(config.clock().instant());
        }
        // clock_timestamp(), not now(): now() is the transaction's start, which may precede a
        // lock wait and so the commit of the change this transaction follows.
        try (PreparedStatement ps = c.prepareStatement("SELECT clock_timestamp()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            final Timestamp t = rs.getTimestamp(1);
            databaseClock.measured(t.toInstant());
            return t;
        }
    }

    private Claim standing(final Connection c, final SlotId slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CLAIM_COLUMNS + " FROM creneau_claim"
            + " WHERE source = ? AND rpps = ? AND start_minute = ? AND state <> 'ENDED'")) {
            ps.setString(1, slot.source());
            ps.setLong(2, slot.rpps());
            ps.setInt(3, slot.startMinute());
            final List<Claim> l = claims(ps);
            return l.isEmpty() ? null : l.get(0);
        }
    }

    private static void writeMessages(final Connection c, final Timestamp now, final UUID token,
                                      final List<Message> messages, final String host) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO creneau_outbox (id, token, kind, payload,"
            + " created_at, host, case_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (final Message m : messages) {
                ps.setString(1, m.id());
                ps.setObject(2, token);
                ps.setString(3, m.kind());
                ps.setString(4, m.payload());
                ps.setTimestamp(5, m.createdAt() == null ? now : Timestamp.from(m.createdAt()));
                ps.setString(6, host);
                ps.setString(7, m.caseId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void audit(final Connection c, final Timestamp now, final Claim claim, final AuditEvent e)
        throws SQLException {
        if (e == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO creneau_audit (at, event, token, case_id,"
            + " operator_id, row_kind, rpps, structure, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setTimestamp(1, now);
            ps.setString(2, e.event());
            ps.setObject(3, claim == null ? null : claim.token());
            ps.setString(4, e.caseId());
            ps.setString(5, e.operatorId());
            ps.setString(6, e.rowKind());
            if (e.rpps() == null) {
                ps.setNull(7, Types.BIGINT);
            } else {
                ps.setLong(7, e.rpps());
            }
            ps.setString(8, e.structure());
            ps.setString(9, e.detail());
            ps.executeUpdate();
        }
    }

    /** Announces a change; PostgreSQL delivers it to listeners when (and only if) the transaction commits. */
    private static void notify(final Connection c, final Claim claim) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, ClaimFeed.encode(claim));
            ps.execute();
        }
    }

    static List<Claim> claims(final PreparedStatement ps) throws SQLException {
        final List<Claim> l = new ArrayList<>(1);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                l.add(claim(rs));
            }
        }
        return l;
    }

    private static Claim claim(final ResultSet rs) throws SQLException {
        return new Claim(rs.getObject(1, UUID.class), new SlotId(rs.getString(2), rs.getLong(3), rs.getInt(4)),
            State.valueOf(rs.getString(5)), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(),
            rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12));
    }

    private static void rollbackQuietly(final Connection c, final SQLException cause) {
        try {
            c.rollback();
        } catch (final SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
