package fr.creneau;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import fr.creneau.booking.AppointmentListener;
import fr.creneau.booking.AppointmentResult;
import fr.creneau.booking.AppointmentStatus;
import fr.creneau.booking.Operator;
import fr.creneau.slot.Minutes;
import fr.creneau.slot.SlotId;
import fr.creneau.booking.BookingConfig;
import fr.creneau.booking.BookingGateway;
import fr.creneau.booking.BookingService;
import fr.creneau.booking.FsyncPolicy;
import fr.creneau.booking.JournalFailureListener;
import fr.creneau.directory.Directory;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.FeedFormatException;
import fr.creneau.feed.DirectoryLoader;
import fr.creneau.feed.BookingUrls;
import fr.creneau.feed.FhirAppointmentParser;
import fr.creneau.feed.FhirBundleParser;
import fr.creneau.feed.IngestConfig;
import fr.creneau.feed.IngestReport;
import fr.creneau.feed.Ingestor;
import fr.creneau.feed.NativeFeedParser;
import fr.creneau.feed.ParsedFeed;
import fr.creneau.feed.Rejection;
import fr.creneau.feed.RawSlot;
import fr.creneau.slot.IndexStats;
import fr.creneau.slot.IndexView;
import fr.creneau.index.SlotIndex;
import fr.creneau.audit.AuditEvent;
import fr.creneau.audit.AuditLog;
import fr.creneau.audit.DailyAuditLog;
import fr.creneau.booking.CaseRef;
import fr.creneau.booking.outbox.HubEnvelope;
import fr.creneau.booking.outbox.MessageSink;
import fr.creneau.booking.outbox.OutboxDelivery;
import fr.creneau.booking.AppointmentMessage;
import fr.creneau.rank.Exposure;
import fr.creneau.rank.ProtocolConfig;
import fr.creneau.rank.RankingConfig;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.RingTables;
import fr.creneau.rank.SearchResults;
import fr.creneau.rank.Searcher;
import fr.creneau.slot.SupportedTime;
import fr.creneau.slot.TimeOutOfRangeException;

/**
 * The facade a host application (the LRM) embeds: ingest the directory and the slot feeds, search
 * for a patient, read the stats.
 *
 * <pre>{@code
 * try (Creneau creneau = Creneau.builder().build()) {           // national vendor list, system clock
 *     creneau.loadDirectory(Path.of("data/practitioners.json"));
 *     creneau.ingestVendorFeed(Path.of("data/feeds/doctolib.json"));
 *     creneau.ingestManual(Path.of("data/manual/sas-agenda.json"));
 *
 *     RegulatorQuery query = new RegulatorQuery();               // reuse both per thread:
 *     SearchResults results = new SearchResults();               // searching allocates nothing
 *     query.reset().patient(48.8566, 2.3522).now(Instant.now())
 *          .modality(Modality.OFFICE).medecinTraitant(10000000017L).limit(5);
 *     int rows = creneau.search(query, results);
 *     for (int i = 0; i < rows; i++) {
 *         System.out.printf("%d %s %s %.1f km %s %s%n", i + 1, results.kind(i), results.name(i),
 *             results.distanceKm(i), results.start(i), results.booking(i));
 *     }
 * }
 * }</pre>
 *
 * <p>Booking goes through {@link #bookings()}: hold a row's slot, confirm, release. With
 * {@link Builder#journal(Path)} every booking survives a restart (see
 * {@link fr.creneau.booking.BookingService} and {@code docs/booking.md}).
 *
 * <p><b>Thread-safety.</b> Ingest methods ({@code loadDirectory}, {@code ingest*}, {@code advance})
 * may be called from any thread; they are serialised by one lock (the index has a single writer)
 * and never block searches. {@link #search} may be called from any number of threads at once: each
 * thread gets its own {@link Searcher} (thread-local), and it is lock-free. {@link #stats()} may be
 * called from any thread. {@link #bookings()} may be called from any thread and its service is
 * thread-safe. {@link #close()} stops the expiry timer and closes the booking journal (releasing
 * its directory lock); searches after it still work, bookings do not.
 *
 * <p><b>Time.</b> The clock, a query's "now" and slot ids must lie in {@link SupportedTime}'s range
 * (2020-01-02 to 2100-01-01): {@link Builder#build() building}, every ingest, {@link #advance()} and every
 * hold, confirm or release check the clock, and throw {@link TimeOutOfRangeException} (nothing
 * changes) when it is outside.
 */
