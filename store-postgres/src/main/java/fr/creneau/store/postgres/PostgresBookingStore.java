package fr.creneau.store.postgres;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import fr.creneau.booking.BookingRecord;
import fr.creneau.booking.BookingStore;
import fr.creneau.booking.HoldToken;
import fr.creneau.booking.outbox.OutboxMessage;
import fr.creneau.store.postgres.PostgresClaimStore.AuditEvent;
import fr.creneau.store.postgres.PostgresClaimStore.Claim;
import fr.creneau.store.postgres.PostgresClaimStore.Message;
import fr.creneau.store.postgres.PostgresClaimStore.State;

/**
 * The {@link BookingStore} of several hosts: each change of {@code BookingService} becomes one
 * transaction of a {@link PostgresClaimStore} (the claim row, its messages to the LRM and its
 * audit entry together), other hosts' claims reach this host's index through a
 * {@link ClaimFeed}, and holds are dated and judged by the database's clock.
 *
 * <ul>
 *   <li>A hold on a slot another host holds is refused by the database's unique index
 *       ({@link BookingStore.Outcome#TAKEN}) whatever this host's index shows.</li>
 *   <li>The database out of reach, or a commit whose outcome could not be read back, is
 *       {@link BookingStore.Outcome#UNAVAILABLE}: the service refuses with
 *       {@code STORE_UNAVAILABLE} and nothing it acknowledged depends on the write; searches go
 *       on from the local index; the pool reconnects by itself.</li>
 *   <li>A restart of the host replays, from the database alone, its standing claims (with the
 *       facts its holds were written with), the outcomes of the retention period (every host's:
 *       a case may be handled from several), and its unacknowledged messages (each host delivers
 *       its own; those of a host silent for {@link #ADOPT_AFTER} are taken over by another,
 *       see {@link PostgresClaimStore#adoptMessages}).</li>
 *   <li>Other hosts' holds and bookings reach this host within the feed's bound (a commit plus
 *       {@link ClaimFeed#POLL}; after a cut, the reconnect back-off plus a catch-up read).</li>
 * </ul>
 *
 * <p>Thread-safe: every write is one pooled transaction.
 */
public final class PostgresBookingStore implements BookingStore {
    private static final Set<State> STANDING = EnumSet.of(State.HELD, State.CONFIRMING, State.BOOKED,
        State.CANCELLING);

    /** A host whose heartbeat is older than this is silent: another takes its undelivered messages. */
    public static final Duration ADOPT_AFTER = Duration.ofMinutes(5);
    /** How often a host that delivers messages looks for those of silent hosts. */
    public static final Duration ADOPT_EVERY = Duration.ofMinutes(1);
    /**
     * How long this host's own feed must have been connected before it adopts: after a
     * database outage every live host's feed reconnects within its back-off
     * ({@link ClaimFeed#MAX_BACKOFF}, 2 s) and writes its heartbeat first, so a host that waits
     * this long does not take a live host's messages for a silent one's (unless that host's
     * reconnection itself takes longer: then its messages are delivered twice, same id).
     */
    static final Duration ADOPT_SETTLE = Duration.ofSeconds(10);

    private final PostgresClaimStore store;
    private final Replayed replayed;
    private final ClaimFeed feed;
    private final Adopter adopter;

    private PostgresBookingStore(final PostgresClaimStore store, final Replayed replayed, final ClaimFeed feed,
                                 final Adopter adopter) {
        this.store = store;
        this.replayed = replayed;
        this.feed = feed;
        this.adopter = adopter;
    }

    /**
     * The opener of a service over the database {@code config} names; outcomes written within
     * {@code outcomeRetention} come back at start; the messages of hosts silent for
     * {@link #ADOPT_AFTER} are adopted every {@link #ADOPT_EVERY}.
     *
     * @throws StoreUnavailableException (from open) the database cannot be reached: a host cannot
     *                                   learn its own standing claims without it
     * @throws SchemaException           the schema is newer than this code, or a migration changed
     */
    public static Opener opener(final PostgresClaimStore.Config config, final Duration outcomeRetention) {
        return opener(config, outcomeRetention, ADOPT_AFTER, ADOPT_EVERY);
    }

