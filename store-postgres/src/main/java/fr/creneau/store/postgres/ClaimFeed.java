package fr.creneau.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import fr.creneau.slot.SlotId;

/**
 * Tells this host about every claim change committed by any host, so that its index stops
 * proposing what another holds: {@code LISTEN} on {@link PostgresClaimStore#CHANNEL} over a
 * connection of its own, and after each (re)connection a catch-up read of the standing claims
 * ({@link Listener#resynced}) and of the recent outcomes ({@link Listener#outcome}), since
 * notifications sent while a listener was away are lost.
 *
 * <p><b>Bound.</b> A change reaches a connected listener when its transaction commits (the
 * notification is part of it) plus one poll ({@link #POLL}); after a disconnection, within the
 * reconnect back-off (at most {@link #MAX_BACKOFF}) plus the catch-up read.
 *
 * <p>One daemon thread; the listener's methods are called on it, one at a time.
 */
public final class ClaimFeed implements AutoCloseable {
    static final Duration POLL = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    /**
     * How far before the database time the feed last heard it a catch-up read of outcomes starts:
     * an outcome's time is its transaction's start, so one that began earlier and committed
     * after is still read, as long as its transaction took less than this.
     */
    static final Duration OUTCOME_OVERLAP = Duration.ofMinutes(1);
    /** The feed's connection names itself, so that an operator (or a test) finds it in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "creneau-claim-feed";
    private static final Properties FEED_PROPERTIES = new Properties();

    static {
        FEED_PROPERTIES.setProperty("ApplicationName", APPLICATION_NAME);
    }

    /**
     * How often a connected feed notes the database's time, which is also its host's heartbeat
     * (one upsert into {@code creneau_hosts}: {@link PostgresClaimStore#adoptMessages}).
     */
    static final Duration HEARD_EVERY = Duration.ofSeconds(10);

    /** Receives claim changes. Called on the feed's thread; must not block for long. */
    public interface Listener {
        /** A claim changed (as announced: token, slot, state, expiry, host; other fields null). */
        void changed(PostgresClaimStore.Claim claim);

        /** (Re)connected: the standing claims now; anything not in it is not claimed. */
        void resynced(List<PostgresClaimStore.Claim> standing);

        /**
         * An outcome recorded by host {@code host} (its record as the booking service encoded it).
         * After each (re)connection the feed reads again the outcomes recorded since
         * {@link #OUTCOME_OVERLAP} before it last heard the database (before its first connection:
         * since that long before it), so none announced while it was away is missed, and some
         * come twice: a listener must apply them idempotently (a case's exclusions are sets).
         * Host {@code host}'s own come too. None by default.
         */
        default void outcome(final String host, final byte[] record) {
        }
    }

    private final PostgresClaimStore store;
    private final Listener listener;
    private final Thread thread;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private volatile boolean closed;
    private volatile Connection current;
    private volatile CountDownLatch connected = new CountDownLatch(1);
    private static final long NOT_CONNECTED = Long.MIN_VALUE;
    /** {@link System#nanoTime} when the current connection caught up, or {@link #NOT_CONNECTED}. */
    private volatile long connectedSince = NOT_CONNECTED;
    /** The database's time when this feed last knew it had every announcement; feed thread only. */
    private Instant heard;

    private ClaimFeed(final PostgresClaimStore store, final Listener listener) {
        this.store = store;
        this.listener = listener;
        this.thread = new Thread(this::run, "creneau-claim-feed");
        this.thread.setDaemon(true);
    }

    /** Starts listening (and keeps reconnecting until {@link #close()}). */
    public static ClaimFeed start(final PostgresClaimStore store, final Listener listener) {
        final ClaimFeed f = new ClaimFeed(Objects.requireNonNull(store, "store"),
            Objects.requireNonNull(listener, "listener"));
        f.thread.start();
        return f;
    }

    /** Waits until the feed is connected and has delivered its catch-up read. */
    public boolean awaitConnected(final Duration timeout) throws InterruptedException {
        return connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Whether the feed has been connected (and caught up) without a break for at least
     * {@code d}, by this machine's monotonic clock. Any thread.
     */
    public boolean connectedFor(final Duration d) {
        final long since = connectedSince;
        return since != NOT_CONNECTED && System.nanoTime() - since >= d.toNanos();
    }

    /** How many times the feed has connected (1 after a start without failure). */
    public long connections() {
        return connections.get();
    }

    /**
     * Waits until the feed has connected (and delivered its catch-up read) {@code n} times in all,
     * for at most {@code timeout}: after a cut, that it is back.
     *
     * @return {@code true} when it has
     */
    public synchronized boolean awaitConnections(final long n, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); connections.get() < n && left > 0; left = deadline - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return connections.get() >= n;
    }

