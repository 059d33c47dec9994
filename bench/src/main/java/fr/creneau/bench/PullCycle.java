package fr.creneau.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import fr.creneau.Creneau;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Vendor;
import fr.creneau.examples.data.DataGenerator;
import fr.creneau.examples.data.GeneratorConfig;
import fr.creneau.examples.data.Scale;
import fr.creneau.examples.sim.VendorSimulator;
import fr.creneau.feed.Modality;
import fr.creneau.pull.Endpoint;
import fr.creneau.pull.Puller;
import fr.creneau.pull.VendorReport;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.SearchResults;

/**
 * One live-pull cycle against local simulators: every vendor of a generated data set served by a
 * {@link VendorSimulator} on 127.0.0.1 (plain http, in this JVM), the directory loaded into a
 * fresh {@link Creneau}, then {@link Puller#pullOnce()} with the endpoints' defaults (25
 * practitioners a request, 4 in flight a vendor, 7 s timeout), while one thread runs regulator
 * queries back to back around the data set's practitioners. Two cycles: the first fills the empty
 * index (and warms the JVM up), the second is the steady state. Prints one JSON line: per cycle
 * the requests, time, slots accepted and per second into the index, the search latency during it;
 * the same searches with no pull running (on the empty index before, on the full one after); and
 * the deep-link table's size. Not JMH: one cycle is
 * an event, not a rate; the simulators share the machine's cores with the pull and the searcher,
 * so the cycle time is an upper bound of the engine's.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar fr.creneau.bench.PullCycle --scale=departement --departements=13 --out=dept.json
 * java -Xmx3g -cp bench/target/benchmarks.jar fr.creneau.bench.PullCycle --scale=france --out=france.json
 * </pre>
 * ({@code bench/pull-cycle.sh} runs both.)
 */
public final class PullCycle {
    private static final Instant NOW = Instant.parse("2026-11-23T07:00:00Z"); // Monday 08:00 in Paris

    private PullCycle() {
    }