    /**
     * As {@link #opener(PostgresClaimStore.Config, Duration)}, with the adoption of silent hosts'
     * messages set: a service that delivers messages ({@code BookingStore.ClaimListener#deliversMessages}:
     * a delivery loop drains its outbox) takes, every {@code adoptEvery}, the unacknowledged messages of hosts whose
     * heartbeat is older than {@code adoptAfter} ({@link PostgresClaimStore#adoptMessages}). Keep
     * {@code adoptAfter} well above {@link ClaimFeed#HEARD_EVERY} plus the feed's reconnect
     * back-off: a host only cut off for longer than that finds its messages delivered by another
     * too (once more each, under the same id).
     */
    public static Opener opener(final PostgresClaimStore.Config config, final Duration outcomeRetention,
                                final Duration adoptAfter, final Duration adoptEvery) {
        return opener(config, outcomeRetention, adoptAfter, adoptEvery, ADOPT_SETTLE);
    }

    /** With the settling time of {@link #ADOPT_SETTLE} set (tests). */
    static Opener opener(final PostgresClaimStore.Config config, final Duration outcomeRetention,
                         final Duration adoptAfter, final Duration adoptEvery, final Duration adoptSettle) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(adoptSettle, "adoptSettle");
        Objects.requireNonNull(outcomeRetention, "outcomeRetention");
        if (adoptAfter.compareTo(ClaimFeed.HEARD_EVERY) <= 0 || adoptEvery.isNegative() || adoptEvery.isZero()) {
            throw new IllegalArgumentException("adoptAfter must exceed the heartbeat (" + ClaimFeed.HEARD_EVERY
                + ") and adoptEvery be positive; got " + adoptAfter + " and " + adoptEvery);
        }
        return (replayer, others) -> {
            final PostgresClaimStore store = PostgresClaimStore.open(config);
            try {
                final Replayed r = replay(store, replayer, outcomeRetention);
                final ClaimFeed feed = ClaimFeed.start(store, new ClaimFeed.Listener() {
                    @Override
                    public void changed(final Claim c) {
                        if (c.state() == State.ENDED) {
                            others.ended(c.slot(), new HoldToken(c.token()));
                        } else {
                            others.claimed(foreign(c));
                        }
                    }

                    @Override
                    public void outcome(final String host, final byte[] record) {
                        if (host.equals(config.hostId().replace('|', '_'))) {
                            return; // this host's own, applied when it was recorded
                        }
                        final BookingRecord r = BookingRecord.decode(record);
                        if (r instanceof BookingRecord.OutcomeRecord o) {
                            others.outcome(o);
                        }
                    }

                    @Override
                    public void resynced(final List<Claim> standing) {
                        final List<ForeignClaim> l = new ArrayList<>(standing.size());
                        for (final Claim c : standing) {
                            l.add(foreign(c));
                        }
                        others.resynced(l);
                    }
                });
                try {
                    // Other hosts' standing claims hidden before the first search: wait for the
                    // feed's catch-up read (it goes on trying in the background past this).
                    feed.awaitConnected(config.connectTimeout().multipliedBy(2));
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new PostgresBookingStore(store, r, feed, new Adopter(store, feed, others, adoptAfter, adoptEvery,
                    adoptSettle));
            } catch (final RuntimeException e) {
                store.close();
                throw e;
            }
        };
    }

    private static ForeignClaim foreign(final Claim c) {
        final boolean booked = c.state() == State.BOOKED || c.state() == State.CANCELLING;
        // A confirmation in flight never expires (the vendor may be booking it).
        final Instant expires = c.state() == State.HELD ? c.expiresAt() : null;
        return new ForeignClaim(c.slot(), new HoldToken(c.token()), booked, expires);
    }

    /** This host's standing claims, the recent outcomes, then its pending messages. */
    private static Replayed replay(final PostgresClaimStore store, final Replayer into, final Duration retention) {
        long n = 0;
        long skipped = 0;
        for (final PostgresClaimStore.Kept k : store.keptClaims()) {
            final Claim c = k.claim();
            if (k.holdRecord() == null) {
                skipped++; // written by a client of PostgresClaimStore alone, not by a booking service
                continue;
            }
            final BookingRecord r = BookingRecord.decode(k.holdRecord());
            if (!(r instanceof BookingRecord.Hold h)) {
                throw new StoreException("claim " + c.token() + " keeps a " + r.getClass().getSimpleName()
                    + " record where its hold should be", null);
            }
            // The database's dates, not the ones the service proposed.
            into.replayed(h.redated(millis(c.heldAt()), millis(c.expiresAt())), n++);
            final HoldToken token = h.token();
            final Instant at = millis(c.heldAt());
            switch (c.state()) {
                case CONFIRMING -> into.replayed(new BookingRecord.Confirming(token, at), n++);
                case BOOKED -> into.replayed(new BookingRecord.Confirm(token, at, c.bookingRef(), null), n++);
                case CANCELLING -> {
                    into.replayed(new BookingRecord.Confirm(token, at, c.bookingRef(), null), n++);
                    into.replayed(new BookingRecord.Cancelling(token, at), n++);
                }
                default -> { }
            }
        }
        final Instant since = store.clock().instant().minus(retention);
        for (final byte[] bytes : store.outcomesSince(since)) {
            into.replayed(BookingRecord.withoutMessage(BookingRecord.decode(bytes)), n++);
        }
        for (final Message m : store.pendingMessagesOf(store.hostId())) {
            final OutboxMessage om = outboxMessage(m);
            into.replayed(new BookingRecord.Carried(BookingRecord.NO_TOKEN, om.createdAt(), om), n++);
        }
        return new Replayed(n, 0, null);
    }