    private void run() {
        long backoff = 50;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(store.jdbcUrl(), FEED_PROPERTIES)) {
                current = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + PostgresClaimStore.CHANNEL);
                }
                // After LISTEN, so that no change falls between the read and the first poll.
                final Instant connectedAt = store.heartbeat(c);
                listener.resynced(store.standingClaims());
                for (final PostgresClaimStore.HostOutcome o : store.outcomesWithHostsSince(
                    (heard == null ? connectedAt : heard).minus(OUTCOME_OVERLAP))) {
                    listener.outcome(o.host().replace('|', '_'), o.record());
                }
                heard = connectedAt;
                long noted = System.nanoTime();
                synchronized (this) {
                    connections.incrementAndGet();
                    notifyAll(); // awaitConnections
                }
                connected.countDown();
                connectedSince = System.nanoTime();
                backoff = 50;
                final PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    final PGNotification[] ns = pg.getNotifications((int) POLL.toMillis());
                    if (ns != null) {
                        for (final PGNotification n : ns) {
                            deliver(n.getParameter());
                        }
                    }
                    if (System.nanoTime() - noted >= HEARD_EVERY.toNanos()) {
                        // Every announcement committed before this time has reached us or will
                        // with this query's answer; the overlap covers the rest.
                        heard = store.heartbeat(c);
                        noted = System.nanoTime();
                    }
                }
            } catch (final SQLException | StoreUnavailableException e) {
                if (closed) {
                    return;
                }
                if (connected.getCount() == 0) {
                    connected = new CountDownLatch(1);
                }
                try {
                    Thread.sleep(backoff);
                } catch (final InterruptedException ie) {
                    return;
                }
                backoff = Math.min(MAX_BACKOFF.toMillis(), backoff * 2);
            } finally {
                current = null;
                connectedSince = NOT_CONNECTED;
            }
        }
    }

    /**
     * One announcement to the listener. One that cannot be read (another version's, or a
     * hand-made {@code NOTIFY}) is counted and skipped: it must not stop the feed of the others.
     */
    private void deliver(final String p) {
        try {
            if (p.startsWith(OUTCOME_PREFIX)) {
                final int bar = p.indexOf('|', OUTCOME_PREFIX.length());
                listener.outcome(p.substring(OUTCOME_PREFIX.length(), bar),
                    java.util.Base64.getDecoder().decode(p.substring(bar + 1)));
            } else {
                listener.changed(decode(p));
            }
        } catch (final IllegalArgumentException | IndexOutOfBoundsException e) {
            unreadable.incrementAndGet();
            System.getLogger(ClaimFeed.class.getName()).log(System.Logger.Level.WARNING,
                "unreadable announcement on " + PostgresClaimStore.CHANNEL + " skipped: " + e.getMessage());
        }
    }

    /** Announcements that could not be read and were skipped. */
    public long unreadable() {
        return unreadable.get();
    }

    @Override
    public void close() {
        closed = true;
        final Connection c = current;
        if (c != null) {
            try {
                c.close();
            } catch (final SQLException ignored) {
                // closing anyway
            }
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The prefix of an outcome's announcement: {@code o1|host|base64 of the record}. */
    static final String OUTCOME_PREFIX = "o1|";

    /** {@code v1|token|source|rpps|startMinute|state|expiresAtMillis|host}; sources and hosts have no '|'. */
    static String encode(final PostgresClaimStore.Claim c) {
        return "v1|" + c.token() + '|' + c.slot().source() + '|' + c.slot().rpps() + '|' + c.slot().startMinute()
            + '|' + c.state() + '|' + c.expiresAt().toEpochMilli() + '|' + c.host().replace('|', '_');
    }

    static PostgresClaimStore.Claim decode(final String s) {
        final String[] f = s.split("\\|", -1);
        if (f.length != 8 || !"v1".equals(f[0])) {
            throw new IllegalArgumentException("not a claim notification: " + s);
        }
        return new PostgresClaimStore.Claim(UUID.fromString(f[1]),
            new SlotId(f[2], Long.parseLong(f[3]), Integer.parseInt(f[4])), PostgresClaimStore.State.valueOf(f[5]),
            null, Instant.ofEpochMilli(Long.parseLong(f[6])), null, null, f[7], null, null);
    }
}
