package fr.creneau.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import fr.creneau.directory.VendorRegistry;
import fr.creneau.examples.sim.VendorSimulator;

/**
 * {@code creneau vendor-sim}: serves one vendor's slots of a data set as the ANS guide's FHIR slot
 * search on 127.0.0.1 (plain http: a loopback address), until interrupted. Exit 2 on bad usage
 * (no such data set, unknown vendor, port taken).
 */
@Command(name = "vendor-sim", mixinStandardHelpOptions = true,
    description = "Serve one vendor's slots of a data set as a guide-conformant FHIR server on 127.0.0.1.")
final class VendorSimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Data directory (practitioners.json, feeds/).")
    Path data;

    @Option(names = "--vendor", paramLabel = "NAME", required = true, description = "The vendor whose slots are served.")
    String vendor;

    @Option(names = "--port", paramLabel = "N", required = true, description = "TCP port on 127.0.0.1 (0: any free one).")
    int port;

    @Option(names = "--delay-ms", paramLabel = "D", description = "Delay every answer by D ms (default 0).")
    long delayMs;

    @Option(names = "--fail-rate", paramLabel = "R", description = "Answer this share of requests 500 with an OperationOutcome (0 to 1).")
    double failRate;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0 to 65535: " + port);
        }
        if (delayMs < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--delay-ms must not be negative: " + delayMs);
        }
        if (!(failRate >= 0 && failRate <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fail-rate must be from 0 to 1: " + failRate);
        }
        if (!Files.isRegularFile(data.resolve(DataSet.PRACTITIONERS))) {
            throw new UserError("no " + DataSet.PRACTITIONERS + " in " + data);
        }
        if (VendorRegistry.defaults().find(vendor) == null) {
            throw new UserError("not a registered vendor: " + Text.line(vendor));
        }
        final VendorSimulator.Options options = new VendorSimulator.Options();
        options.delayMs = delayMs;
        options.failRate = failRate;
        final VendorSimulator sim;
        try {
            sim = VendorSimulator.fromDataSet(data, vendor, port, null, options);
        } catch (final BindException e) {
            throw new UserError("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println("serving " + Text.line(vendor) + " (" + sim.slotCount() + " slots of " + sim.practitioners()
            + " practitioners) at " + sim.baseUrl());
        out.flush();
        final CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