public final class Creneau implements AutoCloseable {
    /** The {@code origin} parameter added to deep links by default. */
    public static final String DEFAULT_BOOKING_ORIGIN = "sas";
    private final VendorRegistry vendors;
    private final Clock clock;
    private final RankingConfig rankingConfig;
    private final ProtocolConfig protocolConfig;
    private final SlotIndex index;
    private final Ingestor ingestor;
    private final DirectoryLoader directoryLoader;
    private final fr.creneau.feed.AnnuaireSanteLoader nationalLoader;
    private final NativeFeedParser nativeParser;
    private final FhirBundleParser fhirParser;
    private final FhirAppointmentParser appointmentParser = new FhirAppointmentParser();
    /** Deep links of vendor slots beside the index (which keeps no strings); the ingestor's sink. */
    private final BookingUrls bookingUrls;
    private final ReentrantLock writer = new ReentrantLock();
    private final CopyOnWriteArrayList<IngestListener> listeners = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Searcher> searchers;
    /** Ring tables shared by every searcher of this instance (thread-safe, allocation-free hits). */
    private final RingTables rings;
    /** Rows shown and bookings made per practitioner: the fairness rotation's input (approximate, lock-free). */
    private final Exposure exposure = new Exposure();
    private final Duration exposureHalfLife;
    /** When the exposure counts are next halved (this instance's clock); guarded by the writer lock. */
    private Instant nextHalving;
    private final ScheduledExecutorService timer;
    private final BookingService bookings;
    /** Every change and every search made for a case; {@link AuditLog#NONE} without an audit directory. */
    private final AuditLog audit;
    /** Drains the outbox to the host's sink; {@code null} without one (messages wait in the journal). */
    private final OutboxDelivery delivery;
    private static final System.Logger LOG = System.getLogger(Creneau.class.getName());
    private final LongAdder timerFailures = new LongAdder();
    private final String bookingOrigin;
    private volatile Throwable lastTimerFailure;

