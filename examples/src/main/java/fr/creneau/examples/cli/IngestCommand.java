package fr.creneau.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import fr.creneau.Creneau;
import fr.creneau.error.CreneauException;
import fr.creneau.feed.IngestReport;
import fr.creneau.feed.RejectReason;
import fr.creneau.feed.Rejection;

/**
 * {@code creneau ingest}: validates feed files against a data set (its directory and current feeds)
 * and reports what was accepted and what was rejected, by reason. Nothing is written back.
 * Exit 0 when every file could be read, 2 when one could not (the others are still reported).
 */
@Command(name = "ingest", description = "Validate feed files and report accepted / rejected by reason.",
    mixinStandardHelpOptions = true)
final class IngestCommand implements Callable<Integer> {
    private static final int SAMPLES = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: the embedded sample).")
    Path data;

    @Option(names = "--now", paramLabel = "ISO-8601", converter = Options.NowConverter.class,
        description = "The instant the 48 h window starts from (default: now).")
    Instant now;

    @Option(names = "--vendor", paramLabel = "NAME", description = "Vendor of FHIR Bundle files (FHIR names none).")
    String vendor;

    @Parameters(paramLabel = "FILE", arity = "1..*",
        description = "Vendor snapshots, manual-slot files or FHIR searchset Bundles (JSON).")
    List<Path> files;

    @Override
    public Integer call() {
        final Instant at = now != null ? now : Instant.now();
        final Progress progress = Progress.forConsole(spec.commandLine().getErr());
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        int status = 0;
        try (Creneau creneau = DataSet.openReadOnly(DataSet.directory(data, at, progress), at, progress)) {
            for (final Path file : files) {
                try {
                    final IngestReport report = ingest(creneau, file);
                    print(report, out);
                } catch (final CreneauException | UserError e) {
                    err.println(Text.line(file.toString()) + ": " + oneLine(e.getMessage()));
                    status = 2;
                }
            }
        }
        out.flush();
        return status;
    }

    private IngestReport ingest(final Creneau creneau, final Path file) {
        switch (kind(file)) {
            case "fhir":
                if (vendor == null) {
                    throw new UserError("a FHIR Bundle carries no vendor name: give --vendor");
                }
                try (InputStream in = Files.newInputStream(file)) {
                    return creneau.ingestFhirBundle(vendor, file.getFileName().toString(), in);
                } catch (final IOException e) {
                    throw new UserError("cannot read: " + e.getMessage());
                }
            case "vendor":
                return creneau.ingestVendorFeed(file);
            default:
                return creneau.ingestManual(file);
        }
    }

    /** {@code fhir}, {@code vendor} or {@code manual}, from the top-level fields. */
    static String kind(final Path file) {
        try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new UserError("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                final String name = p.currentName();
                p.nextToken();
                if ("resourceType".equals(name)) {
                    return "fhir";
                }
                if ("vendor".equals(name) || "generatedAt".equals(name) || "integration".equals(name)) {
                    return "vendor";
                }
                p.skipChildren();
            }
            return "manual";
        } catch (final IOException e) {
            throw new UserError(Files.exists(file) ? "malformed JSON: " + oneLine(e.getMessage()) : "no such file");
        }
    }

    private static void print(final IngestReport r, final PrintWriter out) {
        // Label, source and samples quote the file (ids, RPPS, times as written): cleaned and cut.
        out.printf("%s (%s): received %d, accepted %d, rejected %d%n", Text.field(r.label()), Text.field(r.source()), r.received(),
            r.accepted(), r.rejectedTotal());
        for (final Map.Entry<RejectReason, Integer> e : r.rejectedByReason().entrySet()) {
            out.printf("  %-24s %6d  %s%n", e.getKey(), e.getValue(),
                e.getKey().kind() == RejectReason.Kind.FILTERED ? "(filtered by rule)" : "(bad data)");
        }
        int shown = 0;
        for (final Rejection s : r.samples()) {
            if (shown++ == SAMPLES) {
                break;
            }
            out.println("  e.g. " + Text.line(String.valueOf(s)));
        }
    }

    /**
     * The first line of a message, made safe to print ({@link Text#line}): messages quote names,
     * vendors and file names from the data.
     */
    static String oneLine(final String message) {
        final String m = message == null ? "error" : message;
        final int nl = m.indexOf('\n');
        return Text.line(nl < 0 ? m : m.substring(0, nl));
    }
}
