package fr.creneau.pull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;

import javax.net.ssl.SSLException;

import org.HdrHistogram.ConcurrentHistogram;

import fr.creneau.Creneau;
import fr.creneau.booking.HoldCheck;
import fr.creneau.slot.Minutes;
import fr.creneau.slot.SlotId;
import fr.creneau.directory.Practitioner;
import fr.creneau.error.CreneauException;
import fr.creneau.feed.FeedFormatException;
import fr.creneau.feed.FhirBundleParser;
import fr.creneau.feed.IngestConfig;
import fr.creneau.feed.IngestReport;
import fr.creneau.feed.ParsedFeed;
import fr.creneau.feed.RejectReason;

/**
 * Pulls the vendors' FHIR servers ahead of the query, as the ANS guide's slot search (flux
 * INT_R01) specifies it, and applies each answer to a {@link Creneau} as a per-batch snapshot
 * ({@link Creneau#ingestVendorBatch}).
 *
 * <p>For each vendor: the directory's practitioners of that vendor (who do not refuse display,
 * in the endpoint's départements when it names some), sorted by RPPS, in batches of
 * {@code idsPerRequest}; per batch one
 * {@code GET [base]/Slot?_include=Slot:schedule&_include:iterate=Schedule:actor&start=ge{now}&start=le{now+48h}&schedule.actor:Practitioner.identifier=urn:oid:1.2.250.1.71.4.2.1|8{RPPS},…&status=free}
 * with {@code Accept: application/json+fhir}, following {@code Bundle.link} {@code next} (on the
 * same server only: the client certificate is never shown to another) until the last page; then
 * the pages are applied together. An OperationOutcome, an HTTP error, a timeout (the whole answer
 * must arrive within {@code timeoutMs}) or a malformed Bundle fails that batch: counted by
 * {@link FailureKind}, told to the listener, nothing indexed changes.
 *
 * <p><b>One slow vendor never delays the others</b>: each vendor has its own cycle thread, its
 * own HTTP client and executor, its own limit of requests in flight ({@code maxInFlight}, a
 * semaphore its cycle thread waits on) and its own {@link CircuitBreaker}. The only thing
 * vendors share is the facade's ingest lock, held for the few milliseconds an apply takes.
 *
 * <p>Thread-safety: {@link #pullOnce}, {@link #start} and {@link #close} may be called from any
 * thread; {@code pullOnce} runs each vendor's cycle on that vendor's thread, so it never overlaps
 * the periodic cycle of the same vendor.
 */