    public static void main(final String[] args) throws Exception {
        Scale scale = Scale.DEPARTEMENT;
        List<String> departements = List.of();
        Path out = null;
        long idleMillis = 3_000;
        for (final String a : args) {
            if (a.startsWith("--scale=")) {
                scale = Scale.valueOf(a.substring(8).toUpperCase(Locale.ROOT));
            } else if (a.startsWith("--departements=")) {
                departements = List.of(a.substring(15).split(","));
            } else if (a.startsWith("--out=")) {
                out = Path.of(a.substring(6));
            } else if (a.startsWith("--idle-ms=")) {
                idleMillis = Long.parseLong(a.substring(10));
            } else {
                throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        final Path dir = Files.createTempDirectory("creneau-pull-cycle-");
        final long g0 = System.nanoTime();
        new DataGenerator(GeneratorConfig.of(42, scale, NOW).withDepartements(departements)).generate(dir);
        final double generateSeconds = (System.nanoTime() - g0) / 1e9;

        try (Creneau creneau = Creneau.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).expiryTimer(false).build()) {
            creneau.loadDirectory(dir.resolve(DataGenerator.PRACTITIONERS_FILE));
            final Set<String> codes = new LinkedHashSet<>();
            final List<double[]> places = new ArrayList<>();
            int n = 0;
            for (final Practitioner p : creneau.directory().practitioners()) {
                if (p == null) {
                    continue;
                }
                if (p.vendor() != null && !p.refusesVendorSlots()) {
                    codes.add(p.vendor());
                }
                if (n++ % 97 == 0) {
                    places.add(new double[] {p.lat(), p.lon()});
                }
            }
            final List<VendorSimulator> sims = new ArrayList<>();
            final List<Endpoint> endpoints = new ArrayList<>();
            int servedSlots = 0;
            for (final String code : codes) {
                final Vendor v = creneau.vendors().require(code);
                final VendorSimulator sim = VendorSimulator.fromDataSet(dir, v.displayName(), 0, null,
                    new VendorSimulator.Options());
                sims.add(sim);
                servedSlots += sim.slotCount();
                endpoints.add(Endpoint.of(v, URI.create(sim.baseUrl())));
            }
            final Searching searching = new Searching(creneau, places);
            searching.run(2_000); // JIT warm-up of the query path on the empty index, discarded
            final Histogram idle = searching.run(idleMillis);
            final StringBuilder cycles = new StringBuilder();
            try (Puller puller = Puller.builder(creneau).endpoints(endpoints).noCheckAtHold().build()) {
                // Cycle 1 fills an empty index (and warms the HTTP, parse and apply paths up);
                // cycle 2 is the steady state: every practitioner asked again, answers re-applied.
                for (int cycle = 1; cycle <= 2; cycle++) {
                    searching.startBackground();
                    final long t0 = System.nanoTime();
                    final Map<String, VendorReport> reports = puller.pullOnce();
                    final double cycleSeconds = (System.nanoTime() - t0) / 1e9;
                    final Histogram during = searching.stopBackground();
                    cycles.append(cycles.length() == 0 ? "" : ",").append(cycle(cycle, reports, cycleSeconds, during));
                }
            }
            // The same searches on the full index with no pull running: the baseline of "during".
            final Histogram idleFull = searching.run(idleMillis);
            final String line = String.format(Locale.ROOT, "{\"scale\":\"%s\",\"departements\":\"%s\","
                    + "\"practitioners\":%d,\"vendors\":%d,\"servedSlots\":%d,\"generateSeconds\":%.1f,\"liveSlots\":%d,"
                    + "\"searchIdleEmptyIndex\":%s,\"searchIdleFullIndex\":%s,\"bookingUrls\":{\"entries\":%d,\"heapBytes\":%d},\"cycles\":[%s]}",
                scale, String.join(",", departements), n, codes.size(), servedSlots, generateSeconds,
                creneau.stats().liveSlots(), latency(idle), latency(idleFull),
                creneau.bookingUrls().entries(), creneau.bookingUrls().heapBytes(), cycles);
            System.out.println(line);
            if (out != null) {
                Files.writeString(out, line + "\n");
            }
            for (final VendorSimulator s : sims) {
                s.close();
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String latency(final Histogram h) {
        return String.format(Locale.ROOT, "{\"queries\":%d,\"p50Us\":%.1f,\"p99Us\":%.1f,\"p999Us\":%.1f,\"maxUs\":%.1f}",
            h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
            h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }

    private static String cycle(final int cycle, final Map<String, VendorReport> reports, final double seconds,
                                final Histogram during) {
        int requests = 0;
        int batches = 0;
        int answered = 0;
        int accepted = 0;
        int failed = 0;
        final StringBuilder perVendor = new StringBuilder();
        for (final VendorReport r : reports.values()) {
            requests += r.requests();
            batches += r.batches();
            answered += r.answered();
            accepted += r.accepted();
            failed += r.failed();
            perVendor.append(perVendor.length() == 0 ? "" : ",").append(String.format(Locale.ROOT,
                "{\"vendor\":\"%s\",\"requests\":%d,\"accepted\":%d,\"failed\":%d,\"seconds\":%.2f,"
                    + "\"latencyP50Ms\":%.2f,\"latencyP99Ms\":%.2f}",
                r.vendor(), r.requests(), r.accepted(), r.failed(), r.elapsed().toNanos() / 1e9,
                r.latencyP50() == null ? -1 : r.latencyP50().toNanos() / 1e6,
                r.latencyP99() == null ? -1 : r.latencyP99().toNanos() / 1e6));
        }
        return String.format(Locale.ROOT, "{\"cycle\":%d,\"requests\":%d,\"batches\":%d,\"answered\":%d,"
                + "\"failed\":%d,\"accepted\":%d,\"seconds\":%.2f,\"slotsPerSecond\":%.0f,\"searchDuringPull\":%s,"
                + "\"perVendor\":[%s]}",
            cycle, requests, batches, answered, failed, accepted, seconds, accepted / seconds, latency(during), perVendor);
    }

    /** One searcher thread: queries around the sampled places, in turn, timed each (ns). */
    private static final class Searching {
        private final Creneau creneau;
        private final List<double[]> places;
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicLong sink = new AtomicLong();
        private Thread thread;
        private Histogram background;

        Searching(final Creneau creneau, final List<double[]> places) {
            this.creneau = creneau;
            this.places = places;
        }

        Histogram run(final long millis) {
            final Histogram h = new Histogram(3_600_000_000L, 3);
            final long end = System.nanoTime() + millis * 1_000_000;
            final RegulatorQuery q = new RegulatorQuery();
            final SearchResults r = new SearchResults();
            int i = 0;
            while (System.nanoTime() < end) {
                once(q, r, i++, h);
            }
            return h;
        }

        private void once(final RegulatorQuery q, final SearchResults r, final int i, final Histogram h) {
            final double[] at = places.get(i % places.size());
            q.reset().patient(at[0], at[1]).now(NOW).modality(Modality.OFFICE).limit(10);
            final long t = System.nanoTime();
            sink.addAndGet(creneau.search(q, r));
            h.recordValue(Math.min(3_600_000_000L, System.nanoTime() - t));
        }

        void startBackground() {
            background = new Histogram(3_600_000_000L, 3);
            running.set(true);
            thread = new Thread(() -> {
                final RegulatorQuery q = new RegulatorQuery();
                final SearchResults r = new SearchResults();
                int i = 0;
                while (running.get()) {
                    once(q, r, i++, background);
                }
            }, "searcher");
            thread.start();
        }

        Histogram stopBackground() throws InterruptedException {
            running.set(false);
            thread.join();
            return background;
        }
    }
}
