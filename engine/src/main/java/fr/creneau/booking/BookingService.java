package fr.creneau.booking;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

import fr.creneau.audit.AuditEvent;
import fr.creneau.audit.AuditLog;
import fr.creneau.booking.outbox.HubEnvelope;
import fr.creneau.booking.outbox.Outbox;
import fr.creneau.booking.outbox.OutboxMessage;
import fr.creneau.slot.SupportedTime;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.BookingUrls;
import fr.creneau.feed.SlotRecord;
import fr.creneau.slot.Minutes;
import fr.creneau.index.SlotDescriptor;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SlotIndex;
import fr.creneau.rank.BookingMethod;
import fr.creneau.rank.SearchResults;
import fr.creneau.outcome.Outcome;
import fr.creneau.outcome.OutcomeResult;
import fr.creneau.outcome.RowRef;

/**
 * Holds, confirmations and releases of slots: a slot is never given twice and an acknowledged
 * booking is never forgotten.
 *
 * <pre>{@code
 * HoldResult hold = creneau.bookings().hold(results.slotId(row, creneau.vendors()), operator);
 * if (hold.isHeld()) {
 *     ConfirmResult done = creneau.bookings().confirm(hold.token());
 *     // done.booking().method(): ONLINE (vendorReference) or PHONE (phone().scriptFr())
 * } else {
 *     // hold.refusal(): ALREADY_HELD, ALREADY_BOOKED, GONE ...
 * }
 * }</pre>
 *
 * <h2>How a slot is never given twice</h2>
 * <ol>
 *   <li><b>Authority on the heap.</b> A hold first claims the slot's identity (canonical
 *       {@link SlotId}: vendor code, RPPS, start) in a concurrent map with {@code putIfAbsent}.
 *       Exactly one caller wins; the others find its claim and get {@link Refusal#ALREADY_HELD} or
 *       {@link Refusal#ALREADY_BOOKED}. This holds even when the index does not show the state,
 *       e.g. after a restart before the feeds are ingested again.</li>
 *   <li><b>Visibility off the heap.</b> The winner then moves the index record FREE → HELD by
 *       compare-and-set of its state word (retrying on a record the writer just replaced); searches
 *       skip non-FREE records, so once the CAS is visible no query proposes the slot, and no query
 *       ever waits. Confirm moves HELD → BOOKED; release and expiry use
 *       {@link SlotIndex#retire}, which sends a record its vendor stopped listing to GONE, not FREE.</li>
 *   <li><b>Write-ahead.</b> Every hold, confirmation, release and expiry is written to the
 *       {@link BookingStore} (the {@link Journal} by default, forced per {@link FsyncPolicy}; or a
 *       store shared by several processes, whose refusal of a hold wins over this index) before it
 *       is acknowledged or takes effect for other callers (they wait on the claim meanwhile). A
 *       start replays the store: standing holds and bookings come back as claims (so the authority
 *       holds at once), holds whose time to live ran out by the clock are ended and written, and
 *       {@link #reconcile()} re-applies HELD/BOOKED to the index records as the feeds come back.</li>
 *   <li><b>Other processes.</b> A shared store tells this service of other processes' claims; each
 *       is bound into this index as a foreign claim (hidden from searches, refused here without a
 *       round trip) until the store says it ended ({@code ForeignClaims}).</li>
 * </ol>
 *
 * <h2>Expiry</h2>
 * A hold ends when {@link BookingConfig#holdTtl()} (or the TTL given) has passed by the injected
 * clock (the store's, when it has one: {@link BookingStore#clock()}): lazily, by any hold, confirm or release that touches it, and by {@link #expireHolds()},
 * which the facade's timer calls (a search alone does not: until then the slot stays hidden).
 *
 * <h2>Vendors</h2>
 * For a slot of an end-to-end vendor, confirm (and the release of a booking) calls the
 * {@link BookingGateway} with the hold token as idempotency key, without holding any lock the
 * index, searches or other slots depend on. Confirm journals a CONFIRMING record first: from then
 * until the vendor's answer is journaled the hold is <i>in doubt</i> (the vendor may have booked
 * it), so it never expires and cannot be released; {@link #resolveInDoubt()} asks the vendor
 * again with the same key, at start (after a crash) and from every sweep (after a timeout).
 *
 * <h2>Journal failures</h2>
 * A failed journal write is cut back before the caller hears of it, so a
 * {@link JournalWriteException} means the operation did not happen (unless it says the outcome
 * is unknown); every failure is counted ({@link BookingStats#journalWriteFailures()},
 * {@link BookingStats#journalFailed()}) and told to the {@link JournalFailureListener}s.
 *
 * <p><b>Thread-safety.</b> Every public method is safe to call from any number of threads at once;
 * operations on different slots do not wait for each other (except to share a journal force),
 * operations on one slot are serialised. {@link #reconcile()} is meant for the index's writer
 * thread (the facade calls it under its ingest lock), but is safe from any thread.
 */
public final class BookingService implements AutoCloseable {
    private final SlotIndex index;
    private final VendorRegistry vendors;
    private final Clock clock;
    private final BookingConfig config;
    /** The vendors: gateway calls, the check at hold, deep links. */
    private final VendorCalls vendorCalls;
    /** The durable truth: the journal (default) or a shared store. */
    private final BookingStore store;
    /** Claims shown in the index. */
    private final IndexBinding binding;
    /** Other processes' claims, told by a shared store. */
    private final ForeignClaims foreign;

    /** Who holds or booked what (the authority); rebuilt from the store's replay. */
    private final Claims claims;
    private final ConcurrentHashMap<SlotId, Claim> bySlot;
    private final ConcurrentHashMap<HoldToken, Claim> byToken;
    private final CopyOnWriteArrayList<AppointmentListener> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<JournalFailureListener> failureListeners = new CopyOnWriteArrayList<>();
    /** Source of hold tokens: unpredictable (see {@link HoldToken#random}); thread-safe. */
    private final SecureRandom tokens = new SecureRandom();

    private final LongAdder holds = new LongAdder();
    private final LongAdder retriedHolds = new LongAdder();
    private final LongAdder confirms = new LongAdder();
    private final LongAdder repeatedConfirms = new LongAdder();
    private final LongAdder releases = new LongAdder();
    private final LongAdder cancellations = new LongAdder();
    private final LongAdder expiries = new LongAdder();
    private final LongAdder listenerFailures = new LongAdder();
    private final LongAdder[] refusals = new LongAdder[Refusal.values().length];
    private final LongAdder[] appointments = new LongAdder[AppointmentResult.Outcome.values().length];

    /** Every hold, confirm, release, expiry, outcome and message, after its journal record. */
    private final AuditLog audit;
    /** Messages for the LRM, in the records of their changes. */
    private final JournalOutbox outbox;
    /** Outcomes of rows and bookings; the rows declined or refused per case. */
    private final Outcomes outcomes;

    private final ReplayReport replayReport;
    private volatile boolean closed;

