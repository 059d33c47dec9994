package fr.creneau.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import fr.creneau.Creneau;
import fr.creneau.examples.data.Departements;
import fr.creneau.pull.Endpoint;
import fr.creneau.pull.EndpointsFile;
import fr.creneau.pull.PullListener;
import fr.creneau.pull.PulledAnswer;
import fr.creneau.pull.Puller;
import fr.creneau.pull.VendorReport;

/**
 * {@code creneau pull}: asks every vendor of the endpoints file for the slots of its practitioners
 * of the data set (the ANS guide's search, 25 at a time), stores each answer with its reception
 * instant under {@code DIR/pulled/<vendor>/} (which {@code search} and {@code book} then ingest),
 * and prints one report line per vendor. Once with {@code --once}; else every vendor's
 * {@code refreshSeconds} until interrupted. Exit 0 when at least one vendor answered, 1 when none
 * did, 2 on bad usage (bad endpoints file, no data set).
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
    description = "Pull the vendors' FHIR servers (ANS guide, INT_R01) into DIR/pulled/ and report per vendor.")
final class PullCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: the embedded sample).")
    Path data;

    @Option(names = "--endpoints", paramLabel = "FILE", required = true, description = "The vendors' endpoints (JSON).")
    Path endpoints;

    @Option(names = "--once", description = "One cycle of every vendor, then exit.")
    boolean once;

    @Option(names = "--now", paramLabel = "ISO-8601", converter = Options.NowConverter.class,
        description = "The instant the 48 h window starts from, and the stored reception instant (default: now).")
    Instant now;

    @Override
    public Integer call() throws InterruptedException {
        final Instant at = now != null ? now : Instant.now();
        final PrintWriter out = spec.commandLine().getOut();
        final Progress progress = Progress.forConsole(spec.commandLine().getErr());
        if (!Files.isRegularFile(endpoints)) {
            throw new UserError("no such endpoints file: " + Text.line(endpoints.toString()));
        }
        final Path dir = DataSet.directory(data, at, progress);
        try (Creneau creneau = DataSet.openReadOnly(dir, at, progress)) {
            final List<Endpoint> list = EndpointsFile.load(endpoints, creneau.vendors());
            final PulledStore store = new PulledStore(dir);
            final PullListener listener = new PullListener() {
                @Override
                public void onAnswer(final PulledAnswer answer) {
                    store.write(answer);
                }

                @Override
                public void onCycle(final VendorReport report) {
                    if (!once) {
                        synchronized (out) {
                            out.println(line(report));
                            out.flush();
                        }
                    }
                }
            };
            try (Puller puller = Puller.builder(creneau).endpoints(list).listener(listener)
                .departementOf(p -> Departements.of(p.lat(), p.lon())).build()) {
                if (!once) {
                    puller.start();
                    new CountDownLatch(1).await(); // until interrupted (Ctrl-C ends the JVM)
                    return 0;
                }
                final Map<String, VendorReport> reports = puller.pullOnce();
                boolean any = false;
                for (final VendorReport r : reports.values()) {
                    out.println(line(r));
                    any |= r.answered() > 0;
                }
                out.flush();
                return any ? 0 : CreneauCli.REFUSED;
            }
        }
    }

    static String line(final VendorReport r) {
        return Text.line(r.vendor()) + ": requests " + r.requests() + ", batches " + r.answered() + "/" + r.batches()
            + " answered, practitioners " + r.practitioners() + ", slots accepted " + r.accepted()
            + ", rejected " + r.rejected() + ", failures " + r.failures() + ", breaker " + r.breaker()
            + ", latency p50 " + millis(r.latencyP50()) + " p99 " + millis(r.latencyP99())
            + ", " + r.elapsed().toMillis() + " ms";
    }

    /** {@code 12.3 ms}, or {@code -} when nothing was answered. */
    private static String millis(final java.time.Duration d) {
        return d == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }
}
