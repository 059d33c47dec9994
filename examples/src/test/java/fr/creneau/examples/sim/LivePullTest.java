package fr.creneau.examples.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import fr.creneau.Creneau;
import fr.creneau.directory.Practitioner;
import fr.creneau.examples.data.DataGenerator;
import fr.creneau.examples.data.GeneratorConfig;
import fr.creneau.examples.data.Scale;
import fr.creneau.feed.RejectReason;
import fr.creneau.pull.CircuitBreaker;
import fr.creneau.pull.Endpoint;
import fr.creneau.pull.EndpointsFile;
import fr.creneau.pull.FailureKind;
import fr.creneau.pull.PullFailure;
import fr.creneau.pull.PullListener;
import fr.creneau.pull.Puller;
import fr.creneau.pull.VendorReport;

/**
 * The live pull against real FHIR servers on 127.0.0.1: the simulator (the guide's search, 400
 * for anything else) over mutual TLS with keys made here by keytool, plain http for the others,
 * and a bare JDK server for answers no simulator gives (truncated, malformed). No mock.
 */
class LivePullTest {
    private static final Instant NOW = Instant.parse("2026-11-24T08:00:00Z");
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path tmp;
    static Path data;
    static Path keys;

    @BeforeAll
    static void generate() throws Exception {
        data = tmp.resolve("data");
        new DataGenerator(GeneratorConfig.of(7, Scale.parse("tiny"), NOW).withDepartements(List.of("48")))
            .generate(data);
        keys = tmp.resolve("keys");
        Files.createDirectories(keys);
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
            "-dname", "CN=vendor-sim", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
            "-keystore", "server.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1",
            "-dname", "CN=creneau,OU=SAS", "-validity", "2",
            "-keystore", "client.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-exportcert", "-alias", "server", "-keystore", "server.p12", "-storepass", PASSWORD, "-file", "server.cer");
        keytool("-exportcert", "-alias", "client", "-keystore", "client.p12", "-storepass", PASSWORD, "-file", "client.cer");
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", "server.cer",
            "-keystore", "client-trust.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", "client.cer",
            "-keystore", "server-trust.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
    }

    private static final List<AutoCloseable> OPEN = Collections.synchronizedList(new ArrayList<>());

    @AfterAll
    static void closeAll() throws Exception {
        for (final AutoCloseable c : OPEN) {
            c.close();
        }
    }

    private static void keytool(final String... args) throws Exception {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        final Process p = new ProcessBuilder(cmd).directory(keys.toFile()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("keytool " + String.join(" ", args) + ": " + out).isZero();
    }

    private static SSLContext serverTls() throws Exception {
        final KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys.resolve("server.p12"))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        final KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys.resolve("server-trust.p12"))) {
            ts.load(in, PASSWORD.toCharArray());
        }
        final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        final SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static VendorSimulator sim(final String vendor, final SSLContext tls, final VendorSimulator.Options o)
        throws IOException {
        final VendorSimulator s = VendorSimulator.fromDataSet(data, vendor, 0, tls, o);
        OPEN.add(s);
        return s;
    }

    private static Creneau creneau() {
        final Creneau c = Creneau.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).expiryTimer(false).build();
        OPEN.add(c);
        c.loadDirectory(data.resolve("practitioners.json"));
        return c;
    }

    private static List<Endpoint> endpoints(final Creneau c, final String json) throws IOException {
        final Path file = keys.resolve("endpoints-" + System.nanoTime() + ".json");
        Files.writeString(file, json);
        return EndpointsFile.load(file, c.vendors());
    }

    private static String plain(final String vendor, final String base, final String extra) {
        return "{\"name\": \"" + vendor + "\", \"baseUrl\": \"" + base + "\"" + extra + "}";
    }

    private static List<Long> practitionersOf(final Creneau c, final String vendorCode) {
        final List<Long> out = new ArrayList<>();
        for (final Practitioner p : c.directory().practitioners()) {
            if (p != null && vendorCode.equals(p.vendor()) && !p.refusesVendorSlots()) {
                out.add(p.rpps());
            }
        }
        return out;
    }

    @Test
    void pullsAWholeDepartementOverMutualTlsAndEveryPractitionerIsFresh() throws Exception {
        final VendorSimulator doctolib = sim("Doctolib", serverTls(), new VendorSimulator.Options());
        final Creneau c = creneau();
        final List<Endpoint> e = endpoints(c, "{\"vendors\": [{\"name\": \"Doctolib\", \"baseUrl\": \""
            + doctolib.baseUrl() + "\", \"idsPerRequest\": 10, \"departements\": [\"48\"], \"tls\": {"
            + "\"keyStore\": \"client.p12\", \"keyStorePassword\": \"" + PASSWORD + "\", "
            + "\"trustStore\": \"client-trust.p12\", \"trustStorePassword\": \"" + PASSWORD + "\"}}]}");
        final List<Long> asked = practitionersOf(c, "doctolib");
        assertThat(asked).isNotEmpty();
        try (Puller puller = Puller.builder(c).endpoints(e)
            .departementOf(p -> fr.creneau.examples.data.Departements.of(p.lat(), p.lon())).build()) {
            final VendorReport r = puller.pullOnce().get("Doctolib");
            assertThat(r.failures()).isEmpty();
            assertThat(r.practitioners()).isEqualTo(asked.size());
            assertThat(r.batches()).isEqualTo((asked.size() + 9) / 10);
            assertThat(r.answered()).isEqualTo(r.batches());
            assertThat(r.accepted()).isPositive();
            assertThat(c.stats().toString()).isNotEmpty();
            // HdrHistogram percentiles of the requests' latency, per cycle and since start.
            assertThat(r.latencyP50()).isNotNull().isPositive();
            assertThat(r.latencyP99()).isGreaterThanOrEqualTo(r.latencyP50());
            assertThat(puller.stats("Doctolib").latencyP50()).isNotNull();
            assertThat(puller.stats("Doctolib").latencyP99()).isGreaterThanOrEqualTo(puller.stats("Doctolib").latencyP50());
            for (final long rpps : asked) {
                assertThat(c.lastAnswer("Doctolib", rpps)).as("answer time of " + rpps).isEqualTo(NOW);
            }
        }
    }

    @Test
    void aClientWithoutCertificateIsRefusedByTheVendorAndNothingIsIndexed() throws Exception {
        final VendorSimulator doctolib = sim("Doctolib", serverTls(), new VendorSimulator.Options());
        final Creneau c = creneau();
        final List<Endpoint> e = endpoints(c, "{\"vendors\": [{\"name\": \"Doctolib\", \"baseUrl\": \""
            + doctolib.baseUrl() + "\", \"tls\": {\"trustStore\": \"client-trust.p12\", \"trustStorePassword\": \""
            + PASSWORD + "\"}}]}");
        try (Puller puller = Puller.builder(c).endpoints(e).breakerThreshold(1000).build()) {
            final VendorReport r = puller.pullOnce().get("Doctolib");
            assertThat(r.answered()).isZero();
            assertThat(r.failures()).containsOnlyKeys(FailureKind.CONNECTION);
            assertThat(r.accepted()).isZero();
        }
        assertThat(c.lastAnswer("Doctolib", practitionersOf(c, "doctolib").get(0))).isNull();
    }

    /** A clock the test moves (the puller, the index and the bookings all read it). */
    private static final class MovableClock extends Clock {
        private volatile Instant now = NOW;

        void advance(final Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            return this;
        }
    }

    private static Creneau creneau(final Clock clock) {
        final Creneau c = Creneau.builder().clock(clock).expiryTimer(false).build();
        OPEN.add(c);
        c.loadDirectory(data.resolve("practitioners.json"));
        return c;
    }

    /** The slots of that vendor a regulator's searches around Mende propose, earliest row first. */
    private static List<fr.creneau.slot.SlotId> proposed(final Creneau c, final String vendor) {
        final fr.creneau.rank.RegulatorQuery q = new fr.creneau.rank.RegulatorQuery();
        final fr.creneau.rank.SearchResults rows = new fr.creneau.rank.SearchResults();
        final int source = c.vendors().require(vendor).id();
        final List<fr.creneau.slot.SlotId> out = new ArrayList<>();
        for (final fr.creneau.feed.Modality m : fr.creneau.feed.Modality.values()) {
            q.reset().patient(44.52, 3.50).now(c.clock().instant()).modality(m).limit(50);
            final int n = c.search(q, rows);
            for (int i = 0; i < n; i++) {
                if (rows.hasSlot(i) && rows.source(i) == source) {
                    out.add(rows.slotId(i, c.vendors()));
                }
            }
        }
        return out;
    }

    @Test
    void closingThePullerEndsItsHttpClientsThreadsWhereTheJdkAllows() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 21,
            "HttpClient.shutdownNow() exists from Java 21; on 17 the client's thread ends with the client");
        final VendorSimulator sim = sim("Doctolib", null, new VendorSimulator.Options());
        final Creneau c = creneau(new MovableClock());
        final java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        final Puller p = Puller.builder(c).endpoints(endpoints(c, "{\"vendors\": [" + plain("Doctolib", sim.baseUrl(), "")
            + "]}")).build();
        assertThat(p.pullOnce().get("Doctolib").accepted()).isPositive();
        final List<Thread> selectors = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> !before.contains(t) && t.getName().contains("SelectorManager")).toList();
        assertThat(selectors).isNotEmpty();
        p.close();
        for (final Thread t : selectors) {
            t.join(10_000);
            assertThat(t.isAlive()).as(t.getName() + " still runs after close()").isFalse();
        }
    }

    @Test
    void slotsAtASecondSiteArePulledAtThatSiteAsTheirNativeFeedPutsThem() throws Exception {
        // Paris: enough GPs for second sites (one in ten) with slots in the 48 h.
        final Path paris = tmp.resolve("paris");
        new DataGenerator(GeneratorConfig.of(11, Scale.parse("tiny"), NOW).withDepartements(List.of("75")))
            .generate(paris);
        // The first vendor feed with a slot at a second site.
        Path feed = null;
        try (var files = Files.list(paris.resolve("feeds"))) {
            for (final Path f : files.sorted().toList()) {
                if (feed == null && Files.readString(f).contains("\"site\"")) {
                    feed = f;
                }
            }
        }
        assertThat(feed).as("the generated data set has slots at second sites").isNotNull();
        final String vendor = new com.fasterxml.jackson.databind.ObjectMapper().readTree(feed.toFile())
            .get("vendor").asText();
        final Creneau nativeFeed = Creneau.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).expiryTimer(false).build();
        final Creneau pulled = Creneau.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).expiryTimer(false).build();
        OPEN.add(nativeFeed);
        OPEN.add(pulled);
        nativeFeed.loadDirectory(paris.resolve("practitioners.json"));
        pulled.loadDirectory(paris.resolve("practitioners.json"));
        nativeFeed.ingestVendorFeed(feed);
        final VendorSimulator sim = VendorSimulator.fromDataSet(paris, vendor, 0, null, new VendorSimulator.Options());
        OPEN.add(sim);
        final String code = nativeFeed.vendors().require(vendor).code();
        try (Puller p = Puller.builder(pulled).endpoints(endpoints(pulled, "{\"vendors\": ["
            + plain(vendor, sim.baseUrl(), "") + "]}")).build()) {
            assertThat(p.pullOnce().values().iterator().next().accepted()).isPositive();
        }
        // Every practitioner's rows, searched from each of their sites: the same slot at the same
        // site whether it came from the file or over FHIR (the Location of the role's Schedule).
        final fr.creneau.rank.RegulatorQuery q = new fr.creneau.rank.RegulatorQuery();
        final fr.creneau.rank.SearchResults a = new fr.creneau.rank.SearchResults();
        final fr.creneau.rank.SearchResults b = new fr.creneau.rank.SearchResults();
        int secondSiteRows = 0;
        for (final Practitioner pr : nativeFeed.directory().practitioners()) {
            if (!code.equals(pr.vendor()) || pr.sites().size() < 2) {
                continue;
            }
            for (final fr.creneau.directory.Site site : pr.sites()) {
                q.reset().patient(site.lat(), site.lon()).now(NOW).modality(fr.creneau.feed.Modality.OFFICE).limit(50);
                nativeFeed.search(q, a);
                pulled.search(q, b);
                for (int i = 0; i < a.size(); i++) {
                    if (a.hasSlot(i) && a.rpps(i) == pr.rpps()) {
                        final int row = i;
                        final String id = a.slotId(i, nativeFeed.vendors()).toString();
                        final int j = java.util.stream.IntStream.range(0, b.size())
                            .filter(k -> b.hasSlot(k) && b.slotId(k, pulled.vendors()).toString().equals(id))
                            .findFirst().orElseThrow(() -> new AssertionError("pulled rows lack " + id));
                        assertThat(b.site(j).id()).as(id).isEqualTo(a.site(row).id());
                        if (!a.site(row).id().equals(pr.mainSite().id())) {
                            secondSiteRows++;
                        }
                    }
                }
            }
        }
        assertThat(secondSiteRows).as("rows at a second site compared").isPositive();
    }

    private static final fr.creneau.booking.Operator ANNE = new fr.creneau.booking.Operator("osnp-1", "Martin", "Anne", "a@sas.example");

    @Test
    void aSlotTakenOnTheVendorBetweenPullAndHoldIsRefusedGoneAndTheIndexForgetsIt() throws Exception {
        final VendorSimulator sim = sim("Doctolib", null, new VendorSimulator.Options());
        final MovableClock clock = new MovableClock();
        final Creneau c = creneau(clock);
        try (Puller p = Puller.builder(c).endpoints(endpoints(c, "{\"vendors\": [" + plain("Doctolib", sim.baseUrl(), "") + "]}")).build()) {
            assertThat(p.pullOnce().get("Doctolib").accepted()).isPositive();
            final List<fr.creneau.slot.SlotId> slots = proposed(c, "Doctolib");
            assertThat(slots).hasSizeGreaterThanOrEqualTo(2);
            final fr.creneau.slot.SlotId taken = slots.get(0);
            final fr.creneau.slot.SlotId other = slots.stream().filter(x -> x.rpps() != taken.rpps()).findFirst().orElseThrow();

            // Within the bound (60 s): the answer in force is trusted, the vendor is not asked.
            final long before = sim.requests();
            final fr.creneau.booking.HoldResult fresh = c.bookings().hold(other, ANNE);
            assertThat(fresh.isHeld()).isTrue();
            assertThat(fresh.check()).isEqualTo(fr.creneau.booking.HoldCheck.Outcome.FRESH);
            assertThat(sim.requests()).isEqualTo(before);
            assertThat(c.bookings().release(fresh.token()).released()).isTrue();

            // Two minutes later the slot is booked on the vendor's own site; the index still has it.
            clock.advance(Duration.ofMinutes(2));
            assertThat(sim.take(taken.rpps(), taken.start())).isTrue();
            assertThat(proposed(c, "Doctolib")).contains(taken);
            final fr.creneau.booking.HoldResult gone = c.bookings().hold(taken, ANNE);
            assertThat(gone.isHeld()).isFalse();
            assertThat(gone.refusal()).isEqualTo(fr.creneau.booking.Refusal.GONE);
            assertThat(gone.check()).isEqualTo(fr.creneau.booking.HoldCheck.Outcome.GONE);
            assertThat(sim.requests()).isEqualTo(before + 1);
            assertThat(proposed(c, "Doctolib")).doesNotContain(taken);
            final int practitioner = c.directory().indexOf(taken.rpps());
            assertThat(c.index().findSlot(practitioner, c.vendors().require("Doctolib").id(), taken.startMinute()))
                .isEqualTo(fr.creneau.index.SlotDescriptor.NIL);

            // Another slot still free there: held, with the practitioner's agenda as deep link.
            final fr.creneau.booking.HoldResult held = c.bookings().hold(other, ANNE);
            assertThat(held.isHeld()).isTrue();
            assertThat(held.check()).isEqualTo(fr.creneau.booking.HoldCheck.Outcome.STILL_FREE);
            assertThat(held.bookingUrl()).isEqualTo(sim.agendaUrl(other.rpps()) + "?origin=sas");

            // The next cycle does not bring the taken slot back (the vendor no longer lists it).
            p.pullOnce();
            assertThat(proposed(c, "Doctolib")).doesNotContain(taken);
        }
    }

    @Test
    void aVendorThatCannotBeReachedAtHoldLetsTheHoldGoAheadAndSaysSo() throws Exception {
        final VendorSimulator.Options o = new VendorSimulator.Options();
        final VendorSimulator sim = sim("Doctolib", null, o);
        final MovableClock clock = new MovableClock();
        final Creneau c = creneau(clock);
        final List<PullFailure> told = Collections.synchronizedList(new ArrayList<>());
        try (Puller p = Puller.builder(c).endpoints(endpoints(c, "{\"vendors\": [" + plain("Doctolib", sim.baseUrl(), "") + "]}"))
            .listener(new PullListener() {
                @Override
                public void onFailure(final PullFailure f) {
                    told.add(f);
                }
            }).build()) {
            assertThat(p.pullOnce().get("Doctolib").accepted()).isPositive();
            final fr.creneau.slot.SlotId slot = proposed(c, "Doctolib").get(0);
            clock.advance(Duration.ofMinutes(2));
            o.failRate = 1.0;
            final fr.creneau.booking.HoldResult held = c.bookings().hold(slot, ANNE);
            assertThat(held.isHeld()).isTrue();
            assertThat(held.check()).isEqualTo(fr.creneau.booking.HoldCheck.Outcome.UNREACHABLE);
            assertThat(told).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo(FailureKind.OPERATION_OUTCOME);
                assertThat(f.asked()).containsExactly(slot.rpps());
            });
        }
        // The puller closed: holds are no longer checked.
        assertThat(c.bookings().holdCheck()).isNull();
    }

    @Test
    void aStaleVendorsRowsDisappearPastTheFreshnessBoundWhileAnAnsweringVendorsStay() throws Exception {
        final VendorSimulator.Options o = new VendorSimulator.Options();
        final VendorSimulator doctolib = sim("Doctolib", null, o);
        final VendorSimulator maiia = sim("Maiia", null, new VendorSimulator.Options());
        final MovableClock clock = new MovableClock();
        final Creneau c = creneau(clock);
        try (Puller p = Puller.builder(c).endpoints(endpoints(c, "{\"vendors\": [" + plain("Doctolib", doctolib.baseUrl(), "")
            + ", " + plain("Maiia", maiia.baseUrl(), "") + "]}")).breakerThreshold(1000).build()) {
            p.pullOnce();
            assertThat(proposed(c, "Doctolib")).isNotEmpty();
            o.failRate = 1.0;
            clock.advance(Duration.ofMinutes(20));
            assertThat(p.pullOnce().get("Doctolib").answered()).isZero();
            assertThat(proposed(c, "Doctolib")).as("20 min old: still within the 30 min bound").isNotEmpty();
            clock.advance(Duration.ofMinutes(11));
            final Map<String, VendorReport> r = p.pullOnce();
            assertThat(r.get("Doctolib").answered()).isZero();
            assertThat(r.get("Maiia").failures()).isEmpty();
            assertThat(proposed(c, "Doctolib")).as("31 min old: past the bound").isEmpty();
            // Maiia answered every cycle: its slots stay (the only ones left), fresh.
            assertThat(c.stats().liveSlots()).isPositive();
            for (final long rpps : practitionersOf(c, "maiia")) {
                assertThat(c.lastAnswer("Maiia", rpps)).isEqualTo(clock.instant());
            }
            // The vendor comes back: its rows with it.
            o.failRate = 0;
            p.pullOnce();
            assertThat(proposed(c, "Doctolib")).isNotEmpty();
        }
    }

    @Test
    void aSlowVendorTimesOutWhileTheOthersLandAndItChangesNothing() throws Exception {
        final VendorSimulator.Options slow = new VendorSimulator.Options();
        slow.delayMs = 3_000;
        final VendorSimulator slowSim = sim("Doctolib", null, slow);
        final VendorSimulator maiia = sim("Maiia", null, new VendorSimulator.Options());
        final Creneau c = creneau();
        final List<Endpoint> e = endpoints(c, "{\"vendors\": ["
            + plain("Doctolib", slowSim.baseUrl(), ", \"timeoutMs\": 300, \"maxInFlight\": 2, \"idsPerRequest\": 10") + ", "
            + plain("Maiia", maiia.baseUrl(), ", \"idsPerRequest\": 5") + "]}");
        try (Puller puller = Puller.builder(c).endpoints(e).breakerThreshold(1000).build()) {
            final Map<String, VendorReport> reports = puller.pullOnce();
            final VendorReport k = reports.get("Doctolib");
            final VendorReport m = reports.get("Maiia");
            assertThat(k.batches()).isPositive();
            assertThat(k.answered()).isZero();
            assertThat(k.failures()).containsOnlyKeys(FailureKind.TIMEOUT);
            assertThat(k.failures().get(FailureKind.TIMEOUT)).isEqualTo(k.batches());
            assertThat(m.failures()).isEmpty();
            assertThat(m.answered()).isEqualTo(m.batches()).isPositive();
        }
        for (final long rpps : practitionersOf(c, "doctolib")) {
            assertThat(c.lastAnswer("Doctolib", rpps)).isNull();
        }
        for (final long rpps : practitionersOf(c, "maiia")) {
            assertThat(c.lastAnswer("Maiia", rpps)).isEqualTo(NOW);
        }
    }

    @Test
    void aFailingVendorOpensItsBreakerWhichClosesWhenItRecovers() throws Exception {
        final VendorSimulator.Options failing = new VendorSimulator.Options();
        failing.failRate = 1.0;
        final VendorSimulator failingSim = sim("Doctolib", null, failing);
        final Creneau c = creneau();
        final List<Endpoint> e = endpoints(c, "{\"vendors\": ["
            + plain("Doctolib", failingSim.baseUrl(), ", \"idsPerRequest\": 1, \"maxInFlight\": 1") + "]}");
        final AtomicLong nanos = new AtomicLong();
        final List<PullFailure> told = Collections.synchronizedList(new ArrayList<>());
        try (Puller puller = Puller.builder(c).endpoints(e).breakerThreshold(2).breakerOpenFor(Duration.ofMinutes(1))
            .nanoTime(nanos::get).listener(new PullListener() {
                @Override
                public void onFailure(final PullFailure f) {
                    told.add(f);
                }
            }).build()) {
            final VendorReport down = puller.pullOnce().get("Doctolib");
            assertThat(down.batches()).isGreaterThan(2);
            // Two requests sent and failed with the vendor's OperationOutcome, the rest never sent.
            assertThat(down.requests()).isEqualTo(2);
            assertThat(down.failures()).containsEntry(FailureKind.OPERATION_OUTCOME, 2)
                .containsEntry(FailureKind.BREAKER_OPEN, down.batches() - 2);
            assertThat(down.breaker()).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(puller.stats("Doctolib")).satisfies(st -> {
                assertThat(st.requests()).isEqualTo(2);
                assertThat(st.consecutiveFailures()).isEqualTo(2);
                assertThat(st.breakerOpened()).isEqualTo(1);
                assertThat(st.lastSuccess()).isNull();
                assertThat(st.failed()).isEqualTo(down.batches());
            });
            assertThat(told).filteredOn(f -> f.kind() == FailureKind.OPERATION_OUTCOME)
                .allSatisfy(f -> assertThat(f.detail()).contains("500").contains("simulated failure"));

            failing.failRate = 0;
            final VendorReport stillOpen = puller.pullOnce().get("Doctolib");
            assertThat(stillOpen.requests()).isZero();

            nanos.addAndGet(Duration.ofMinutes(1).toNanos());
            final VendorReport up = puller.pullOnce().get("Doctolib");
            assertThat(up.failures()).isEmpty();
            assertThat(up.answered()).isEqualTo(up.batches());
            assertThat(up.breaker()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(puller.stats("Doctolib").lastSuccess()).isEqualTo(NOW);
            assertThat(puller.stats("Doctolib").consecutiveFailures()).isZero();
        }
    }

    @Test
    void identifiersWithOrWithoutPrefixAndPagedAnswersGiveTheSameSlots() throws Exception {
        final VendorSimulator.Options prefixed = new VendorSimulator.Options();
        final VendorSimulator.Options bare = new VendorSimulator.Options();
        bare.unprefixed = true;
        bare.pageSize = 3;
        final VendorSimulator a = sim("Doctolib", null, prefixed);
        final VendorSimulator b = sim("Doctolib", null, bare);
        final Creneau ca = creneau();
        final Creneau cb = creneau();
        final VendorReport ra;
        final VendorReport rb;
        try (Puller pa = Puller.builder(ca).endpoints(endpoints(ca, "{\"vendors\": [" + plain("Doctolib", a.baseUrl(), "") + "]}")).build();
             Puller pb = Puller.builder(cb).endpoints(endpoints(cb, "{\"vendors\": [" + plain("Doctolib", b.baseUrl(), "") + "]}")).build()) {
            ra = pa.pullOnce().get("Doctolib");
            rb = pb.pullOnce().get("Doctolib");
        }
        assertThat(ra.failures()).isEmpty();
        assertThat(rb.failures()).isEmpty();
        assertThat(ra.accepted()).isPositive().isEqualTo(rb.accepted());
        assertThat(rb.rejected()).doesNotContainKey(RejectReason.INVALID_RPPS);
        assertThat(rb.requests()).isGreaterThan(ra.requests()); // pages followed
        assertThat(ca.stats().liveSlots()).isEqualTo(cb.stats().liveSlots());
    }

    @Test
    void truncatedAndMalformedBundlesFailTheirBatchAndKeepWhatWasIndexed() throws Exception {
        final VendorSimulator good = sim("Maiia", null, new VendorSimulator.Options());
        final Creneau c = creneau();
        try (Puller p = Puller.builder(c).endpoints(endpoints(c, "{\"vendors\": [" + plain("Maiia", good.baseUrl(), "") + "]}")).build()) {
            assertThat(p.pullOnce().get("Maiia").failures()).isEmpty();
        }
        final long live = c.stats().liveSlots();
        assertThat(live).isPositive();
        for (final String body : List.of("{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": [{\"resource\": {",
            "<html>502 Bad Gateway</html>", "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": []}")) {
            final HttpServer bad = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            bad.createContext("/fhir/Slot", ex -> {
                final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            });
            bad.start();
            try (Puller p = Puller.builder(c).endpoints(endpoints(c, "{\"vendors\": ["
                + plain("Maiia", "http://127.0.0.1:" + bad.getAddress().getPort() + "/fhir", "") + "]}"))
                .breakerThreshold(1000).build()) {
                final VendorReport r = p.pullOnce().get("Maiia");
                assertThat(r.answered()).as(body).isZero();
                assertThat(r.failures()).as(body).containsOnlyKeys(FailureKind.MALFORMED);
            } finally {
                bad.stop(0);
            }
            assertThat(c.stats().liveSlots()).as(body).isEqualTo(live);
        }
    }

    @Test
    void aHeldSlotSurvivesAnAnswerThatNoLongerListsItWhileTheOthersGo() throws Exception {
        final VendorSimulator full = sim("Doctolib", null, new VendorSimulator.Options());
        final Creneau c = creneau();
        try (Puller p = Puller.builder(c).endpoints(endpoints(c, "{\"vendors\": [" + plain("Doctolib", full.baseUrl(), "") + "]}")).build()) {
            assertThat(p.pullOnce().get("Doctolib").accepted()).isPositive();
        }
        // A Doctolib slot from a regulator's search, held by an operator.
        final fr.creneau.rank.RegulatorQuery q = new fr.creneau.rank.RegulatorQuery();
        final fr.creneau.rank.SearchResults rows = new fr.creneau.rank.SearchResults();
        final int doctolib = c.vendors().require("Doctolib").id();
        fr.creneau.booking.HoldResult held = null;
        for (final fr.creneau.feed.Modality m : fr.creneau.feed.Modality.values()) {
            q.reset().patient(44.52, 3.50).now(NOW).modality(m).limit(20);
            final int n = c.search(q, rows);
            for (int i = 0; i < n && held == null; i++) {
                if (rows.hasSlot(i) && rows.source(i) == doctolib) {
                    held = c.bookings().hold(rows, i, new fr.creneau.booking.Operator("osnp-1", "Martin", "Anne", "a@sas.example"));
                }
            }
            if (held != null) {
                break;
            }
        }
        assertThat(held).isNotNull();
        assertThat(held.isHeld()).isTrue();

        // The vendor now lists nothing for anyone: every Doctolib slot goes but the held one.
        final VendorSimulator empty = new VendorSimulator("Doctolib", Map.of(), Map.of(), 0, null, new VendorSimulator.Options());
        OPEN.add(empty);
        try (Puller p = Puller.builder(c).endpoints(endpoints(c, "{\"vendors\": [" + plain("Doctolib", empty.baseUrl(), "") + "]}")).build()) {
            final VendorReport r = p.pullOnce().get("Doctolib");
            assertThat(r.failures()).isEmpty();
            assertThat(r.accepted()).isZero();
        }
        assertThat(c.stats().liveSlots()).isEqualTo(1);
    }

    @Test
    void aCptsVendorIsPulledWithTheGuidesCptsIncludesAndGivesTheSameSlots() throws Exception {
        final VendorSimulator sim = sim("Maiia", null, new VendorSimulator.Options());
        final Creneau plainC = creneau();
        final Creneau cptsC = creneau();
        final VendorReport plain;
        final VendorReport cpts;
        try (Puller a = Puller.builder(plainC).endpoints(endpoints(plainC, "{\"vendors\": [" + plain("Maiia", sim.baseUrl(), "") + "]}")).build();
             Puller b = Puller.builder(cptsC).endpoints(endpoints(cptsC, "{\"vendors\": ["
                 + plain("Maiia", sim.baseUrl(), ", \"search\": \"CPTS\"") + "]}")).build()) {
            plain = a.pullOnce().get("Maiia");
            cpts = b.pullOnce().get("Maiia");
        }
        // The simulator answers 400 to anything but the guide's request: both were the guide's.
        assertThat(plain.failures()).isEmpty();
        assertThat(cpts.failures()).isEmpty();
        assertThat(cpts.answered()).isEqualTo(cpts.batches()).isPositive();
        // The HealthcareService and Organization of the CPTS come along and change no slot.
        assertThat(cpts.accepted()).isPositive().isEqualTo(plain.accepted());
        assertThat(cptsC.stats().liveSlots()).isEqualTo(plainC.stats().liveSlots());
    }

    @Test
    void anSosMedecinsVendorIsAskedByTheAssociationsSiretAndItsSlotsAreCountedNotIndexed() throws Exception {
        final VendorSimulator.Options o = new VendorSimulator.Options();
        o.sos = Map.of("33417374840002", List.of(
            new fr.creneau.feed.RawSlot("sos-1", null, "2026-11-24T10:00:00+01:00", "2026-11-24T10:20:00+01:00",
                fr.creneau.feed.Modality.OFFICE.bit(), fr.creneau.feed.Visibility.PUBLIC, true, null),
            new fr.creneau.feed.RawSlot("sos-2", null, "2026-11-24T10:20:00+01:00", "2026-11-24T10:40:00+01:00",
                fr.creneau.feed.Modality.OFFICE.bit(), fr.creneau.feed.Visibility.PUBLIC, true, null)));
        final VendorSimulator sim = sim("Médunion Urgences", null, o);
        final Creneau c = creneau();
        final long before = c.stats().liveSlots();
        try (Puller p = Puller.builder(c).endpoints(endpoints(c, "{\"vendors\": [" + plain("Médunion Urgences", sim.baseUrl(),
            ", \"search\": \"SOS_MEDECINS\", \"sirets\": [\"33417374840002\", \"39208046630001\"]") + "]}")).build()) {
            final VendorReport r = p.pullOnce().get("Médunion Urgences");
            assertThat(r.failures()).isEmpty(); // the simulator's SOS search took the request as the guide's
            assertThat(r.requests()).isEqualTo(1);
            assertThat(r.answered()).isEqualTo(1);
            assertThat(r.practitioners()).isEqualTo(2); // the associations asked
            // Both slots read, and rejected: their Schedule's actor is a Location, not a practitioner.
            assertThat(r.accepted()).isZero();
            assertThat(r.rejected().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2);
        }
        assertThat(c.stats().liveSlots()).isEqualTo(before);
    }

    @Test
    void aVendorAnsweringAfterTenSecondsTimesOutAtTheGuidesSevenWhileTheOthersCycleEndsFirst() throws Exception {
        final VendorSimulator.Options slow = new VendorSimulator.Options();
        slow.delayMs = 10_000;
        final VendorSimulator slowSim = sim("Doctolib", null, slow);
        final VendorSimulator maiia = sim("Maiia", null, new VendorSimulator.Options());
        final Creneau c = creneau();
        final List<String> cyclesEnded = Collections.synchronizedList(new ArrayList<>());
        final List<Long> doctolibAnsweredWhenMaiiaEnded = Collections.synchronizedList(new ArrayList<>());
        // The default timeout (7,000 ms, the SAS platform's); every Doctolib batch in flight at once.
        final List<Endpoint> e = endpoints(c, "{\"vendors\": [" + plain("Doctolib", slowSim.baseUrl(), ", \"maxInFlight\": 25")
            + ", " + plain("Maiia", maiia.baseUrl(), "") + "]}");
        final Puller[] self = new Puller[1];
        try (Puller puller = Puller.builder(c).endpoints(e).breakerThreshold(1000).listener(new PullListener() {
            @Override
            public void onCycle(final VendorReport r) {
                if (r.vendor().equals("Maiia")) {
                    doctolibAnsweredWhenMaiiaEnded.add(self[0].stats("Doctolib").answered()
                        + self[0].stats("Doctolib").failed());
                }
                cyclesEnded.add(r.vendor());
            }
        }).build()) {
            self[0] = puller;
            final Map<String, VendorReport> reports = puller.pullOnce();
            assertThat(reports.get("Doctolib").failures()).containsOnlyKeys(FailureKind.TIMEOUT);
            assertThat(reports.get("Doctolib").answered()).isZero();
            assertThat(reports.get("Maiia").failures()).isEmpty();
            assertThat(reports.get("Maiia").answered()).isEqualTo(reports.get("Maiia").batches()).isPositive();
        }
        // Maiia's cycle ended while every Doctolib request was still waiting for its answer.
        assertThat(cyclesEnded).containsExactly("Maiia", "Doctolib");
        assertThat(doctolibAnsweredWhenMaiiaEnded).containsExactly(0L);
        for (final long rpps : practitionersOf(c, "maiia")) {
            assertThat(c.lastAnswer("Maiia", rpps)).isEqualTo(NOW);
        }
    }
}