    private BookingService(final SlotIndex index, final VendorRegistry vendors, final Clock clock,
                           final BookingConfig config, final BookingGateway gateway, final BookingStore.Opener opener,
                           final JournalIo io, final HubEnvelope hub, final AuditLog audit, final boolean withOutbox) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.outbox = new JournalOutbox(audit, Objects.requireNonNull(hub, "hub"), clock, config.readOnly(), withOutbox);
        this.outcomes = new Outcomes(this, outbox, audit);
        this.index = Objects.requireNonNull(index, "index");
        this.vendors = Objects.requireNonNull(vendors, "vendors");
        this.config = Objects.requireNonNull(config, "config");
        this.vendorCalls = new VendorCalls(Objects.requireNonNull(gateway, "gateway"), vendors, this::directory);
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
        for (int i = 0; i < appointments.length; i++) {
            appointments[i] = new LongAdder();
        }
        this.binding = new IndexBinding(index);
        this.claims = new Claims(vendors, binding);
        this.bySlot = claims.bySlot;
        this.byToken = claims.byToken;
        this.foreign = new ForeignClaims(claims, binding, this);
        // The replayer runs inside open, before this service is shared: single-threaded.
        this.store = (opener == null ? JournalStore.opener(config, io, this::journalFailed) : opener)
            .open(this::replay, foreign);
        final Clock shared = store.clock();
        this.clock = shared != null ? shared : Objects.requireNonNull(clock, "clock");
        outbox.attach(store);
        try {
            final Instant now = now();
            int expiredAtStart = 0;
            int inDoubt = 0;
            int cancelsInDoubt = 0;
            for (final Claim c : new ArrayList<>(byToken.values())) {
                synchronized (c) {
                    if (c.phase == Claim.Phase.BOOKED && c.cancelInDoubt) {
                        cancelsInDoubt++;
                    } else if (c.phase == Claim.Phase.HELD && c.inDoubt) {
                        inDoubt++; // the vendor may have booked it: resolveInDoubt() asks, never expires it
                    } else if (c.phase == Claim.Phase.HELD && expired(c, now)) {
                        // Read-only: ended in memory only (the store writes nothing then).
                        try {
                            end(c, new BookingRecord.Expire(c.token, now), Refusal.EXPIRED, now);
                            expiredAtStart++;
                        } catch (final JournalWriteException | StoreRefusedException e) {
                            // A full disk (or an unreachable store) must not stop the start (and
                            // every read with it): the hold stays, refused to others, and the next
                            // touch or sweep ends it. A journal failure went to the listeners and the stats.
                        }
                    }
                }
            }
            int standingHolds = 0;
            int standingBookings = 0;
            for (final Claim c : bySlot.values()) {
                synchronized (c) {
                    if (c.foreign) {
                        continue;
                    }
                    if (c.phase == Claim.Phase.BOOKED) {
                        standingBookings++;
                    } else if (c.phase == Claim.Phase.HELD) {
                        standingHolds++;
                    }
                }
            }
            final BookingStore.Replayed r = store.replayed();
            this.replayReport = new ReplayReport(r.records(), r.tornBytes(), standingHolds, standingBookings,
                expiredAtStart, claims.orphans(), r.keptIn(), inDoubt, cancelsInDoubt);
            reconcile();
            foreign.start();
        } catch (final RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Opens the booking service over an index: takes the journal directory's lock and replays the
     * journal when {@code config} names one.
     *
     * @param index   the slot index (its directory resolves RPPS numbers)
     * @param vendors the registry the index's source ids come from
     * @param clock   decides "now" for holds and their expiry
     * @param config  journal, fsync policy, TTL
     * @param gateway books at end-to-end vendors
     * @throws JournalLockedException  another owner holds the journal directory
     * @throws JournalCorruptException a damaged record in the middle of the journal
     * @throws JournalVersionException not a journal, or another format version
     * @throws JournalException        the journal cannot be read or written
     */
    public static BookingService open(final SlotIndex index, final VendorRegistry vendors, final Clock clock,
                                      final BookingConfig config, final BookingGateway gateway) {
        return new BookingService(index, vendors, clock, config, gateway, null, JournalIo.REAL, HubEnvelope.DEFAULT,
            AuditLog.NONE, false);
    }

    /**
     * {@link #open(SlotIndex, VendorRegistry, Clock, BookingConfig, BookingGateway)} with the audit
     * log every change goes to and an outbox: every confirmation, cancellation and booking outcome
     * puts its RS-SAS-RDV message, wrapped by {@code hub}, in the journal record of the change,
     * kept until acknowledged ({@link #outbox()}). With {@code hub} {@code null} there is no outbox
     * (records carry no message; the {@link AppointmentListener}s are still told, at most once).
     */
    public static BookingService open(final SlotIndex index, final VendorRegistry vendors, final Clock clock,
                                      final BookingConfig config, final BookingGateway gateway, final HubEnvelope hub,
                                      final AuditLog audit) {
        return open(index, vendors, clock, config, gateway, hub, audit, null);
    }

    /**
     * {@link #open(SlotIndex, VendorRegistry, Clock, BookingConfig, BookingGateway, HubEnvelope, AuditLog)}
     * over {@code store} instead of the journal ({@code null}: the journal {@code config} names).
     * With a store shared by several processes (PostgreSQL), a hold is refused whenever another
     * process holds the slot, whatever this index shows, and other processes' claims are hidden
     * from this index within the store's bound; holds, confirmations, releases and outcomes are
     * refused {@link Refusal#STORE_UNAVAILABLE} while the store cannot be reached. When the store
     * has a clock ({@link BookingStore#clock()}), holds are dated and expire by it, not by {@code clock}.
     */
    public static BookingService open(final SlotIndex index, final VendorRegistry vendors, final Clock clock,
                                      final BookingConfig config, final BookingGateway gateway, final HubEnvelope hub,
                                      final AuditLog audit, final BookingStore.Opener store) {
        return new BookingService(index, vendors, clock, config, gateway, store, JournalIo.REAL,
            hub == null ? HubEnvelope.DEFAULT : hub, audit, hub != null);
    }

    /** {@link #open} with the journal's files opened through {@code io} (tests inject I/O failures). */
    static BookingService open(final SlotIndex index, final VendorRegistry vendors, final Clock clock,
                               final BookingConfig config, final BookingGateway gateway, final JournalIo io) {
        return new BookingService(index, vendors, clock, config, gateway, null, io, HubEnvelope.DEFAULT, AuditLog.NONE,
            false);
    }

    /** Adds a listener for RS-SAS-RDV messages. Any thread. */
    public void addListener(final AppointmentListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Adds a listener told of every journal write or force failure (a full disk, an I/O error), on
     * the thread that met it, before that thread's caller gets the exception. Any thread.
     */
    public void addJournalFailureListener(final JournalFailureListener listener) {
        failureListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    // =====================================================================================
    // Hold
    // =====================================================================================

    /** {@link #hold(SlotId, Operator, Duration)} with the configured TTL. Any thread. */
    public HoldResult hold(final SlotId slot, final Operator operator) {
        return hold(slot, operator, config.holdTtl());
    }

    /** Holds the slot of a search row. Any thread (the results belong to the calling thread). */
    public HoldResult hold(final SearchResults results, final int row, final Operator operator) {
        if (!results.hasSlot(row)) {
            throw new IllegalArgumentException("row " + row + " has no slot (a phone contact)");
        }
        return hold(results.slotId(row, vendors), operator, config.holdTtl());
    }

    /**
     * Holds a slot for {@code ttl}: once this returns a token, no other operator can hold or book
     * it, and no search started afterwards proposes it, until the token is released, its hold
     * expires, or (confirmed) its booking is released. The hold is in the journal before this
     * returns. An operator asking again for a slot they hold gets the same token
     * ({@link HoldResult#retried()}), with its original expiry. Any thread.
     *
     * @throws JournalException       the journal cannot be written (nothing was held)
     * @throws BookingClosedException after {@link #close()}
     */
    public HoldResult hold(final SlotId slot, final Operator operator, final Duration ttl) {
        return hold(slot, operator, ttl, null);
    }

    /** {@link #hold(SlotId, Operator, Duration)} with the configured TTL, for a case. Any thread. */
    public HoldResult hold(final SlotId slot, final Operator operator, final CaseRef caseRef) {
        return hold(slot, operator, config.holdTtl(), caseRef);
    }

    /**
     * {@link #hold(SlotId, Operator, Duration)} for the LRM's case {@code caseRef} ({@code null}: no
     * case): the case id, modality and MT flag are journaled with the hold and audited; the
     * booking's messages carry it. Any thread.
     */
    public HoldResult hold(final SlotId slot, final Operator operator, final Duration ttl, final CaseRef caseRef) {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(operator, "operator");
        BookingConfig.checkTtl(ttl, "ttl");
        open();
        final int source = slot.sourceId(vendors);
        if (source < 0) {
            return refuseHold(slot, Refusal.GONE);
        }
        final SlotId key = SlotId.of(vendors, source, slot.rpps(), slot.startMinute());
        // Not for a slot someone holds or booked here: the claim answers (ALREADY_HELD, a retry)
        // without the vendor, which would no longer list it free anyway.
        final HoldCheck.Outcome checked = bySlot.get(key) != null ? HoldCheck.Outcome.NOT_CHECKED
            : vendorCalls.check(key, source);
        if (checked == HoldCheck.Outcome.GONE) {
            return refuseHold(key, Refusal.GONE).with(checked, null);
        }
        final HoldResult r = holdUnchecked(key, source, operator, ttl, caseRef);
        return r.with(checked, r.isHeld() ? vendorCalls.bookingUrl(key, source) : null);
    }

    /**
     * Registers the check at hold (the live pull's; {@code null} removes it). Any thread; holds
     * that begin afterwards use it.
     */
    public void holdCheck(final HoldCheck check) {
        vendorCalls.holdCheck(check);
    }

    /** The check at hold registered, or {@code null}. Any thread. */
    public HoldCheck holdCheck() {
        return vendorCalls.holdCheck();
    }

    /**
     * Where holds of ONLINE slots find their deep link, and the {@code origin} query parameter
     * added to it ({@code null}: none). The facade sets it. Any thread.
     */
    public void bookingUrls(final BookingUrls urls, final String origin) {
        vendorCalls.bookingUrls(urls, origin);
    }

    /** The hold itself, once checked (the appointment of a vendor is not checked with that vendor). */
    private HoldResult holdUnchecked(final SlotId key, final int source, final Operator operator, final Duration ttl,
                                     final CaseRef caseRef) {
        while (true) {
            final Instant now = now();
            final Claim existing = bySlot.get(key);
            if (existing != null) {
                final HoldResult r = againstExisting(existing, operator);
                if (r != null) {
                    return r;
                }
                continue; // it ended meanwhile: try again
            }
            final int practitioner = directory().indexOf(key.rpps());
            final int record = practitioner < 0 ? SlotDescriptor.NIL
                : index.findSlot(practitioner, source, key.startMinute());
            if (record == SlotDescriptor.NIL) {
                return refuseHold(key, Refusal.GONE);
            }
            final SlotFacts facts = facts(key, source, record);
            if (facts == null || facts.endMinute() <= Minutes.floor(now)) {
                return refuseHold(key, Refusal.GONE);
            }
            final Claim mine = new Claim(HoldToken.random(tokens), operator, facts, source, caseRef);
            final BookingStore.Answer[] refusedBy = new BookingStore.Answer[1];
            final HoldResult r = holdNew(mine, key, record, practitioner, facts, operator, ttl, caseRef, refusedBy);
            final BookingStore.Answer t = refusedBy[0];
            if (t != null && t.outcome() == BookingStore.Outcome.TAKEN && t.holder() != null) {
                // Another process holds it and this index did not know yet: hide it now (the
                // claim's monitor is released: the foreign claim takes the slot's identity).
                foreign.learnt(new BookingStore.ForeignClaim(key, t.holder(), t.holderBooked(), t.expiresAt()));
            }
            if (r != null) {
                return r;
            }
            // lost the race for the identity: see who won
        }
    }

    /**
     * Makes a new hold for {@code mine}: claims the slot's identity, the index record, then the
     * store. {@code null} when another claim won the identity first (the caller looks again); a
     * store's refusal is left in {@code refusedBy[0]}.
     */
    private HoldResult holdNew(final Claim mine, final SlotId key, final int record, final int practitioner,
                               final SlotFacts facts, final Operator operator, final Duration ttl,
                               final CaseRef caseRef, final BookingStore.Answer[] refusedBy) {
        synchronized (mine) {
            if (bySlot.putIfAbsent(key, mine) != null) {
                return null;
            }
            boolean done = false;
            try {
                // The TTL runs from a clock read made once the claim owns the slot, not from
                // the one above: a sweep that ran in between did not see this claim, so a hold
                // dated before it could be acknowledged already run out (BookingLincheckTest).
                final Instant at = now();
                if (facts.endMinute() <= Minutes.floor(at)) {
                    return refuseHold(key, Refusal.GONE);
                }
                mine.start(at, at.plus(ttl).truncatedTo(ChronoUnit.MILLIS));
                final Refusal refusal = binding.placeNew(mine, record, practitioner);
                if (refusal != null) {
                    return refuseHold(key, refusal);
                }
                final BookingStore.Answer a = store.write(
                    new BookingRecord.Hold(mine.token, at, mine.expiresAt, operator, facts, caseRef));
                if (!a.done()) {
                    refusedBy[0] = a;
                    return refuseHold(key, a.outcome() != BookingStore.Outcome.TAKEN ? Refusal.STORE_UNAVAILABLE
                        : a.holderBooked() ? Refusal.ALREADY_BOOKED : Refusal.ALREADY_HELD);
                }
                if (a.heldAt() != null) {
                    mine.redate(a.heldAt(), a.expiresAt()); // the store's clock, shared by every process
                }
                mine.phase = Claim.Phase.HELD;
                byToken.put(mine.token, mine);
                holds.increment();
                done = true;
                audit.append(Audits.of(AuditEvent.Type.HOLD, mine, at));
                return HoldResult.held(mine, false);
            } finally {
                if (!done) {
                    binding.unplace(mine);
                    mine.phase = Claim.Phase.ENDED;
                    bySlot.remove(key, mine);
                }
            }
        }
    }

    /** A hold meeting a claim already on the slot; {@code null} when that claim has ended (retry). */
    private HoldResult againstExisting(final Claim c, final Operator operator) {
        synchronized (c) {
            // Read under the monitor, as confirm and release do: the wait for it may be long (a
            // journal force), and a time read before it could keep a hold that has run out since.
            final Instant now = now();
            if (c.foreign && c.phase != Claim.Phase.ENDED) {
                if (c.phase == Claim.Phase.HELD && expired(c, now)) {
                    // Run out by the shared clock: forget it here and let the store decide (it
                    // refuses the hold if the other process's claim still stands there).
                    foreign.drop(c);
                    return null;
                }
                return refuseHold(c.facts.slot(), c.foreignBooked ? Refusal.ALREADY_BOOKED : Refusal.ALREADY_HELD);
            }
            switch (c.phase) {
                case PENDING:
                case ENDED:
                    bySlot.remove(c.facts.slot(), c); // ended (or failed) but not yet unlinked
                    return null;
                case HELD:
                    if (!c.inDoubt && expired(c, now)) {
                        end(c, new BookingRecord.Expire(c.token, now), Refusal.EXPIRED, now);
                        return null;
                    }
                    break;
                case BUSY:
                    break;
                case BOOKED:
                default:
                    return refuseHold(c.facts.slot(), Refusal.ALREADY_BOOKED);
            }
            if (c.booking != null) {
                return refuseHold(c.facts.slot(), Refusal.ALREADY_BOOKED); // a cancellation in flight
            }
            if (c.operator.id().equals(operator.id())) {
                retriedHolds.increment();
                return HoldResult.held(c, true);
            }
            return refuseHold(c.facts.slot(), Refusal.ALREADY_HELD);
        }
    }

    /** What the journal keeps about a slot, from the index record and the directory; {@code null} if unknown. */
    private SlotFacts facts(final SlotId slot, final int source, final int record) {
        final Directory directory = directory();
        final Practitioner p = directory.byRpps(slot.rpps());
        if (p == null) {
            return null;
        }
        final int packed = index.packed(record);
        final int start = index.startMinute(record);
        if (start != slot.startMinute() || SlotDescriptor.source(packed) != source) {
            return null; // the record was reused under us (its bucket expired): the slot is past
        }
        return new SlotFacts(slot, start + SlotDescriptor.duration(packed), SlotDescriptor.modalities(packed),
            vendorCalls.method(source), p.name(), p.phone(), p.profession(), p.participation(),
            p.cpts() == null ? null : p.cpts().id(), p.cpts() == null ? null : p.cpts().name(), p.territory().zone());
    }

    // =====================================================================================
    // Appointments reported by the vendor (flux INT_R03)
    // =====================================================================================

    /**
     * Applies an appointment the vendor reports (the guide's flux INT_R03: the operator booked on
     * the vendor's agenda through the deep link, and the vendor tells the platform). {@code booked}
     * (and {@code fulfilled}, {@code noshow}, which imply it) confirms the hold on that slot if
     * there is one, else moves the free slot to BOOKED for {@code operator}; {@code cancelled} ends
     * the booking here and frees the slot. The vendor is never called back: it is the one
     * reporting. Journaled and told to the listeners (RS-SAS-RDV) as a confirmation or a
     * cancellation is. Any thread.
     *
     * @param slot            the slot named by (vendor, RPPS, start)
     * @param operator        who booked (the Appointment's {@code appointmentOperator}), for a booking without hold
     * @param vendorReference the vendor's id of the appointment (its {@code identifier})
     * @throws JournalException       the journal cannot be written (nothing changed)
     * @throws BookingClosedException after {@link #close()}
     */
    public AppointmentResult vendorReported(final SlotId slot, final AppointmentStatus status, final Operator operator,
                                            final String vendorReference) {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(operator, "operator");
        open();
        final int source = slot.sourceId(vendors);
        if (source < 0 || source == SlotRecord.MANUAL) {
            return counted(new AppointmentResult(slot, status, AppointmentResult.Outcome.NO_MATCHING_SLOT, null));
        }
        final SlotId key = SlotId.of(vendors, source, slot.rpps(), slot.startMinute());
        for (int attempt = 0; attempt < 100; attempt++) {
            final Claim c = bySlot.get(key);
            if (c == null) {
                if (status == AppointmentStatus.CANCELLED) {
                    final int practitioner = directory().indexOf(key.rpps());
                    final boolean indexed = practitioner >= 0
                        && index.findSlot(practitioner, source, key.startMinute()) != SlotDescriptor.NIL;
                    return counted(new AppointmentResult(key, status, indexed
                        ? AppointmentResult.Outcome.NOT_BOOKED : AppointmentResult.Outcome.NO_MATCHING_SLOT, null));
                }
                final HoldResult held = holdUnchecked(key, source, operator, config.holdTtl(), null);
                if (!held.isHeld()) {
                    if (held.refusal() == Refusal.GONE) {
                        return counted(new AppointmentResult(key, status, AppointmentResult.Outcome.NO_MATCHING_SLOT, null));
                    }
                    continue; // someone claimed it meanwhile: answer against their claim
                }
                final AppointmentResult r = reportedOnClaim(byToken.get(held.token()), key, status, vendorReference,
                    AppointmentResult.Outcome.BOOKED);
                if (r != null) {
                    return counted(r);
                }
                continue;
            }
            final AppointmentResult r = reportedOnClaim(c, key, status, vendorReference,
                AppointmentResult.Outcome.HOLD_CONFIRMED);
            if (r != null) {
                return counted(r);
            }
        }
        throw new IllegalStateException("the claim on " + key + " kept changing");
    }

    /** The appointment against a standing claim; {@code null} when the claim ended meanwhile (retry). */
    private AppointmentResult reportedOnClaim(final Claim c, final SlotId key, final AppointmentStatus status,
                                              final String vendorReference, final AppointmentResult.Outcome booked) {
        AppointmentMessage message = null;
        final AppointmentResult result;
        synchronized (c) {
            if (!awaitIdle(c)) {
                throw new IllegalStateException("interrupted while waiting for the vendor on " + key);
            }
            final Instant now = now();
            switch (c.phase) {
                case PENDING:
                case ENDED:
                    bySlot.remove(c.facts.slot(), c);
                    return null;
                case BOOKED:
                    if (status != AppointmentStatus.CANCELLED) {
                        return new AppointmentResult(key, status, AppointmentResult.Outcome.ALREADY_BOOKED, c.booking);
                    }
                    // The message in the record of its change: the outbox delivers it even after a crash.
                    message = cancelled(c);
                    end(c, new BookingRecord.Release(c.token, now, false, outbox.wrap(message, caseId(c), now)),
                        Refusal.RELEASED, now);
                    c.cancelInDoubt = false;
                    result = new AppointmentResult(key, status, AppointmentResult.Outcome.CANCELLED, c.booking);
                    break;
                default: // HELD
                    if (status == AppointmentStatus.CANCELLED) {
                        return new AppointmentResult(key, status, AppointmentResult.Outcome.NOT_BOOKED, null);
                    }
                    // Even past its time to live: the vendor booked the slot, so it is booked.
                    message = AppointmentMessage.of(AppointmentMessage.Kind.CREATED, c.token, c.facts, c.operator, now);
                    final Booking b = book(c, vendorReference, now, message);
                    result = new AppointmentResult(key, status, booked, b);
                    break;
            }
        }
        tell(message);
        return result;
    }

    private AppointmentResult counted(final AppointmentResult r) {
        appointments[r.outcome().ordinal()].increment();
        return r;
    }

    /** Appointments reported by vendors since start with that outcome (rejections included). Any thread. */
    public long appointments(final AppointmentResult.Outcome outcome) {
        return appointments[outcome.ordinal()].sum();
    }

    // =====================================================================================
    // Confirm
    // =====================================================================================

    /**
     * Turns a hold into a booking. For an end-to-end vendor a CONFIRMING record is journaled, then
     * the {@link BookingGateway} books (idempotency key: the token); the confirmation is in the
     * journal before this returns, then listeners get the RS-SAS-RDV {@code CreateAppointment}.
     * When the gateway fails ({@link Refusal#VENDOR_UNAVAILABLE}) the hold stays in doubt: it no
     * longer expires, and confirming again (or the sweep) asks the vendor with the same key.
     * Confirming a confirmed token again returns the same booking ({@link ConfirmResult#repeated()}),
     * books nothing and sends no message. A confirmation racing another on the same token waits
     * for it. Any thread.
     *
     * @throws JournalException       the journal cannot be written (the hold stands; retry)
     * @throws BookingClosedException after {@link #close()}
     */
    public ConfirmResult confirm(final HoldToken token) {
        return confirm(token, null);
    }

    /**
     * {@link #confirm(HoldToken)} for {@code patient}, whom an end-to-end vendor needs to book:
     * handed to the {@link BookingGateway} and nowhere else (never journaled, audited, kept in
     * memory or put in a message). Any thread.
     */
    public ConfirmResult confirm(final HoldToken token, final Patient patient) {
        Objects.requireNonNull(token, "token");
        open();
        try {
            return confirmNow(token, patient);
        } catch (final StoreRefusedException e) {
            // Nothing was recorded; the claim's state was restored before this (its finally blocks).
            return refuseConfirm(token, storeRefused(token, e), e.getMessage());
        }
    }

    /**
     * What a store's refusal means for the claim of {@code token}: {@link Refusal#EXPIRED} (the
     * store ended the hold by its clock: ended here too) or {@link Refusal#STORE_UNAVAILABLE}.
     */
    private Refusal storeRefused(final HoldToken token, final StoreRefusedException e) {
        if (e.answer().outcome() == BookingStore.Outcome.EXPIRED) {
            final Claim c = byToken.get(token);
            if (c != null) {
                endedByStore(c);
            }
            return Refusal.EXPIRED;
        }
        return Refusal.STORE_UNAVAILABLE;
    }

    private ConfirmResult confirmNow(final HoldToken token, final Patient patient) {
        final Claim c = byToken.get(token);
        if (c == null) {
            return refuseConfirm(token, Refusal.UNKNOWN_TOKEN, null);
        }
        AppointmentMessage message = null;
        final ConfirmResult result;
        synchronized (c) {
            if (!awaitIdle(c)) {
                return refuseConfirm(token, Refusal.VENDOR_UNAVAILABLE, "interrupted while waiting for the vendor");
            }
            final Instant now = now();
            switch (c.phase) {
                case BOOKED:
                    repeatedConfirms.increment();
                    return ConfirmResult.booked(c.booking, true);
                case ENDED:
                    return refuseConfirm(token, c.endedAs, null);
                default:
                    break;
            }
            if (!c.inDoubt && expired(c, now)) {
                end(c, new BookingRecord.Expire(c.token, now), Refusal.EXPIRED, now);
                return refuseConfirm(token, Refusal.EXPIRED, null);
            }
            if (c.facts.method() == BookingMethod.PHONE) {
                message = AppointmentMessage.of(AppointmentMessage.Kind.CREATED, c.token, c.facts, c.operator, now);
                result = ConfirmResult.booked(book(c, null, now, message), false);
            } else {
                if (!c.inDoubt) {
                    // Before the vendor hears of it: a crash after its answer must not leave a
                    // booking at the vendor that the journal knows nothing about.
                    append(new BookingRecord.Confirming(c.token, now));
                    c.inDoubt = true;
                }
                c.phase = Claim.Phase.BUSY;
                result = null;
            }
        }
        if (result != null) {
            tell(message);
            return result;
        }
        // ONLINE: the vendor call runs without the claim's monitor (others on this slot wait or refuse).
        final VendorCalls.Answer answer = vendorCalls.book(c, patient);
        final BookingGateway.Response response = answer.response();
        final ConfirmResult online;
        synchronized (c) {
            try {
                final Instant now = now();
                if (!answer.answered()) {
                    return refuseConfirm(token, Refusal.VENDOR_UNAVAILABLE, answer.failure());
                } else if (!response.accepted()) {
                    end(c, new BookingRecord.Release(c.token, now, true), Refusal.VENDOR_REFUSED, now);
                    c.inDoubt = false;
                    return refuseConfirm(token, Refusal.VENDOR_REFUSED, response.reason());
                }
                message = AppointmentMessage.of(AppointmentMessage.Kind.CREATED, c.token, c.facts, c.operator, now);
                online = ConfirmResult.booked(book(c, response.reference(), now, message), false);
            } finally {
                if (c.phase == Claim.Phase.BUSY) {
                    c.phase = Claim.Phase.HELD; // the vendor failed, or the journal did: the hold stands
                }
                c.notifyAll();
            }
        }
        tell(message);
        return online;
    }

    /**
     * Journals the confirmation with its outbox message (one record: both durable at once), then
     * makes the claim and its record BOOKED. Caller holds the monitor.
     */
    private Booking book(final Claim c, final String vendorReference, final Instant now, final AppointmentMessage m) {
        final OutboxMessage out = outbox.wrap(m, caseId(c), now);
        append(new BookingRecord.Confirm(c.token, now, vendorReference, out));
        c.inDoubt = false;
        c.booking = newBooking(c, now, vendorReference);
        c.phase = Claim.Phase.BOOKED;
        binding.place(c);
        confirms.increment();
        audit.append(Audits.of(AuditEvent.Type.CONFIRM, c, now));
        outbox.added(out, c.operator.id());
        return c.booking;
    }

    private static String caseId(final Claim c) {
        return c.caseRef == null ? null : c.caseRef.caseId();
    }

    static Booking newBooking(final Claim c, final Instant bookedAt, final String vendorReference) {
        final SlotFacts f = c.facts;
        return new Booking(c.token, f.slot(), c.operator, bookedAt, f.start(), f.end(), f.method(),
            f.method() == BookingMethod.ONLINE ? vendorReference : null,
            f.method() == BookingMethod.PHONE ? PhoneInstructions.of(f) : null, c.caseRef);
    }

    // =====================================================================================
    // Release
    // =====================================================================================

    /**
     * Ends a hold, or cancels a booking (through the gateway for an end-to-end vendor; listeners
     * then get the RS-SAS-RDV {@code UpdateAppointment}/{@code cancelled}). The slot becomes free
     * again, or GONE if its vendor stopped listing it meanwhile. Releasing twice is one release
     * ({@link ReleaseResult#repeated()}). Any thread.
     *
     * @throws JournalException       the journal cannot be written (nothing changed)
     * @throws BookingClosedException after {@link #close()}
     */
    public ReleaseResult release(final HoldToken token) {
        Objects.requireNonNull(token, "token");
        open();
        try {
            return releaseNow(token);
        } catch (final StoreRefusedException e) {
            return refuseRelease(token, storeRefused(token, e), e.getMessage());
        }
    }

    private ReleaseResult releaseNow(final HoldToken token) {
        final Claim c = byToken.get(token);
        if (c == null) {
            return refuseRelease(token, Refusal.UNKNOWN_TOKEN, null);
        }
        final String reference;
        AppointmentMessage cancelMessage = null;
        synchronized (c) {
            if (!awaitIdle(c)) {
                return refuseRelease(token, Refusal.VENDOR_UNAVAILABLE, "interrupted while waiting for the vendor");
            }
            final Instant now = now();
            switch (c.phase) {
                case ENDED:
                    if (c.endedAs == Refusal.RELEASED) {
                        return ReleaseResult.released(token, c.booking != null, true);
                    }
                    return refuseRelease(token, c.endedAs, null);
                case HELD:
                    if (c.inDoubt) {
                        // Releasing could free a slot the vendor booked under this token.
                        return refuseRelease(token, Refusal.VENDOR_UNAVAILABLE, "a confirmation of this hold reached "
                            + "the vendor without a recorded answer: confirm again (same token) to learn its outcome");
                    }
                    if (expired(c, now)) {
                        end(c, new BookingRecord.Expire(c.token, now), Refusal.EXPIRED, now);
                        return refuseRelease(token, Refusal.EXPIRED, null);
                    }
                    end(c, new BookingRecord.Release(c.token, now, false), Refusal.RELEASED, now);
                    return ReleaseResult.released(token, false, false);
                default:
                    break; // BOOKED
            }
            if (c.facts.method() == BookingMethod.ONLINE) {
                reference = c.booking.vendorReference();
                if (!c.cancelInDoubt) {
                    // Before the vendor hears of it: a crash after it cancelled must not leave a
                    // booking here that the vendor no longer has (a slot lost, the LRM never told).
                    append(new BookingRecord.Cancelling(c.token, now));
                    c.cancelInDoubt = true;
                }
                c.phase = Claim.Phase.BUSY;
            } else {
                cancelMessage = cancelled(c);
                end(c, new BookingRecord.Release(c.token, now, false, outbox.wrap(cancelMessage, caseId(c), now)),
                    Refusal.RELEASED, now);
                reference = null;
            }
        }
        if (reference == null) {
            tell(cancelMessage);
            return ReleaseResult.released(token, true, false);
        }
        final VendorCalls.Answer answer = vendorCalls.cancel(c, reference);
        final BookingGateway.Response response = answer.response();
        synchronized (c) {
            try {
                if (!answer.answered()) {
                    return refuseRelease(token, Refusal.VENDOR_UNAVAILABLE, answer.failure());
                }
                if (!response.accepted()) {
                    // The vendor keeps the booking: say so in the journal, so no restart cancels it again.
                    append(new BookingRecord.Confirm(c.token, now(), reference));
                    c.cancelInDoubt = false;
                    return refuseRelease(token, Refusal.VENDOR_REFUSED, response.reason());
                }
                final Instant now = now();
                cancelMessage = cancelled(c);
                end(c, new BookingRecord.Release(c.token, now, false, outbox.wrap(cancelMessage, caseId(c), now)),
                    Refusal.RELEASED, now);
                c.cancelInDoubt = false;
            } finally {
                if (c.phase == Claim.Phase.BUSY) {
                    c.phase = Claim.Phase.BOOKED; // the cancellation did not happen: the booking stands
                }
                c.notifyAll();
            }
        }
        tell(cancelMessage);
        return ReleaseResult.released(token, true, false);
    }

    /** The RS-SAS-RDV cancellation of a released booking (its {@code created} stays the booking time). */
    private static AppointmentMessage cancelled(final Claim c) {
        final Booking b;
        synchronized (c) {
            b = c.booking;
        }
        return AppointmentMessage.of(AppointmentMessage.Kind.CANCELLED, c.token, c.facts, c.operator, b.bookedAt());
    }

    /**
     * Ends a standing claim: journal first, then the index record back to FREE (or GONE), then the
     * identity freed. Caller holds the monitor.
     */
    private void end(final Claim c, final BookingRecord why, final Refusal endedAs, final Instant now) {
        try {
            append(why);
        } catch (final StoreRefusedException e) {
            if (!(why instanceof BookingRecord.Expire && e.answer().outcome() == BookingStore.Outcome.EXPIRED)) {
                throw e;
            }
            // The store had ended it by its clock already: the same end.
        }
        if (!config.readOnly()) {
            // A read-only replay ends run-out holds in memory only, at every start: not an event.
            audit.append(Audits.of(why instanceof BookingRecord.Expire ? AuditEvent.Type.EXPIRE
                : AuditEvent.Type.RELEASE, c, now));
        }
        final OutboxMessage m = BookingRecord.messageOf(why);
        if (m != null) {
            outbox.added(m, c.operator.id());
        }
        ended(c, endedAs, now);
    }

    /** The local half of an end, once the store has it: the slot freed here. Caller holds the monitor. */
    private void ended(final Claim c, final Refusal endedAs, final Instant now) {
        binding.unplace(c);
        c.phase = Claim.Phase.ENDED;
        c.endedAs = endedAs;
        c.endedAt = now;
        bySlot.remove(c.facts.slot(), c);
        if (endedAs == Refusal.EXPIRED) {
            expiries.increment();
        } else if (endedAs == Refusal.RELEASED) {
            releases.increment();
            if (c.booking != null) {
                cancellations.increment();
            }
        }
    }

    /** An outcome another process recorded: the case's exclusions here follow it. */
    void outcomeElsewhere(final BookingRecord.OutcomeRecord r) {
        outcomes.replayed(r);
    }

    /**
     * A hold of this process that the store ended by its clock (another process's sweep, or the
     * store's refusal of a confirm or release as {@link BookingStore.Outcome#EXPIRED}): ended here
     * too, without a write. A hold in doubt or a booking is left alone (the store never expires them).
     */
    void endedByStore(final Claim c) {
        synchronized (c) {
            if (c.phase == Claim.Phase.HELD && !c.inDoubt) {
                final Instant now = now();
                audit.append(Audits.of(AuditEvent.Type.EXPIRE, c, now));
                ended(c, Refusal.EXPIRED, now);
            }
        }
    }

    /** Waits while a vendor call is in flight on the claim; {@code false} if interrupted. Caller holds the monitor. */
    private static boolean awaitIdle(final Claim c) {
        while (c.phase == Claim.Phase.BUSY) {
            try {
                c.wait();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    // =====================================================================================
    // Expiry, reconcile
    // =====================================================================================

    /**
     * Ends every hold whose time to live has passed (journaled, slot freed), forgets ended holds
     * and past bookings older than the retention, and compacts the journal when it has grown.
     * The facade's timer calls it; a host may call it too. Any thread.
     *
     * @return holds expired by this call. Sweeps running at once share the work: each hold that
     *         ran out is ended, and counted, by exactly one of them, so their counts add up but
     *         one sweep's count is not a snapshot (BookingLincheckTest checks it with one sweeper)
     * @throws JournalException the journal cannot be written
     */
    public int expireHolds() {
        if (closed) {
            return 0;
        }
        final Instant now = now();
        final int nowMinute = Minutes.floor(now);
        int expired = 0;
        for (final Claim c : bySlot.values()) {
            if (c.foreign) {
                // Another process's: run out by the shared clock, or a past booking. Forgotten
                // here only (the store ends it, and says so); the store refuses a hold while it stands.
                if ((c.phase == Claim.Phase.HELD && expired(c, now)) || c.facts.slot().startMinute() < nowMinute - 60 * 24) {
                    foreign.drop(c);
                }
                continue;
            }
            final Instant expiresAt = c.expiresAt; // null while a hold is being made: look under its monitor
            if (expiresAt != null && expiresAt.isAfter(now)) {
                continue;
            }
            synchronized (c) {
                if (c.phase == Claim.Phase.HELD && !c.inDoubt && expired(c, now)) {
                    try {
                        end(c, new BookingRecord.Expire(c.token, now), Refusal.EXPIRED, now);
                        expired++;
                    } catch (final StoreRefusedException e) {
                        // The store is out of reach: the hold stays refused to others; the next sweep ends it.
                    }
                }
            }
        }
        resolveInDoubt();
        final Instant forgetBefore = now.minus(config.retention());
        final int horizon = Minutes.floor(forgetBefore);
        for (final Claim c : byToken.values()) {
            synchronized (c) {
                if (c.phase == Claim.Phase.ENDED && c.endedAt.isBefore(forgetBefore)) {
                    byToken.remove(c.token, c);
                } else if (c.phase == Claim.Phase.BOOKED && c.facts.endMinute() < horizon) {
                    // Long past: nobody can hold it any more; the journal drops it at compaction.
                    byToken.remove(c.token, c);
                    bySlot.remove(c.facts.slot(), c);
                    binding.forget(c);
                }
            }
        }
        store.sweep(horizon, config.compactAboveBytes());
        return expired;
    }

    /**
     * Asks the vendor again, with the same idempotency key, about every hold whose confirmation
     * reached it without a recorded answer (a crash or a vendor timeout): an acceptance makes the
     * booking (journaled, and the RS-SAS-RDV message sent, since the LRM never had it), a refusal
     * ends the hold, no answer leaves it in doubt for the next call. Likewise a booking whose
     * cancellation reached the vendor without a recorded answer is cancelled again (same
     * reference): an acceptance releases it (message sent), a refusal keeps it. Holds in doubt
     * never expire, so a slot the vendor may have booked is never given to someone else. The
     * facade calls this once listeners are registered at start, and the sweep
     * ({@link #expireHolds()}) calls it. Any thread; one vendor call per claim in doubt, on the
     * calling thread (the timer's, for the sweep). Nothing in read-only mode.
     *
     * @return claims in doubt that got an answer (accepted or refused)
     */
    public int resolveInDoubt() {
        if (closed || config.readOnly()) {
            return 0;
        }
        int resolved = 0;
        for (final Claim c : byToken.values()) {
            final boolean confirming;
            synchronized (c) {
                confirming = c.phase == Claim.Phase.HELD && c.inDoubt;
                if (!confirming && !(c.phase == Claim.Phase.BOOKED && c.cancelInDoubt)) {
                    continue;
                }
            }
            try {
                if (confirming) {
                    final ConfirmResult r = confirm(c.token);
                    if (r.isBooked() || r.refusal() == Refusal.VENDOR_REFUSED) {
                        resolved++;
                    }
                } else {
                    final ReleaseResult r = release(c.token);
                    if (r.released() || r.refusal() == Refusal.VENDOR_REFUSED) {
                        resolved++;
                    }
                }
            } catch (final JournalException | StoreRefusedException e) {
                // Told to the journal failure listeners already; the hold stays in doubt.
            }
        }
        return resolved;
    }

    /**
     * Re-applies HELD/BOOKED to the index records of standing holds and bookings that the index
     * did not show: after a restart, as the feeds are ingested again. The facade calls it after
     * every ingest, under its writer lock. Between the ingest publishing a record and this call a
     * search may propose the slot; a hold on it is still refused ({@link Refusal#ALREADY_HELD} /
     * {@link Refusal#ALREADY_BOOKED}). Any thread; cost proportional to the unplaced claims.
     *
     * @return claims placed by this call
     */
    public int reconcile() {
        return binding.reconcile();
    }


    // =====================================================================================
    // Replay
    // =====================================================================================

    private void replay(final BookingRecord r, final long offset) {
        outbox.replayed(r);
        if (r instanceof BookingRecord.OutcomeRecord) {
            outcomes.replayed((BookingRecord.OutcomeRecord) r);
            return;
        }
        claims.replayed(r, offset, this::journalFile);
    }

    private java.nio.file.Path journalFile() {
        return config.journalDir().resolve(Journal.FILE);
    }

    // =====================================================================================
    // Reading
    // =====================================================================================

    /** Standing bookings, in no particular order (e.g. to resync the LRM at start). Any thread. */
    public List<Booking> bookings() {
        return claims.bookings();
    }

    /** The standing booking of a slot, or {@code null}. Any thread. */
    public Booking booking(final SlotId slot) {
        return claims.booking(slot);
    }

    /**
     * The token of a slot's standing hold or booking when operator {@code operatorId} holds it,
     * else {@code null}: how a client that kept no token (a command line, one process per command)
     * releases what it holds. Gives no more than {@link #booking(SlotId)} does. Any thread.
     */
    public HoldToken tokenHeldBy(final SlotId slot, final String operatorId) {
        Objects.requireNonNull(operatorId, "operatorId");
        return claims.tokenHeldBy(slot, operatorId);
    }

    /** The outbox of messages for the LRM (what a delivery loop drains). Any thread. */
    public Outbox outbox() {
        return outbox;
    }

    /**
     * Told the RPPS of each practitioner who took a patient by an accepted outcome of a doctor's
     * row (the fairness counts' "taken"; bookings reach the listeners instead); set by the facade.
     */
    public void onTaken(final java.util.function.LongConsumer taken) {
        outcomes.onTaken(Objects.requireNonNull(taken, "taken"));
    }

    /**
     * Whether this service's outbox is drained here (enabled, not read-only, and a delivery loop
     * set by {@link #onMessage}): only then does a shared store give it the messages of a host
     * gone silent.
     */
    boolean deliversMessages() {
        return outbox.delivers();
    }

    /**
     * Messages a shared store has made this host's, from a host gone silent (the store's thread,
     * after the service opened): pending here from now on, each audited as queued, and the
     * delivery loop woken. The store moved them durably first, so a crash now leaves them to this
     * host's next start (or, if it never comes back, to another host).
     */
    void adoptedMessages(final List<OutboxMessage> messages) {
        if (!outbox.delivers()) {
            return; // the store asks deliversMessages() first; a message here would never leave
        }
        for (final OutboxMessage m : messages) {
            outbox.added(m, null);
        }
    }

    /** Called when a message enters the outbox (the delivery loop's wake-up); set by the facade. */
    public void onMessage(final Runnable wake) {
        outbox.onAdded(Objects.requireNonNull(wake, "wake"));
    }

    /** The messages pending, as their journal holds them (read-only mode included). Any thread. */
    public List<OutboxMessage> pendingMessages() {
        return outbox.pending();
    }

    /**
     * Every message the journal holds, acknowledged or not, when the service is read-only (what
     * a reader beside the owner lists); the pending ones otherwise. Any thread.
     */
    public List<OutboxMessage> journaledMessages() {
        return outbox.journaled();
    }

    /**
     * RPPS of the practitioners that declined the case or that its patient refused, or that belong
     * to a structure that did: what {@link fr.creneau.rank.RegulatorQuery#exclude} takes for the
     * case's next search. A copy; any thread.
     */
    public long[] excludedFor(final String caseId) {
        return outcomes.excludedFor(caseId);
    }

    /**
     * Adds {@link #excludedFor(String) the case's exclusions} to {@code query}: allocation-free in
     * steady state (the expansion of declined structures is rebuilt only after a new refusal or a
     * directory change), for the search path. Any thread (the query belongs to the caller).
     */
    public void excludeInto(final String caseId, final fr.creneau.rank.RegulatorQuery query) {
        outcomes.excludeInto(caseId, query);
    }

    /**
     * Records what came of a row shown for a case, or of a booking ({@link Outcome#FULFILLED},
     * {@link Outcome#NO_SHOW}: then an RS-SAS-RDV {@code UpdateAppointment} in the outbox, in the
     * same journal record). Declined and refused rows are left out of the case's next searches.
     * Any thread.
     *
     * @throws JournalException       the journal cannot be written (nothing recorded)
     * @throws BookingClosedException after {@link #close()}
     */
    public OutcomeResult outcome(final String caseId, final RowRef row, final Outcome result, final Operator operator) {
        CaseRef.checkId(caseId);
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(operator, "operator");
        open();
        try {
            return outcomes.record(caseId, row, result, operator);
        } catch (final StoreRefusedException e) {
            return OutcomeResult.refused(OutcomeResult.Refusal.STORE_UNAVAILABLE, e.getMessage());
        }
    }

    /** What the journal held at start. Any thread. */
    public ReplayReport replayReport() {
        return replayReport;
    }

    /** The settings. Any thread. */
    public BookingConfig config() {
        return config;
    }

    /** Counters and content. Any thread; see {@link BookingStats} on consistency. */
    public BookingStats stats() {
        final Map<Refusal, Long> byReason = new EnumMap<>(Refusal.class);
        for (final Refusal r : Refusal.values()) {
            byReason.put(r, refusals[r.ordinal()].sum());
        }
        int standingHolds = 0;
        int standingBookings = 0;
        for (final Claim c : bySlot.values()) {
            synchronized (c) {
                if (c.standing() && !c.foreign) {
                    if (c.booking != null) {
                        standingBookings++;
                    } else {
                        standingHolds++;
                    }
                }
            }
        }
        return new BookingStats(holds.sum(), retriedHolds.sum(), confirms.sum(), repeatedConfirms.sum(),
            releases.sum(), cancellations.sum(), expiries.sum(), byReason, listenerFailures.sum(), standingHolds,
            standingBookings, binding.unplacedCount(), store.appends(), store.forces(), store.size(),
            store.compactions(), store.writeFailures(), store.stopped(), outbox.pendingCount());
    }

    /**
     * Closes the journal and releases its directory lock. Later holds, confirms and releases throw
     * {@link BookingClosedException}. Any thread; idempotent.
     */
    @Override
    public void close() {
        closed = true;
        store.close();
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    private void open() {
        if (closed) {
            throw new BookingClosedException();
        }
        if (config.readOnly()) {
            throw new JournalException(config.journalDir(), "the booking journal is open read-only: holds, "
                + "confirmations and releases need its owner (BookingConfig.readOnly)");
        }
    }

    /** Counts and tells a journal write failure: once per failure, from the thread that met it. */
    private void journalFailed(final JournalWriteException failure) {
        for (final JournalFailureListener l : failureListeners) {
            try {
                l.onJournalFailure(failure);
            } catch (final RuntimeException e) {
                listenerFailures.increment();
            }
        }
    }

    /**
     * Makes {@code r} durable in the store before the change takes effect.
     *
     * @throws StoreRefusedException the store did not record it (unreachable, or the hold ran out
     *                               by its clock): the change did not happen
     * @throws JournalException      the journal cannot be written
     */
    void append(final BookingRecord r) {
        final BookingStore.Answer a = store.write(r);
        if (!a.done()) {
            throw new StoreRefusedException(a);
        }
    }

    /** The store, for the outbox and the tests. */
    BookingStore store() {
        return store;
    }

    /** What the index and the directory say of a slot now, or {@code null} when it is not listed (for {@link Outcomes}). */
    SlotFacts slotFacts(final SlotId slot) {
        final int source = slot.sourceId(vendors);
        if (source < 0) {
            return null;
        }
        final SlotId key = SlotId.of(vendors, source, slot.rpps(), slot.startMinute());
        final int practitioner = directory().indexOf(key.rpps());
        final int record = practitioner < 0 ? SlotDescriptor.NIL : index.findSlot(practitioner, source, key.startMinute());
        return record == SlotDescriptor.NIL ? null : facts(key, source, record);
    }

    /** The claim on a slot's identity, or {@code null} (for {@link Outcomes}). */
    Claim claimOf(final SlotId slot) {
        return claims.onSlot(slot);
    }

    Directory directory() {
        return index.cells().directory();
    }

    /** Milliseconds: what the journal stores, so a booking reads the same after a restart. */
    Instant now() {
        // Checked here, where every hold, confirm, release and expiry reads it: minutes and
        // expiries past the supported range would overflow.
        return SupportedTime.check(clock.instant(), "the clock's instant").truncatedTo(ChronoUnit.MILLIS);
    }

    private static boolean expired(final Claim c, final Instant now) {
        return !now.isBefore(c.expiresAt);
    }

    void tell(final AppointmentMessage m) {
        if (m == null) {
            return;
        }
        for (final AppointmentListener l : listeners) {
            try {
                l.onAppointment(m);
            } catch (final RuntimeException e) {
                listenerFailures.increment();
            }
        }
    }

    private HoldResult refuseHold(final SlotId slot, final Refusal r) {
        refusals[r.ordinal()].increment();
        return HoldResult.refused(slot, r);
    }

    private ConfirmResult refuseConfirm(final HoldToken token, final Refusal r, final String detail) {
        refusals[r.ordinal()].increment();
        return ConfirmResult.refused(token, r, detail);
    }

    private ReleaseResult refuseRelease(final HoldToken token, final Refusal r, final String detail) {
        refusals[r.ordinal()].increment();
        return ReleaseResult.refused(token, r, detail);
    }
}