public final class Puller implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Puller.class.getName());
    /** IDNPS: the national identifier of health professionals, RPPS prefixed with {@code 8}. */
    static final String IDNPS = "urn:oid:1.2.250.1.71.4.2.1";
    static final String ACCEPT = "application/json+fhir";
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ISO_INSTANT;
    /** The freshness bound: slots of an answer older than this are not proposed. */
    public static final Duration DEFAULT_FRESHNESS = Duration.ofMinutes(30);
    /** The check at hold's bound: an answer older than this is asked again before a hold. */
    public static final Duration DEFAULT_CHECK_AT_HOLD = Duration.ofSeconds(60);

    private final Creneau creneau;
    private final Clock clock;
    private final PullListener listener;
    private final Function<Practitioner, String> departementOf;
    private final FhirBundleParser parser;
    private final long maxAnswerBytes;
    private final int maxPages;
    private final Duration freshness;
    private final Map<String, VendorPull> vendors = new LinkedHashMap<>();
    /** The same, by vendor code (a slot id's source), for the check at hold. */
    private final Map<String, VendorPull> byCode = new LinkedHashMap<>();
    private final Duration checkAfter;
    private final HoldCheck holdCheck = this::checkAtHold;
    private volatile boolean started;

    private Puller(final Builder b) {
        this.creneau = b.creneau;
        this.clock = creneau.clock();
        this.listener = b.listener;
        this.departementOf = b.departementOf;
        this.maxAnswerBytes = b.maxAnswerBytes;
        this.maxPages = b.maxPages;
        this.freshness = b.freshness;
        this.parser = new FhirBundleParser(IngestConfig.DEFAULTS.withMaxFeedBytes(b.maxAnswerBytes));
        for (final Endpoint e : b.endpoints) {
            if (!e.departements().isEmpty() && departementOf == null) {
                throw new IllegalArgumentException(e.vendor().displayName()
                    + " names départements: give Builder.departementOf to place practitioners");
            }
            final VendorPull v = new VendorPull(e, b);
            vendors.put(e.vendor().displayName(), v);
            byCode.put(e.vendor().code(), v);
        }
        this.checkAfter = b.checkAfter;
        if (b.checkAtHold) {
            creneau.bookings().holdCheck(holdCheck);
        }
    }

    public static Builder builder(final Creneau creneau) {
        return new Builder(creneau);
    }

    /**
     * Runs one cycle of every vendor at once, each on its own thread, and waits for all.
     *
     * @return each vendor's report, in the endpoints' order
     */
    public Map<String, VendorReport> pullOnce() {
        final Map<String, CompletableFuture<VendorReport>> running = new LinkedHashMap<>();
        for (final VendorPull v : vendors.values()) {
            running.put(v.name, CompletableFuture.supplyAsync(v::cycle, v.cycleThread));
        }
        final Map<String, VendorReport> reports = new LinkedHashMap<>();
        running.forEach((name, f) -> reports.put(name, f.join()));
        return reports;
    }

    /**
     * Starts every vendor's periodic cycle: the first at once, then each {@code refreshSeconds}
     * after the previous one ended. Idempotent.
     */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        for (final VendorPull v : vendors.values()) {
            v.cycleThread.scheduleWithFixedDelay(() -> {
                try {
                    v.cycle();
                } catch (final RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "pull cycle of " + v.name + " failed: " + e, e);
                }
            }, 0, v.endpoint.refresh().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** That vendor's counters since the puller was built, or {@code null} when it has no endpoint. Any thread. */
    public VendorStats stats(final String vendor) {
        final VendorPull v = vendors.get(vendor);
        if (v == null) {
            return null;
        }
        final long success = v.lastSuccess.get();
        return new VendorStats(v.name, v.requests.sum(), v.answered.sum(), v.failed.sum(),
            success == Long.MIN_VALUE ? null : Instant.ofEpochMilli(success), v.breaker.consecutiveFailures(),
            v.breaker.state(), v.breaker.timesOpened(), percentile(v.latency, 50), percentile(v.latency, 99));
    }

    /**
     * The check at hold ({@link HoldCheck}), which the puller registers with the booking service
     * when built: a slot of a vendor it pulls whose practitioner's last answer is older than
     * {@link Builder#checkAtHold(Duration)} (60 s by default) is asked again, alone, through
     * that vendor's client, breaker and latency histogram (not its {@code maxInFlight}: an
     * operator waits, a cycle does not). Not listed free any more: the index forgets it and the
     * hold is refused {@code GONE}. The vendor cannot be asked (timeout, connection, HTTP error,
     * OperationOutcome, malformed answer, breaker open): {@link HoldCheck.Outcome#UNREACHABLE},
     * told to the listener as a {@link PullFailure}, and the hold goes ahead on the answer in
     * force, which is within the freshness bound. Any thread; blocks up to the vendor's timeout.
     */
    public HoldCheck.Outcome checkAtHold(final SlotId slot) {
        final VendorPull v = byCode.get(slot.source());
        if (v == null || v.closed) {
            return HoldCheck.Outcome.NOT_CHECKED;
        }
        final Instant last = creneau.lastAnswer(v.name, slot.rpps());
        if (last != null && !last.isBefore(clock.instant().minus(checkAfter))) {
            return HoldCheck.Outcome.FRESH;
        }
        return v.check(slot);
    }

    /** The breaker of that vendor (by display name), or {@code null} when it has no endpoint. */
    public CircuitBreaker breaker(final String vendor) {
        final VendorPull v = vendors.get(vendor);
        return v == null ? null : v.breaker;
    }

    /** Stops every cycle and request (those in flight are abandoned: their answers are not applied). */
    @Override
    public void close() {
        if (creneau.bookings().holdCheck() == holdCheck) {
            creneau.bookings().holdCheck(null);
        }
        for (final VendorPull v : vendors.values()) {
            v.closed = true;
            v.cycleThread.shutdownNow();
            v.httpExecutor.shutdownNow();
            closeClient(v.client);
        }
    }

    /**
     * Ends the client's connections and selector thread where the JDK can: {@code shutdownNow()}
     * exists from Java 21 (not {@code close()}, which waits for requests in flight, up to a slow
     * vendor's timeout). On 17 they end when the client is collected, its executor being shut down
     * already. Reflection on the public API method, so this compiles for 17.
     */
    private static void closeClient(final HttpClient client) {
        try {
            HttpClient.class.getMethod("shutdownNow").invoke(client);
        } catch (final NoSuchMethodException before21) {
            // Java 17-20: nothing to call
        } catch (final ReflectiveOperationException | RuntimeException e) {
            // closing anyway: nothing of this vendor is used after close()
        }
    }

    /** The guide's search for those practitioners from {@code now} to 48 h later. */
    static URI searchUri(final URI base, final List<Long> rpps, final Instant now) {
        final Instant from = now.truncatedTo(ChronoUnit.SECONDS);
        return searchUri(base, rpps, from, from.plus(IngestConfig.MAX));
    }

    /** The search that endpoint serves ({@link SearchKind}) for those ids (RPPS, or SIRETs) from {@code now} to 48 h later. */
    static URI searchUri(final Endpoint endpoint, final List<Long> ids, final Instant now) {
        final Instant from = now.truncatedTo(ChronoUnit.SECONDS);
        final Instant to = from.plus(IngestConfig.MAX);
        switch (endpoint.search()) {
            case CPTS:
                return URI.create(searchUri(endpoint.baseUrl(), ids, from, to).toString().replace(
                    "_include:iterate=Schedule:actor&",
                    "_include:iterate=Schedule:actor&" + CPTS_INCLUDES + "&"));
            case SOS_MEDECINS:
                return sosUri(endpoint.baseUrl(), ids, from, to);
            default:
                return searchUri(endpoint.baseUrl(), ids, from, to);
        }
    }

    /** The CPTS variant's includes (the guide's CPTS consumer CapabilityStatement). */
    static final String CPTS_INCLUDES = "_include=Slot:service-type-reference&_include:iterate=HealthcareService:organization";
    /** IDNST, the national identifier of structures: SIRET prefixed with {@code 3}. */
    static final String IDNST = "urn:oid:1.2.250.1.71.4.2.2";

    /** The SOS Médecins variant: the associations' Schedules by SIRET, their free Slots revincluded. */
    static URI sosUri(final URI base, final List<Long> sirets, final Instant from, final Instant to) {
        final StringBuilder q = new StringBuilder(base.toString()).append("/Schedule?")
            .append("_revinclude=Slot:schedule&_include=Schedule:actor:Location&_include:iterate=Location:organization")
            .append("&_has:Slot:schedule:start=ge").append(INSTANT.format(from.truncatedTo(ChronoUnit.SECONDS)))
            .append("&_has:Slot:schedule:start=le").append(INSTANT.format(to.truncatedTo(ChronoUnit.SECONDS)))
            .append("&_has:Slot:schedule:status=free")
            .append("&actor:Location.organization.identifier=");
        for (int i = 0; i < sirets.size(); i++) {
            q.append(i == 0 ? "" : ",").append(IDNST).append("%7C3").append(String.format("%014d", sirets.get(i)));
        }
        return URI.create(q.toString());
    }

    /** The guide's search for those practitioners' slots starting from {@code from} to {@code to}, both included. */
    static URI searchUri(final URI base, final List<Long> rpps, final Instant from, final Instant to) {
        final StringBuilder q = new StringBuilder(base.toString()).append("/Slot?")
            .append("_include=Slot:schedule&_include:iterate=Schedule:actor")
            .append("&start=ge").append(INSTANT.format(from.truncatedTo(ChronoUnit.SECONDS)))
            .append("&start=le").append(INSTANT.format(to.truncatedTo(ChronoUnit.SECONDS)))
            .append("&schedule.actor:Practitioner.identifier=");
        for (int i = 0; i < rpps.size(); i++) {
            // '|' is not allowed raw in a URI: percent-encoded, as in the guide's own self links.
            q.append(i == 0 ? "" : ",").append(IDNPS).append("%7C8").append(fr.creneau.directory.Rpps.format(rpps.get(i)));
        }
        q.append("&status=free");
        return URI.create(q.toString());
    }

    // ------------------------------------------------------------------------------------------

    /** A batch failed: why, in one line. */
    private static final class BatchFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final FailureKind kind;

        BatchFailed(final FailureKind kind, final String detail) {
            super(detail, null, false, false);
            this.kind = kind;
        }
    }

    /** What one vendor's cycle counts; batches complete on the HTTP threads, hence synchronized. */
    private static final class Cycle {
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        final Map<RejectReason, Integer> rejected = Collections.synchronizedMap(new EnumMap<>(RejectReason.class));
        final Map<FailureKind, Integer> failures = Collections.synchronizedMap(new EnumMap<>(FailureKind.class));
        /** This cycle's request latencies, in microseconds (see {@link #newLatencyHistogram}). */
        final ConcurrentHistogram latency = newLatencyHistogram();

        void fail(final FailureKind k) {
            failures.merge(k, 1, Integer::sum);
        }

        void applied(final IngestReport r) {
            answered.incrementAndGet();
            accepted.addAndGet(r.accepted());
            for (final RejectReason reason : RejectReason.values()) {
                final int n = r.rejected(reason);
                if (n > 0) {
                    rejected.merge(reason, n, Integer::sum);
                }
            }
        }
    }

    /** One vendor: its endpoint, client, threads, limit and breaker. */
    private final class VendorPull {
        final Endpoint endpoint;
        final String name;
        final HttpClient client;
        final ExecutorService httpExecutor;
        final ScheduledExecutorService cycleThread;
        final Semaphore inFlight;
        final CircuitBreaker breaker;
        /** Totals since start, for {@link #stats}; the per-cycle counts are in {@link Cycle}. */
        final java.util.concurrent.atomic.LongAdder requests = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder answered = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder failed = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.AtomicLong lastSuccess = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
        /** Every request's latency since start, in microseconds, recorded from the HTTP threads. */
        final ConcurrentHistogram latency = newLatencyHistogram();
        volatile boolean closed;

        VendorPull(final Endpoint e, final Builder b) {
            this.endpoint = e;
            this.name = e.vendor().displayName();
            this.httpExecutor = Executors.newFixedThreadPool(e.maxInFlight() + 1, daemon("creneau-pull-" + e.vendor().code()));
            this.cycleThread = Executors.newSingleThreadScheduledExecutor(daemon("creneau-pull-cycle-" + e.vendor().code()));
            final HttpClient.Builder hb = HttpClient.newBuilder()
                // HTTP/1.1: what vendors' FHIR servers and the guide's examples speak; no h2c upgrade dance.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(e.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(httpExecutor);
            if (e.sslContext() != null) {
                hb.sslContext(e.sslContext());
            }
            this.client = hb.build();
            this.inFlight = new Semaphore(e.maxInFlight());
            this.breaker = new CircuitBreaker(b.breakerThreshold, b.breakerOpenFor, b.nanoTime);
        }

        VendorReport cycle() {
            final long t0 = System.nanoTime();
            final Cycle c = new Cycle();
            final List<List<Long>> batches = batches();
            int practitioners = 0;
            final List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int i = 0; i < batches.size() && !closed; i++) {
                final List<Long> batch = batches.get(i);
                practitioners += batch.size();
                try {
                    inFlight.acquire();
                } catch (final InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (!breaker.tryAcquire()) {
                    inFlight.release();
                    c.fail(FailureKind.BREAKER_OPEN);
                    failed.increment();
                    tell(new PullFailure(name, batch, FailureKind.BREAKER_OPEN, "circuit breaker open"));
                    continue;
                }
                final CompletableFuture<Void> f;
                try {
                    f = batch(batch, i, c);
                } catch (final RuntimeException ex) {
                    inFlight.release();
                    breaker.onIgnored();
                    throw ex;
                }
                f.whenComplete((v, ex) -> inFlight.release());
                running.add(f);
            }
            for (final CompletableFuture<Void> f : running) {
                try {
                    f.join();
                } catch (final CompletionException | CancellationException ignored) {
                    // counted where it failed
                }
            }
            // A vendor down for longer than the bound: its practitioners' old answers stop being proposed.
            creneau.expireStaleAnswers(freshness);
            final VendorReport report = new VendorReport(name, c.requests.get(), batches.size(), c.answered.get(),
                practitioners, c.accepted.get(), c.rejected, c.failures,
                Duration.ofNanos(System.nanoTime() - t0), breaker.state(),
                percentile(c.latency, 50), percentile(c.latency, 99));
            try {
                listener.onCycle(report);
            } catch (final RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "pull listener failed: " + ex, ex);
            }
            return report;
        }

        /**
         * The cycle's batches: RPPS, or for {@link SearchKind#SOS_MEDECINS} the endpoint's SIRETs
         * (14 digits, held as numbers), {@code idsPerRequest} at a time.
         */
        private List<List<Long>> batches() {
            if (endpoint.search() == SearchKind.SOS_MEDECINS) {
                final List<Long> sirets = new ArrayList<>();
                for (final String siret : endpoint.sirets()) {
                    sirets.add(Long.parseLong(siret));
                }
                final List<List<Long>> out = new ArrayList<>();
                for (int i = 0; i < sirets.size(); i += endpoint.idsPerRequest()) {
                    out.add(List.copyOf(sirets.subList(i, Math.min(sirets.size(), i + endpoint.idsPerRequest()))));
                }
                return out;
            }
            final List<Long> rpps = new ArrayList<>();
            final String code = endpoint.vendor().code();
            for (final Practitioner p : creneau.directory().practitioners()) {
                if (p == null || !code.equals(p.vendor()) || p.refusesVendorSlots()) {
                    continue;
                }
                if (!endpoint.departements().isEmpty() && !endpoint.departements().contains(departementOf.apply(p))) {
                    continue;
                }
                rpps.add(p.rpps());
            }
            Collections.sort(rpps);
            final List<List<Long>> out = new ArrayList<>();
            for (int i = 0; i < rpps.size(); i += endpoint.idsPerRequest()) {
                out.add(List.copyOf(rpps.subList(i, Math.min(rpps.size(), i + endpoint.idsPerRequest()))));
            }
            return out;
        }

        private CompletableFuture<Void> batch(final List<Long> asked, final int index, final Cycle c) {
            final Instant requestedAt = clock.instant();
            final String label = name + " " + INSTANT.format(requestedAt) + " batch " + (index + 1);
            final List<byte[]> bodies = new ArrayList<>();
            final List<ParsedFeed> feeds = new ArrayList<>();
            return page(searchUri(endpoint, asked, requestedAt), label, requestedAt, bodies, feeds, c)
                .handle((v, ex) -> {
                    if (ex == null) {
                        breaker.onSuccess();
                        apply(asked, label, requestedAt, bodies, feeds, c);
                        return null;
                    }
                    final Throwable cause = unwrap(ex);
                    final BatchFailed failed = cause instanceof BatchFailed ? (BatchFailed) cause : classify(cause);
                    if (closed) {
                        breaker.onIgnored();
                        return null;
                    }
                    breaker.onFailure();
                    this.failed.increment();
                    c.fail(failed.kind);
                    tell(new PullFailure(name, asked, failed.kind, failed.getMessage()));
                    return null;
                });
        }

        private void apply(final List<Long> asked, final String label, final Instant requestedAt,
                           final List<byte[]> bodies, final List<ParsedFeed> feeds, final Cycle c) {
            if (closed) {
                return;
            }
            try {
                // An SOS Médecins answer asked for associations, not practitioners: it replaces no
                // practitioner's slots (its own have none, and are counted as rejected).
                final IngestReport report = creneau.ingestVendorBatch(Creneau.mergePages(label, feeds),
                    endpoint.search() == SearchKind.SOS_MEDECINS ? List.of() : asked);
                c.applied(report);
                answered.increment();
                lastSuccess.accumulateAndGet(clock.millis(), Math::max);
                final PulledAnswer answer = new PulledAnswer(name, asked, requestedAt, clock.instant(), bodies, report);
                try {
                    listener.onAnswer(answer);
                } catch (final RuntimeException ex) {
                    LOG.log(System.Logger.Level.WARNING, "pull listener failed: " + ex, ex);
                }
            } catch (final CreneauException | IllegalArgumentException ex) {
                // The vendor answered; we refused it (stale, from the future, clock out of range):
                // not the vendor's outage, so the breaker is not told.
                c.fail(FailureKind.REFUSED);
                failed.increment();
                tell(new PullFailure(name, asked, FailureKind.REFUSED, ex.getMessage()));
            }
        }

        private CompletableFuture<Void> page(final URI uri, final String label, final Instant requestedAt,
                                             final List<byte[]> bodies, final List<ParsedFeed> feeds, final Cycle c) {
            c.requests.incrementAndGet();
            requests.increment();
            final HttpRequest request = HttpRequest.newBuilder(uri).GET()
                .header("Accept", ACCEPT)
                .timeout(endpoint.timeout())
                .build();
            final long sentAt = System.nanoTime();
            final CompletableFuture<HttpResponse<byte[]>> send = client.sendAsync(request, BoundedBody.handler(maxAnswerBytes));
            // The request timeout stops at the headers; the whole answer must arrive in time, so the
            // exchange is also cancelled when the deadline passes mid-body.
            final CompletableFuture<HttpResponse<byte[]>> timed = send.copy()
                .orTimeout(endpoint.timeout().toMillis(), TimeUnit.MILLISECONDS);
            timed.whenComplete((r, ex) -> {
                if (ex != null) {
                    send.cancel(true);
                }
            });
            return timed.thenComposeAsync(response -> {
                // Whole answers only (an error status included): a timeout is counted as one, not timed.
                recordLatency(sentAt, c.latency, latency);
                final String pageLabel = feeds.isEmpty() ? label : label + " page " + (feeds.size() + 1);
                final byte[] body = response.body();
                if (response.statusCode() != 200) {
                    throw httpFailure(response.statusCode(), body, pageLabel, requestedAt);
                }
                final FhirBundleParser.Page page;
                try {
                    page = parser.parsePage(pageLabel, name, new ByteArrayInputStream(body), requestedAt);
                } catch (final FeedFormatException ex) {
                    throw new BatchFailed(isOperationOutcome(body) ? FailureKind.OPERATION_OUTCOME : FailureKind.MALFORMED,
                        ex.getMessage());
                }
                bodies.add(body);
                feeds.add(page.feed());
                if (page.next() == null) {
                    return CompletableFuture.completedFuture(null);
                }
                if (feeds.size() >= maxPages) {
                    throw new BatchFailed(FailureKind.MALFORMED, pageLabel + ": more than " + maxPages + " pages");
                }
                final URI next;
                try {
                    next = uri.resolve(page.next());
                } catch (final IllegalArgumentException ex) {
                    throw new BatchFailed(FailureKind.MALFORMED, pageLabel + ": link 'next' is not a URL");
                }
                if (!sameServer(endpoint.baseUrl(), next)) {
                    throw new BatchFailed(FailureKind.MALFORMED, pageLabel + ": link 'next' leaves the vendor's server: "
                        + next.getScheme() + "://" + next.getRawAuthority());
                }
                return page(next, label, requestedAt, bodies, feeds, c);
            }, httpExecutor);
        }

        /** Asks the vendor for that slot's practitioner in that slot's minute (see {@link Puller#checkAtHold}). */
        HoldCheck.Outcome check(final SlotId slot) {
            final List<Long> asked = List.of(slot.rpps());
            if (!breaker.tryAcquire()) {
                tell(new PullFailure(name, asked, FailureKind.BREAKER_OPEN, "check at hold of " + slot + ": circuit breaker open"));
                return HoldCheck.Outcome.UNREACHABLE;
            }
            final Instant start = Minutes.toInstant(slot.startMinute());
            final Instant requestedAt = clock.instant();
            final String label = name + " check at hold of " + slot;
            URI uri = searchUri(endpoint.baseUrl(), asked, start, start.plusSeconds(59));
            try {
                for (int pages = 1; ; pages++) {
                    requests.increment();
                    final HttpRequest request = HttpRequest.newBuilder(uri).GET()
                        .header("Accept", ACCEPT).timeout(endpoint.timeout()).build();
                    final long sentAt = System.nanoTime();
                    final CompletableFuture<HttpResponse<byte[]>> send =
                        client.sendAsync(request, BoundedBody.handler(maxAnswerBytes));
                    final HttpResponse<byte[]> response;
                    try {
                        response = send.get(endpoint.timeout().toMillis(), TimeUnit.MILLISECONDS);
                    } catch (final java.util.concurrent.ExecutionException ex) {
                        throw classify(unwrap(ex));
                    } catch (final TimeoutException ex) {
                        send.cancel(true);
                        throw new BatchFailed(FailureKind.TIMEOUT, "no whole answer in time");
                    } catch (final InterruptedException ex) {
                        send.cancel(true);
                        Thread.currentThread().interrupt();
                        throw new BatchFailed(FailureKind.TIMEOUT, "interrupted");
                    }
                    final long micros = Math.max(1, Math.min(MAX_LATENCY_MICROS, (System.nanoTime() - sentAt) / 1_000));
                    latency.recordValue(micros);
                    if (response.statusCode() != 200) {
                        throw httpFailure(response.statusCode(), response.body(), label, requestedAt);
                    }
                    final FhirBundleParser.Page page;
                    try {
                        page = parser.parsePage(label, name, new ByteArrayInputStream(response.body()), requestedAt);
                    } catch (final FeedFormatException ex) {
                        throw new BatchFailed(isOperationOutcome(response.body()) ? FailureKind.OPERATION_OUTCOME
                            : FailureKind.MALFORMED, ex.getMessage());
                    }
                    if (listsFree(page.feed(), slot)) {
                        breaker.onSuccess();
                        return HoldCheck.Outcome.STILL_FREE;
                    }
                    if (page.next() == null) {
                        break;
                    }
                    if (pages >= maxPages) {
                        throw new BatchFailed(FailureKind.MALFORMED, label + ": more than " + maxPages + " pages");
                    }
                    final URI next = uri.resolve(page.next());
                    if (!sameServer(endpoint.baseUrl(), next)) {
                        throw new BatchFailed(FailureKind.MALFORMED, label + ": link 'next' leaves the vendor's server");
                    }
                    uri = next;
                }
            } catch (final BatchFailed f) {
                if (closed) {
                    breaker.onIgnored();
                    return HoldCheck.Outcome.UNREACHABLE;
                }
                breaker.onFailure();
                tell(new PullFailure(name, asked, f.kind, f.getMessage()));
                return HoldCheck.Outcome.UNREACHABLE;
            } catch (final RuntimeException ex) {
                breaker.onIgnored();
                throw ex;
            }
            breaker.onSuccess();
            creneau.forgetVendorSlot(slot);
            return HoldCheck.Outcome.GONE;
        }

        private BatchFailed httpFailure(final int status, final byte[] body, final String label, final Instant requestedAt) {
            if (isOperationOutcome(body)) {
                String why;
                try {
                    parser.parsePage(label, name, new ByteArrayInputStream(body), requestedAt);
                    why = "";
                } catch (final FeedFormatException ex) {
                    why = ex.getMessage();
                }
                return new BatchFailed(FailureKind.OPERATION_OUTCOME, label + ": HTTP " + status + ", " + why);
            }
            return new BatchFailed(FailureKind.HTTP_ERROR, label + ": HTTP " + status);
        }

        private void tell(final PullFailure f) {
            try {
                listener.onFailure(f);
            } catch (final RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "pull listener failed: " + ex, ex);
            }
        }
    }

    /** {@code true} when the answer lists that slot free: same RPPS (prefix or not), same start minute, bookable. */
    private static boolean listsFree(final ParsedFeed feed, final SlotId slot) {
        final String rpps = fr.creneau.directory.Rpps.format(slot.rpps());
        for (final fr.creneau.feed.RawSlot s : feed.slots()) {
            if (!s.bookable() || !(rpps.equals(s.rpps()) || ("8" + rpps).equals(s.rpps()))) {
                continue;
            }
            final Instant start = startOf(s.start());
            if (start != null && Minutes.supported(start) && Minutes.floor(start) == slot.startMinute()) {
                return true;
            }
        }
        return false;
    }

    /** A slot's start as a vendor wrote it: with an offset, or local time in Europe/Paris. */
    private static Instant startOf(final String text) {
        if (text == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (final java.time.format.DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(text).atZone(java.time.ZoneId.of("Europe/Paris")).toInstant();
            } catch (final java.time.format.DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static boolean sameServer(final URI base, final URI next) {
        return base.getScheme().equalsIgnoreCase(String.valueOf(next.getScheme()))
            && base.getHost().equalsIgnoreCase(String.valueOf(next.getHost()))
            && port(base) == port(next);
    }

    private static int port(final URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** Cheap look at the body's start for {@code "resourceType": "OperationOutcome"}. */
    private static boolean isOperationOutcome(final byte[] body) {
        final int n = Math.min(body.length, 4096);
        final String head = new String(body, 0, n, java.nio.charset.StandardCharsets.UTF_8);
        return head.matches("(?s).*\"resourceType\"\\s*:\\s*\"OperationOutcome\".*");
    }

    private static Throwable unwrap(final Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException)
            && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static BatchFailed classify(final Throwable t) {
        if (t instanceof TimeoutException || t instanceof HttpTimeoutException) {
            return new BatchFailed(FailureKind.TIMEOUT, "no whole answer in time");
        }
        if (t instanceof BoundedBody.TooLargeException) {
            return new BatchFailed(FailureKind.MALFORMED, t.getMessage());
        }
        if (t instanceof ConnectException || t instanceof SSLException || t instanceof IOException) {
            return new BatchFailed(FailureKind.CONNECTION, t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        if (t instanceof CancellationException) {
            return new BatchFailed(FailureKind.TIMEOUT, "cancelled");
        }
        return new BatchFailed(FailureKind.MALFORMED, String.valueOf(t));
    }

    /** Longest latency recorded: ten minutes, in microseconds (a longer one is counted as that). */
    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);

    /**
     * Two significant digits (1% resolution) up to ten minutes: about 50 KiB a histogram (two
     * count arrays of ~3,000 longs), one per vendor plus one per cycle in flight. Thread-safe recording (HTTP threads), reads while
     * recording allowed.
     */
    private static ConcurrentHistogram newLatencyHistogram() {
        return new ConcurrentHistogram(MAX_LATENCY_MICROS, 2);
    }

    private static void recordLatency(final long sentAt, final ConcurrentHistogram cycle, final ConcurrentHistogram total) {
        final long micros = Math.max(1, Math.min(MAX_LATENCY_MICROS, (System.nanoTime() - sentAt) / 1_000));
        cycle.recordValue(micros);
        total.recordValue(micros);
    }

    /** That percentile of the latencies recorded, or {@code null} when none was. */
    private static Duration percentile(final ConcurrentHistogram h, final double p) {
        return h.getTotalCount() == 0 ? null : Duration.ofNanos(h.getValueAtPercentile(p) * 1_000);
    }

    private static ThreadFactory daemon(final String prefix) {
        final AtomicInteger n = new AtomicInteger();
        return r -> {
            final Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Not thread-safe; build once. */
    public static final class Builder {
        private final Creneau creneau;
        private List<Endpoint> endpoints = List.of();
        private PullListener listener = new PullListener() {
        };
        private Function<Practitioner, String> departementOf;
        private int breakerThreshold = 3;
        private Duration breakerOpenFor = Duration.ofSeconds(60);
        private LongSupplier nanoTime = System::nanoTime;
        private long maxAnswerBytes = 32L << 20;
        private int maxPages = 100;
        private Duration freshness = DEFAULT_FRESHNESS;
        private Duration checkAfter = DEFAULT_CHECK_AT_HOLD;
        private boolean checkAtHold = true;

        private Builder(final Creneau creneau) {
            this.creneau = Objects.requireNonNull(creneau, "creneau");
        }

        public Builder endpoints(final List<Endpoint> e) {
            this.endpoints = List.copyOf(e);
            return this;
        }

        public Builder listener(final PullListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** Places a practitioner in a département ({@code "75"}, {@code "2A"}, {@code "971"}), for endpoints that name some. */
        public Builder departementOf(final Function<Practitioner, String> f) {
            this.departementOf = Objects.requireNonNull(f, "departementOf");
            return this;
        }

        /** Consecutive failed requests that open a vendor's breaker (default 3). */
        public Builder breakerThreshold(final int n) {
            if (n < 1) {
                throw new IllegalArgumentException("breakerThreshold must be at least 1: " + n);
            }
            this.breakerThreshold = n;
            return this;
        }

        /** How long an open breaker refuses requests before a trial (default 60 s). */
        public Builder breakerOpenFor(final Duration d) {
            this.breakerOpenFor = Objects.requireNonNull(d, "breakerOpenFor");
            return this;
        }

        /** The monotonic clock of the breakers (default {@code System::nanoTime}). */
        public Builder nanoTime(final LongSupplier t) {
            this.nanoTime = Objects.requireNonNull(t, "nanoTime");
            return this;
        }

        /** Largest answer page, in bytes (default 32 MiB; 25 practitioners' 48 h take a few hundred KiB). */
        public Builder maxAnswerBytes(final long n) {
            if (n <= 0) {
                throw new IllegalArgumentException("maxAnswerBytes must be positive: " + n);
            }
            this.maxAnswerBytes = n;
            return this;
        }

        /**
         * How old a practitioner's last answer may be and its slots still be proposed (default 30
         * minutes); older ones are removed after each cycle ({@link Creneau#expireStaleAnswers}).
         */
        public Builder freshness(final Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("freshness must be positive: " + d);
            }
            this.freshness = d;
            return this;
        }

        /**
         * The check at hold ({@link Puller#checkAtHold}): a hold of a slot whose practitioner's
         * last answer is older than {@code maxAge} (default 60 s; zero: always) asks the vendor
         * again first.
         */
        public Builder checkAtHold(final Duration maxAge) {
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("checkAtHold must not be negative: " + maxAge);
            }
            this.checkAfter = maxAge;
            this.checkAtHold = true;
            return this;
        }

        /** No check at hold: holds trust the answers in force (default: checked). */
        public Builder noCheckAtHold() {
            this.checkAtHold = false;
            return this;
        }

        public Puller build() {
            return new Puller(this);
        }
    }
}