    private static OutboxMessage outboxMessage(final Message m) {
        return new OutboxMessage(UUID.fromString(m.id()), OutboxMessage.Kind.valueOf(m.kind()), millis(m.createdAt()),
            m.caseId(), m.payload());
    }

    /**
     * The thread that adopts silent hosts' messages for this host: every {@code every}, while
     * the service delivers messages. A failed pass (the database out of
     * reach) is tried again at the next; the messages it moved reach the service
     * only after the move committed, so a crash in between leaves them to this host's next start.
     */
    static final class Adopter implements AutoCloseable {
        private final PostgresClaimStore store;
        private final ClaimFeed feed;
        private final ClaimListener others;
        private final Duration after;
        private final Duration settle;
        private final long everyNanos;
        private final Thread thread;
        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

        Adopter(final PostgresClaimStore store, final ClaimFeed feed, final ClaimListener others, final Duration after,
                final Duration every, final Duration settle) {
            this.store = store;
            this.feed = feed;
            this.others = others;
            this.after = after;
            this.settle = settle;
            this.everyNanos = every.toNanos();
            this.thread = new Thread(this::run, "creneau-outbox-adopt-" + store.hostId());
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                // The first pass after one period, not at open: the service's delivery loop is
                // set up after its store opened, and a one-shot command never gets that far.
                while (!closed.await(everyNanos, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                    // A host that does not deliver takes nothing; one whose own feed is (re)connecting
                    // cannot tell a silent host from one still reconnecting (ADOPT_SETTLE).
                    if (others.deliversMessages() && feed.connectedFor(settle)) {
                        try {
                            final List<Message> moved = store.adoptMessages(after);
                            if (!moved.isEmpty()) {
                                final List<OutboxMessage> l = new ArrayList<>(moved.size());
                                for (final Message m : moved) {
                                    l.add(outboxMessage(m));
                                }
                                others.adopted(l);
                            }
                        } catch (final RuntimeException e) {
                            // Out of reach, or closing: nothing moved, or moved and left to this
                            // host's next start (replay reads its own). The next pass tries again.
                        }
                    }
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            closed.countDown();
            try {
                thread.join(10_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Instant millis(final Instant i) {
        return i.truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public BookingStore.Answer write(final BookingRecord r) {
        final UUID token = r.token().uuid();
        if (r instanceof BookingRecord.Hold h) {
            final PostgresClaimStore.Answer a = store.hold(token, h.slot(), h.operator().id(),
                h.caseRef() == null ? null : h.caseRef().caseId(), Duration.between(h.at(), h.expiresAt()), List.of(),
                audit("HOLD", h.caseRef() == null ? null : h.caseRef().caseId(), h.operator().id(), h.slot().rpps()),
                BookingRecord.encode(h));
            return switch (a.outcome()) {
                case DONE -> BookingStore.Answer.held(millis(a.claim().heldAt()), millis(a.claim().expiresAt()));
                case TAKEN -> a.claim() == null ? BookingStore.Answer.taken(null, false, null)
                    : BookingStore.Answer.taken(new HoldToken(a.claim().token()),
                        a.claim().state() == State.BOOKED || a.claim().state() == State.CANCELLING,
                        a.claim().state() == State.HELD ? a.claim().expiresAt() : null);
                default -> refused(a, "hold");
            };
        }
        if (r instanceof BookingRecord.Confirming) {
            return answer(store.beginConfirm(token, audit("CONFIRMING", null, null, null)), State.CONFIRMING,
                "confirming");
        }
        if (r instanceof BookingRecord.Confirm c) {
            final PostgresClaimStore.Answer a = store.completeConfirm(token, c.vendorReference(),
                messages(c.message()), audit("CONFIRM", null, null, null));
            if (a.outcome() == PostgresClaimStore.Outcome.WRONG_STATE && a.claim() != null
                && a.claim().state() == State.CANCELLING) {
                // The vendor refused to cancel: the booking stands.
                return answer(store.abortCancel(token, audit("CANCEL_REFUSED", null, null, null)), State.BOOKED,
                    "keeping a booking");
            }
            return answer(a, State.BOOKED, "confirm");
        }
        if (r instanceof BookingRecord.Release rel) {
            final String why = rel.byVendor() ? "VENDOR_REFUSED" : "RELEASED";
            return answer(store.end(token, STANDING, why, messages(rel.message()), audit(why, null, null, null)),
                State.ENDED, "release");
        }
        if (r instanceof BookingRecord.Expire) {
            final PostgresClaimStore.Answer a = store.end(token, EnumSet.of(State.HELD), "EXPIRED", List.of(),
                audit("EXPIRY", null, null, null));
            return a.outcome() == PostgresClaimStore.Outcome.NOT_FOUND ? BookingStore.Answer.recorded()
                : answer(a, State.ENDED, "expiry");
        }
        if (r instanceof BookingRecord.Cancelling) {
            return answer(store.beginCancel(token, audit("CANCELLING", null, null, null)), State.CANCELLING,
                "cancelling");
        }
        if (r instanceof BookingRecord.OutcomeRecord o) {
            final UUID about = token.equals(BookingRecord.NO_TOKEN.uuid()) ? null : token;
            final PostgresClaimStore.Answer a = store.outcome(about, o.caseId(),
                BookingRecord.encode(BookingRecord.withoutMessage(o)), messages(o.message()),
                new AuditEvent("OUTCOME", o.caseId(), o.operatorId(), o.shownAs(), null, null, o.result().name()));
            return a.done() ? BookingStore.Answer.recorded() : refused(a, "outcome");
        }
        if (r instanceof BookingRecord.Ack ack) {
            try {
                store.ack(ack.id().toString());
                return BookingStore.Answer.recorded();
            } catch (final StoreUnavailableException e) {
                return BookingStore.Answer.unavailable(e.getMessage());
            }
        }
        // A Carried message is written only by a journal's compaction.
        throw new IllegalArgumentException("a booking service does not write " + r.getClass().getSimpleName());
    }

    /**
     * DONE; a retry finding the claim already in the intended state (an answer lost on the way
     * back) is DONE too; EXPIRED; anything else is a refusal.
     */
    private static BookingStore.Answer answer(final PostgresClaimStore.Answer a, final State intended,
                                              final String what) {
        if (a.done() || (a.outcome() == PostgresClaimStore.Outcome.WRONG_STATE && a.claim() != null
            && a.claim().state() == intended && intended != State.ENDED)) {
            return BookingStore.Answer.recorded();
        }
        if (a.outcome() == PostgresClaimStore.Outcome.EXPIRED) {
            return BookingStore.Answer.expired();
        }
        return refused(a, what);
    }

    private static BookingStore.Answer refused(final PostgresClaimStore.Answer a, final String what) {
        return BookingStore.Answer.unavailable(switch (a.outcome()) {
            case STORE_UNAVAILABLE -> "the database cannot be reached";
            case IN_DOUBT -> "the database did not say whether the " + what + " committed (it will be read back)";
            case NOT_FOUND -> "the database has no claim with this token";
            case WRONG_STATE -> "the database has this claim as " + (a.claim() == null ? "?" : a.claim().state());
            default -> String.valueOf(a.outcome());
        });
    }

    private static List<Message> messages(final OutboxMessage m) {
        return m == null ? List.of()
            : List.of(new Message(m.id().toString(), m.kind().name(), m.json(), m.caseId(), m.createdAt()));
    }

    private static AuditEvent audit(final String event, final String caseId, final String operatorId, final Long rpps) {
        return new AuditEvent(event, caseId, operatorId, "SLOT", rpps, null, null);
    }

    @Override
    public Replayed replayed() {
        return replayed;
    }

    @Override
    public Clock clock() {
        return store.clock();
    }

    /** Ends every hold run out by the database's clock, whoever made it (each host's sweep does). */
    @Override
    public void sweep(final int horizonMinute, final long compactAboveBytes) {
        store.expireHolds(); // null when unreachable: the next sweep does it
    }

    /** The feed of other hosts' claims (tests wait on its connections). */
    public ClaimFeed feed() {
        return feed;
    }

    @Override
    public String describe() {
        final String url = store.jdbcUrl();
        final int q = url.indexOf('?');
        return "postgresql " + (q < 0 ? url : url.substring(0, q)) + " (host " + store.hostId() + ")";
    }

    @Override
    public void close() {
        adopter.close();
        feed.close();
        store.close();
    }
}