    /**
     * @throws fr.creneau.booking.JournalLockedException  the journal directory has another owner
     * @throws fr.creneau.booking.JournalCorruptException the journal has a damaged record
     * @throws fr.creneau.booking.JournalException        the journal cannot be read or written
     */
    private Creneau(final Builder b) {
        // Before anything opens: a clock outside the supported range would make every ingest,
        // expiry and hold fail later, or worse, index out of bounds.
        SupportedTime.check(b.clock.instant(), "the clock's instant");
        this.vendors = b.vendors;
        this.clock = b.clock;
        this.exposureHalfLife = b.exposureHalfLife;
        this.nextHalving = b.clock.instant().plus(b.exposureHalfLife);
        this.rankingConfig = b.rankingConfig;
        this.bookingOrigin = b.bookingOrigin;
        this.protocolConfig = b.protocolConfig;
        final Directory empty = Directory.builder().build();
        this.index = new SlotIndex(empty, clock);
        this.bookingUrls = new BookingUrls(index);
        this.ingestor = new Ingestor(empty, vendors, b.ingestConfig, clock, bookingUrls);
        this.directoryLoader = new DirectoryLoader(vendors, b.ingestConfig);
        this.nationalLoader = new fr.creneau.feed.AnnuaireSanteLoader(vendors, b.ingestConfig);
        this.nativeParser = new NativeFeedParser(b.ingestConfig);
        this.fhirParser = new FhirBundleParser(b.ingestConfig);
        this.rings = new RingTables(rankingConfig.ringCacheEntries(), rankingConfig.ringTableRadiusKm());
        this.searchers = ThreadLocal.withInitial(this::newSearcher);
        if (b.listener != null) {
            listeners.add(b.listener);
        }
        // Before the timer: a journal that cannot be opened leaves no thread behind.
        this.audit = b.auditDir == null ? AuditLog.NONE : DailyAuditLog.open(b.auditDir, b.auditRetention, true);
        try {
            this.bookings = BookingService.open(index, vendors, clock, b.bookingConfig, b.gateway,
                b.messageSink != null || b.outbox ? b.hub : null, audit, b.bookingStore);
        } catch (final RuntimeException e) {
            audit.close();
            throw e;
        }
        // Taken: a booking confirmed (the fairness counters; not on the query path).
        bookings.addListener(m -> {
            if (m.kind() == AppointmentMessage.Kind.CREATED) {
                exposure.taken(directory(), m.rpps());
            }
        });
        bookings.onTaken(rpps -> exposure.taken(directory(), rpps));
        bookings.bookingUrls(bookingUrls, b.bookingOrigin);
        if (b.appointmentListener != null) {
            bookings.addListener(b.appointmentListener);
        }
        if (b.journalFailureListener != null) {
            bookings.addJournalFailureListener(b.journalFailureListener);
        }
        // Listeners first: a booking the vendor made before a crash is news to the LRM too.
        try {
            bookings.resolveInDoubt();
        } catch (final RuntimeException e) {
            bookings.close(); // no journal lock left behind by a failed build
            audit.close();
            throw e;
        }
        if (b.messageSink != null && !b.bookingConfig.readOnly()) {
            // After replay: the loop starts with every message a crash left pending.
            delivery = new OutboxDelivery(bookings.outbox(), b.messageSink, b.deliveryBackoff,
                b.deliveryBackoff.multipliedBy(300));
            bookings.onMessage(delivery::wake);
        } else {
            delivery = null;
        }
        if (b.expiryTimer) {
            // Gives the memory of past hours back even when no feed arrives for a while.
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                final Thread t = new Thread(r, "creneau-expiry");
                t.setDaemon(true);
                return t;
            });
            // A task that throws is never run again: both catch everything so that one failure
            // cannot stop the expiry of past buckets, and report it (counted, logged; a journal
            // failure also reaches the journal failure listeners) rather than swallow it.
            timer.scheduleAtFixedRate(() -> reporting("advance", this::advance), 1, 1, TimeUnit.MINUTES);
            // Holds last minutes: sweep them more often than buckets, so an expired hold's slot
            // is proposed again within seconds.
            final long sweep = b.sweepPeriod.toMillis();
            timer.scheduleAtFixedRate(() -> reporting("expireHolds", bookings::expireHolds), sweep, sweep,
                TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds a listener for ingest reports. Any thread. */
    public void addListener(final IngestListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Loads (or reloads) {@code practitioners.json}, and {@code structures.json} beside it when
     * there is one (its report goes to the listeners after this one's). On a reload practitioners keep their index;
     * those who left, or now refuse vendor display, lose their vendor slots at once.
     *
     * @throws fr.creneau.feed.FeedFormatException when the file cannot be read as a directory;
     *                                             nothing changes then
     */
    public IngestReport loadDirectory(final Path file) {
        checkClock();
        writer.lock();
        try {
            final DirectoryLoader.Result result = directoryLoader.load(file, ingestor.directory());
            index.updateDirectory(result.directory());
            ingestor.updateDirectory(result.directory());
            bookings.reconcile();
            final IngestReport report = publish(result.report());
            if (result.structures() != null) {
                publish(result.structures()); // told to the listeners after the practitioners' report
            }
            return report;
        } finally {
            writer.unlock();
        }
    }

    /**
     * Loads (or reloads) the directory from the national health directory (the ANS "Annuaire
     * Santé" in FHIR) and the SAS overlay beside it, instead of {@code practitioners.json}: see
     * {@link fr.creneau.feed.AnnuaireSanteLoader}. As {@link #loadDirectory(Path)}, practitioners
     * keep their index on a reload; both reports go to the listeners.
     *
     * @param overlay the SAS overlay, or {@code null}: then nobody is registered with the SAS
     * @throws fr.creneau.feed.FeedFormatException when either file cannot be read; nothing changes then
     */
    public fr.creneau.feed.AnnuaireSanteLoader.Result loadNationalDirectory(final Path national, final Path overlay) {
        checkClock();
        writer.lock();
        try {
            final fr.creneau.feed.AnnuaireSanteLoader.Result result =
                nationalLoader.load(national, overlay, ingestor.directory());
            index.updateDirectory(result.directory());
            ingestor.updateDirectory(result.directory());
            bookings.reconcile();
            publish(result.report());
            publish(result.overlay());
            return result;
        } finally {
            writer.unlock();
        }
    }

    /**
     * Applies a vendor snapshot in the native format.
     *
     * @throws fr.creneau.feed.FeedFormatException          unreadable file: nothing changes
     * @throws fr.creneau.directory.UnknownVendorException  vendor not registered: nothing changes
     * @throws fr.creneau.feed.StaleSnapshotException       older than the one applied: nothing changes
     * @throws fr.creneau.feed.FutureSnapshotException      dated beyond the clock's skew allowance: nothing changes
     * @throws fr.creneau.feed.IntegrationMismatchException declares another integration level
     */
    public IngestReport ingestVendorFeed(final Path file) {
        return applyVendor(nativeParser.parseVendorFeed(file));
    }

    /** As {@link #ingestVendorFeed(Path)}, from a stream (not closed). */
    public IngestReport ingestVendorFeed(final String label, final InputStream in) {
        return applyVendor(nativeParser.parseVendorFeed(label, in));
    }

    /** Applies a vendor's FHIR R4 searchset Bundle as its snapshot (same errors as the native feed). */
    public IngestReport ingestFhirBundle(final String vendor, final String label, final InputStream in) {
        return applyVendor(fhirParser.parse(label, vendor, in));
    }

    /**
     * Applies a vendor's answer to a search for some of its practitioners (the live pull asks 25
     * at a time): replaces exactly the slots of {@code practitionersAsked} from that vendor by
     * those the answer gives; every other practitioner keeps theirs; held and booked slots
     * survive. See {@link Ingestor#applyVendorBatch}.
     *
     * @param practitionersAsked the RPPS the search named
     * @param requestedAt        when the search was sent: the answer's time when the Bundle has
     *                           none ({@link FhirBundleParser#parse(String, String, InputStream, Instant)})
     * @param pages              the Bundle pages in order, each but the last with a {@code next}
     *                           link (not closed); all are read before anything is applied
     * @throws FeedFormatException a page is not a readable searchset, a page but the last has no
     *                             {@code next} link or the last has one: nothing changes
     * @throws fr.creneau.feed.StaleSnapshotException a practitioner asked has a newer answer applied
     */
    public IngestReport ingestFhirBatch(final String vendor, final Collection<Long> practitionersAsked,
                                        final String label, final Instant requestedAt,
                                        final List<? extends InputStream> pages) {
        Objects.requireNonNull(pages, "pages");
        if (pages.isEmpty()) {
            throw new FeedFormatException(label, "no page");
        }
        final List<ParsedFeed> parsed = new ArrayList<>(pages.size());
        for (int i = 0; i < pages.size(); i++) {
            final String pageLabel = pages.size() == 1 ? label : label + " page " + (i + 1);
            final FhirBundleParser.Page page = fhirParser.parsePage(pageLabel, vendor, pages.get(i), requestedAt);
            final boolean last = i == pages.size() - 1;
            if (last != (page.next() == null)) {
                throw new FeedFormatException(pageLabel, last
                    ? "the last page given has a 'next' link: the answer is incomplete"
                    : "a page before the last has no 'next' link");
            }
            parsed.add(page.feed());
        }
        return ingestVendorBatch(mergePages(label, parsed), practitionersAsked);
    }

    /** As {@link #ingestFhirBatch(String, Collection, String, Instant, List)}, for a one-page answer. */
    public IngestReport ingestFhirBatch(final String vendor, final Collection<Long> practitionersAsked,
                                        final String label, final InputStream in) {
        return ingestFhirBatch(vendor, practitionersAsked, label, null, List.of(in));
    }

    /**
     * Applies an already parsed answer to a batched search (the puller parses the pages as they
     * arrive, to follow their {@code next} links); see {@link Ingestor#applyVendorBatch}.
     */
    public IngestReport ingestVendorBatch(final ParsedFeed feed, final Collection<Long> practitionersAsked) {
        checkClock();
        writer.lock();
        try {
            final IngestReport report = ingestor.applyVendorBatch(feed, practitionersAsked);
            bookings.reconcile();
            return publish(report);
        } finally {
            writer.unlock();
        }
    }

    /**
     * The pages of one search as one answer: their slots and rejections in page order, dated by
     * the first page (the vendor began answering then; a later page's time says nothing newer
     * about the first page's slots).
     */
    public static ParsedFeed mergePages(final String label, final List<ParsedFeed> pages) {
        if (pages.size() == 1) {
            return pages.get(0);
        }
        final List<RawSlot> slots = new ArrayList<>();
        final List<Rejection> rejected = new ArrayList<>();
        for (final ParsedFeed p : pages) {
            slots.addAll(p.slots());
            rejected.addAll(p.rejected());
        }
        final ParsedFeed first = pages.get(0);
        return new ParsedFeed(label, first.vendor(), first.generatedAt(), slots, rejected, first.declared());
    }

    /**
     * When the answer now applied for that practitioner of that vendor was produced (by its last
     * batch, or the vendor's last whole snapshot), or {@code null}. Any thread (takes the ingest lock).
     */
    public Instant lastAnswer(final String vendor, final long rpps) {
        writer.lock();
        try {
            final Directory directory = ingestor.directory();
            final int index = directory.indexOf(rpps);
            final fr.creneau.directory.Vendor v = vendors.find(vendor);
            return index < 0 || v == null ? null : ingestor.lastAnswer(v, index);
        } finally {
            writer.unlock();
        }
    }

    /**
     * The freshness bound of the live pull: removes the vendor slots of practitioners refreshed by
     * batches ({@link #ingestVendorBatch}) whose last answer is older than {@code maxAge} (the
     * puller calls it after every cycle, 30 minutes by default); see
     * {@link Ingestor#expireStaleAnswers}. Held and booked slots survive.
     *
     * @return practitioner/vendor pairs whose slots were removed
     */
    public int expireStaleAnswers(final Duration maxAge) {
        checkClock();
        writer.lock();
        try {
            return ingestor.expireStaleAnswers(maxAge);
        } finally {
            writer.unlock();
        }
    }

    /**
     * Makes the index forget one vendor slot its vendor no longer lists (the live pull's check at
     * hold asked about that slot alone): a free slot is no longer proposed; a held or booked one
     * goes when its hold ends. The next answer that lists it brings it back. Any thread (takes
     * the ingest lock).
     *
     * @return {@code true} when a free slot went
     */
    public boolean forgetVendorSlot(final SlotId slot) {
        Objects.requireNonNull(slot, "slot");
        final int source = slot.sourceId(vendors);
        if (source <= 0) {
            return false;
        }
        checkClock();
        writer.lock();
        try {
            final int practitioner = ingestor.directory().indexOf(slot.rpps());
            return practitioner >= 0 && index.forget(practitioner, source, slot.startMinute());
        } finally {
            writer.unlock();
        }
    }

    /**
     * The deep link of a row's slot: the URL its vendor gave ({@code Slot.comment}, the
     * practitioner's agenda) with the platform's {@code origin} parameter
     * ({@link Builder#bookingOrigin}), or {@code null} (a manual slot, a row without slot, a
     * vendor that gave none). A lookup in a side table, outside the search: call it for the rows
     * shown. Any thread; allocates (the string with its parameter).
     */
    public String bookingUrl(final SearchResults results, final int row) {
        if (!results.hasSlot(row) || results.source(row) == SlotId.MANUAL_SOURCE) {
            return null;
        }
        return BookingUrls.withOrigin(bookingUrls.url(results.source(row), results.practitioner(row),
            results.startMinute(row)), bookingOrigin);
    }

    /**
     * When the vendor's answer in force for a row's slot was produced (the last successful answer
     * for that vendor and practitioner: {@link #lastAnswer}), or {@code null} for a manual slot
     * or a row without slot. Any thread; takes the ingest lock, so it waits for an ingest in
     * progress (the answers' times live in the writer's own state).
     */
    public Instant asOf(final SearchResults results, final int row) {
        if (!results.hasSlot(row) || results.source(row) == SlotId.MANUAL_SOURCE) {
            return null;
        }
        final fr.creneau.directory.Vendor v = vendors.byId(results.source(row));
        if (v == null) {
            return null;
        }
        writer.lock();
        try {
            return ingestor.lastAnswer(v, results.practitioner(row));
        } finally {
            writer.unlock();
        }
    }

    /** The deep-link table (its size and heap, for monitoring). Any thread. */
    public BookingUrls bookingUrls() {
        return bookingUrls;
    }

    /**
     * Applies an Appointment a vendor reports (the guide's flux INT_R03, profile FrAppointmentSAS):
     * finds the slot by (vendor, RPPS, start) and books it ({@code booked}: the matching hold is
     * confirmed, else the free slot becomes BOOKED for the Appointment's operator), or frees it
     * ({@code cancelled}); the RS-SAS-RDV message goes to the {@link AppointmentListener}s. An
     * Appointment that matches no slot is {@link AppointmentResult.Outcome#NO_MATCHING_SLOT},
     * counted by {@link BookingService#appointments}. See {@link BookingService#vendorReported}.
     *
     * @param vendor the vendor that sent it (FHIR carries no vendor identity the SAS could trust)
     * @throws FeedFormatException                          not a readable FrAppointmentSAS: nothing changes
     * @throws fr.creneau.directory.UnknownVendorException  vendor not registered: nothing changes
     * @throws fr.creneau.booking.JournalException          the journal cannot be written: nothing changes
     */
    public AppointmentResult ingestAppointment(final String vendor, final String label, final InputStream in) {
        return applyAppointment(vendor, appointmentParser.parse(label, in));
    }

    /** As {@link #ingestAppointment(String, String, InputStream)}, from a file (not followed if a link). */
    public AppointmentResult ingestAppointment(final String vendor, final Path file) {
        return applyAppointment(vendor, appointmentParser.parse(file));
    }

    private AppointmentResult applyAppointment(final String vendor, final FhirAppointmentParser.ParsedAppointment a) {
        checkClock();
        SupportedTime.check(a.start(), "the appointment's start");
        final fr.creneau.directory.Vendor v = vendors.require(vendor);
        final SlotId slot = SlotId.of(vendors, v.id(), a.rpps(), Minutes.floor(a.start()));
        final Operator operator = new Operator(a.operatorId(), a.operatorDisplay(), "", "");
        return bookings.vendorReported(slot, AppointmentStatus.of(a.status()), operator, a.appointmentId());
    }

    /** Applies a manual-slot file: replaces the manual slots of the practitioners it lists. */
    public IngestReport ingestManual(final Path file) {
        checkClock();
        final ParsedFeed feed = nativeParser.parseManual(file);
        writer.lock();
        try {
            final IngestReport report = ingestor.applyManual(feed);
            bookings.reconcile(); // slots held or booked before a restart show as such again
            return publish(report);
        } finally {
            writer.unlock();
        }
    }

    private IngestReport applyVendor(final ParsedFeed feed) {
        checkClock();
        writer.lock();
        try {
            final IngestReport report = ingestor.applyVendorSnapshot(feed);
            bookings.reconcile(); // slots held or booked before a restart show as such again
            return publish(report);
        } finally {
            writer.unlock();
        }
    }

    /**
     * The ingest window and the expiry start from the clock's "now": outside the supported range
     * the index's minutes would be negative or overflow. Nothing has changed when this throws.
     */
    private void checkClock() {
        SupportedTime.check(clock.instant(), "the clock's instant");
    }

    private IngestReport publish(final IngestReport report) {
        for (final IngestListener l : listeners) {
            l.onReport(report);
        }
        return report;
    }

    /**
     * Expires the buckets the clock has passed, then the holds whose time to live ran out (outside
     * the ingest lock); the expiry timer calls it every minute. Any thread.
     *
     * @return buckets expired
     * @throws fr.creneau.booking.JournalException the journal cannot record an expiry
     */
    public int advance() {
        checkClock();
        final int buckets;
        writer.lock();
        try {
            buckets = index.advance();
            ageExposure();
        } finally {
            writer.unlock();
        }
        bookings.expireHolds();
        return buckets;
    }

    /**
     * Halves the exposure counts once per {@link Builder#exposureHalfLife} passed on this
     * instance's clock since it was built (several times after a long pause, at most 32: every
     * count is 0 by then). Under the writer lock, so two callers halve once.
     */
    private void ageExposure() {
        final Instant now = clock.instant();
        if (now.isBefore(nextHalving)) {
            return;
        }
        final long halvings = Duration.between(nextHalving, now).dividedBy(exposureHalfLife) + 1;
        nextHalving = nextHalving.plus(exposureHalfLife.multipliedBy(halvings));
        for (long i = 0; i < Math.min(halvings, 32); i++) {
            exposure.halve();
        }
    }

    /** Runs a timer task; a failure is counted, kept and logged, and the timer goes on. Timer thread. */
    private void reporting(final String task, final Runnable body) {
        try {
            body.run();
        } catch (final RuntimeException | Error e) {
            timerFailures.increment();
            lastTimerFailure = e;
            LOG.log(System.Logger.Level.ERROR, "creneau expiry timer: " + task + " failed: " + e, e);
            if (e instanceof VirtualMachineError) {
                throw e; // out of memory and the like: nothing sensible left to do here
            }
        }
    }

    /** Failures of the expiry timer's tasks since start (each logged through {@link System.Logger}). Any thread. */
    public long timerFailures() {
        return timerFailures.sum();
    }

    /** The last failure of the expiry timer, or {@code null}. Any thread. */
    public Throwable lastTimerFailure() {
        return lastTimerFailure;
    }

    /**
     * The booking service: hold, confirm, release, counters. Any thread; the service is thread-safe.
     */
    public BookingService bookings() {
        return bookings;
    }

    /**
     * Runs a regulator query with the calling thread's searcher. Any thread, lock-free; allocates
     * nothing once the thread's searcher is warm.
     */
    public int search(final RegulatorQuery query, final SearchResults results) {
        return searchers.get().search(query, results);
    }

    /** A searcher of one's own (for a host that manages its threads); not thread-safe. */
    public Searcher newSearcher() {
        return new Searcher(index, vendors, rankingConfig, rings, exposure, protocolConfig);
    }

    /** The directory queries resolve against. Any thread. */
    public Directory directory() {
        return index.cells().directory();
    }

    public VendorRegistry vendors() {
        return vendors;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * The slot index, read-only (for advanced hosts: cursors, a slot's state). Feeds go through
     * the ingest methods, whose lock keeps the index to one writer; state changes through
     * {@link #bookings()}, which journals them. Any thread.
     */
    public IndexView index() {
        return index.view();
    }

    /** The writer itself, for the engine's own tests (package-private: not host API). */
    SlotIndex slotIndex() {
        return index;
    }

    /** Memory and content of the index. Any thread. */
    public IndexStats stats() {
        return index.stats();
    }

    /** Stops the timer, then closes the booking journal and releases its lock. Any thread; idempotent. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (delivery != null) {
            delivery.close(); // a delivery in flight finishes (and is acknowledged) first
        }
        bookings.close();
        audit.close();
    }

    /**
     * Records that an operator was shown the rows of {@code results} for the LRM's case
     * {@code caseId}: a SEARCH line in the audit log (what "cases searched" and "time from first
     * search to booking" count) with the rows' practitioners. Call it once per search an operator
     * actually saw. Any thread; allocates (it is not on the query path).
     */
    public void recordSearch(final String caseId, final String operatorId, final SearchResults results) {
        CaseRef.checkId(caseId);
        final List<Long> rows = new java.util.ArrayList<>(results.size());
        final Directory directory = directory();
        for (int i = 0; i < results.size(); i++) {
            rows.add(results.rpps(i));
            exposure.proposed(directory, results.rpps(i)); // shown to an operator: one turn had
        }
        audit.append(AuditEvent.of(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
            AuditEvent.Type.SEARCH, caseId, operatorId).proposed(rows));
    }

    /**
     * {@link #search} for the LRM's case {@code caseId}: the practitioners and structures that
     * declined the case, or that its patient refused, are added to the query's exclusions first
     * ({@link BookingService#excludeInto}). Allocation-free in steady state, like {@link #search}
     * (the case id is not checked here: an unknown one simply has no exclusions).
     */
    public int search(final RegulatorQuery query, final String caseId, final SearchResults results) {
        bookings.excludeInto(caseId, query);
        return search(query, results);
    }

    /**
     * The per-practitioner counts the fairness rotation reads: {@link #recordSearch} counts the
     * rows shown, a confirmed booking counts as taken. A host may seed them (e.g. a command-line
     * process from the audit log's recent SEARCH lines). Any thread; see {@link Exposure} on races.
     */
    public Exposure exposure() {
        return exposure;
    }

    /** The audit log (the indicators read it back from its directory). Any thread. */
    public AuditLog audit() {
        return audit;
    }

    /** Not thread-safe; build once. */
    public static final class Builder {
        private VendorRegistry vendors = VendorRegistry.defaults();
        private Clock clock = Clock.systemUTC();
        private IngestConfig ingestConfig = IngestConfig.DEFAULTS;
        private RankingConfig rankingConfig = RankingConfig.DEFAULTS;
        private ProtocolConfig protocolConfig = ProtocolConfig.DEFAULTS;
        private IngestListener listener;
        private boolean expiryTimer = true;
        /** How often the timer sweeps expired holds (tests shorten it). */
        Duration sweepPeriod = Duration.ofSeconds(10);
        private BookingConfig bookingConfig = BookingConfig.DEFAULTS;
        private fr.creneau.booking.BookingStore.Opener bookingStore;
        private BookingGateway gateway = BookingGateway.unavailable();
        private AppointmentListener appointmentListener;
        private JournalFailureListener journalFailureListener;
        private String bookingOrigin = DEFAULT_BOOKING_ORIGIN;
        private Path auditDir;
        private Duration auditRetention = Duration.ofDays(400);
        private HubEnvelope hub = HubEnvelope.DEFAULT;
        private MessageSink messageSink;
        private Duration deliveryBackoff = Duration.ofSeconds(1);
        private boolean outbox;
        private Duration exposureHalfLife = Duration.ofDays(7);

        private Builder() {
        }

        /**
         * How long the fairness counts take to halve ({@link Exposure#halve}, checked at each
         * {@link Creneau#advance}, every minute with the expiry timer; default 7 days, the span of
         * audit the command line seeds them from): a doctor's turns count less as they age, so
         * the rotation follows recent exposure.
         */
        public Builder exposureHalfLife(final Duration halfLife) {
            if (halfLife.isNegative() || halfLife.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("exposureHalfLife must be at least a minute, got " + halfLife);
            }
            this.exposureHalfLife = halfLife;
            return this;
        }

        /**
         * The value of the {@code origin} query parameter added to vendors' deep links (default
         * {@value Creneau#DEFAULT_BOOKING_ORIGIN}), so the vendor knows the booking comes through
         * the SAS; {@code null} or empty: the URL as the vendor gave it.
         */
        public Builder bookingOrigin(final String origin) {
            if (origin != null && !origin.matches("[A-Za-z0-9._~-]{0,64}")) {
                throw new IllegalArgumentException("bookingOrigin must be 0-64 of A-Za-z0-9._~-: " + origin);
            }
            this.bookingOrigin = origin;
            return this;
        }

        /** Vendors and their integration levels (default: {@link VendorRegistry#defaults()}). */
        public Builder vendors(final VendorRegistry vendors) {
            this.vendors = Objects.requireNonNull(vendors, "vendors");
            return this;
        }

        /** The clock that decides "now" for ingestion and expiry (default: system UTC). */
        public Builder clock(final Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder ingestConfig(final IngestConfig config) {
            this.ingestConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        public Builder rankingConfig(final RankingConfig config) {
            this.rankingConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The local rules of the protocol (participants first, hours, radii, PDSA). */
        public Builder protocolConfig(final ProtocolConfig config) {
            this.protocolConfig = Objects.requireNonNull(config, "protocolConfig");
            return this;
        }

        public Builder listener(final IngestListener listener) {
            this.listener = listener;
            return this;
        }

        /** Whether a daemon thread expires past buckets every minute (default on; off for a fixed clock). */
        public Builder expiryTimer(final boolean on) {
            this.expiryTimer = on;
            return this;
        }

        /**
         * Directory of the booking journal (created if absent; one owner at a time). Without it,
         * bookings live in memory only and a restart forgets them.
         */
        public Builder journal(final Path dir) {
            this.bookingConfig = bookingConfig.withJournal(Objects.requireNonNull(dir, "dir"));
            return this;
        }

        /** When journal appends reach the device (default {@link FsyncPolicy#GROUP}). */
        public Builder fsync(final FsyncPolicy policy) {
            this.bookingConfig = bookingConfig.withFsync(policy);
            return this;
        }

        /** Default time to live of a hold (default 5 minutes). */
        public Builder holdTtl(final Duration ttl) {
            this.bookingConfig = bookingConfig.withHoldTtl(ttl);
            return this;
        }

        /** All booking settings at once (replaces journal, fsync and TTL set before). */
        /**
         * Keeps holds, bookings, outcomes and messages in {@code store} instead of the journal
         * ({@code null}: the journal, the default): e.g. the PostgreSQL store of module
         * {@code creneau-store-postgres}, shared by several hosts. See
         * {@link BookingService#open(SlotIndex, VendorRegistry, Clock, BookingConfig, BookingGateway,
         * fr.creneau.booking.outbox.HubEnvelope, AuditLog, fr.creneau.booking.BookingStore.Opener)}.
         */
        public Builder bookingStore(final fr.creneau.booking.BookingStore.Opener store) {
            this.bookingStore = store;
            return this;
        }

        public Builder bookingConfig(final BookingConfig config) {
            this.bookingConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Books and cancels at end-to-end vendors (default: none, ONLINE slots cannot be confirmed;
         * {@link fr.creneau.booking.RecordingBookingGateway} is the reference implementation).
         */
        public Builder bookingGateway(final BookingGateway gateway) {
            this.gateway = Objects.requireNonNull(gateway, "gateway");
            return this;
        }

        /**
         * How long {@link #build()} waits for another owner of the journal directory to let it go
         * (default zero: {@link fr.creneau.booking.JournalLockedException} at once).
         */
        public Builder journalLockWait(final Duration wait) {
            this.bookingConfig = bookingConfig.withLockWait(wait);
            return this;
        }

        /**
         * Replays the journal without its lock and without writing (a process that only searches
         * next to the journal's owner): booked and held slots are hidden, but holds, confirmations
         * and releases throw. Default off.
         */
        public Builder readOnlyJournal(final boolean on) {
            this.bookingConfig = bookingConfig.withReadOnly(on);
            return this;
        }

        /** Told of every journal write or force failure (see {@link JournalFailureListener}). */
        public Builder journalFailureListener(final JournalFailureListener listener) {
            this.journalFailureListener = listener;
            return this;
        }

        /**
         * Directory of the audit log (one file a day, Europe/Paris; see {@link DailyAuditLog}),
         * files older than {@code retention} deleted as days go by. Without it nothing is audited.
         */
        public Builder audit(final Path dir, final Duration retention) {
            this.auditDir = Objects.requireNonNull(dir, "dir");
            this.auditRetention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * Keeps an outbox without a sink here (default off; on with {@link #messageSink}): each
         * message waits in the journal until acknowledged through {@link BookingService#outbox()},
         * e.g. by another process reading {@code creneau messages}.
         */
        public Builder outbox(final boolean on) {
            this.outbox = on;
            return this;
        }

        /** How the outbox's messages are addressed on the Hub Santé (default {@link HubEnvelope#DEFAULT}). */
        public Builder hub(final HubEnvelope envelope) {
            this.hub = Objects.requireNonNull(envelope, "envelope");
            return this;
        }

        /**
         * Where the outbox delivers (see {@link MessageSink}): a loop thread hands it every message
         * until acknowledged, retrying after {@code backoff}, doubled per attempt up to 300 times
         * it. Without a sink messages wait in the journal ({@link BookingService#pendingMessages()}).
         */
        public Builder messageSink(final MessageSink sink, final Duration backoff) {
            this.messageSink = Objects.requireNonNull(sink, "sink");
            this.deliveryBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** Receives the RS-SAS-RDV message of each booking confirmed or cancelled. */
        public Builder appointmentListener(final AppointmentListener listener) {
            this.appointmentListener = listener;
            return this;
        }

        /**
         * @throws fr.creneau.booking.JournalLockedException  the journal directory has another owner
         * @throws fr.creneau.booking.JournalCorruptException the journal has a damaged record
         * @throws fr.creneau.booking.JournalException        the journal cannot be read or written
         */
        public Creneau build() {
            return new Creneau(this);
        }
    }
}
