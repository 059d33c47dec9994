package fr.creneau.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import fr.creneau.examples.data.DataGenerator;
import fr.creneau.examples.data.GeneratedSummary;
import fr.creneau.examples.data.GeneratorConfig;
import fr.creneau.examples.data.Scale;

/** {@code creneau generate}: a realistic data set in the native formats, deterministic from a seed. */
@Command(name = "generate", description = "Generate a realistic data set (practitioners.json, feeds/, manual/).",
    mixinStandardHelpOptions = true)
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write into.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scale", defaultValue = "tiny",
        description = "tiny, departement, france or stress (default: ${DEFAULT-VALUE}).")
    String scale;

    @Option(names = "--now", paramLabel = "ISO-8601", converter = Options.NowConverter.class,
        description = "Start of the 48 h window (default: now).")
    Instant now;

    @Override
    public Integer call() throws IOException {
        final Scale s;
        try {
            s = Scale.parse(scale);
        } catch (final IllegalArgumentException e) {
            throw new UserError("--scale must be tiny, departement, france or stress, got '" + scale + "'");
        }
        final Progress progress = Progress.forConsole(spec.commandLine().getErr());
        progress.show("generating " + s.name().toLowerCase(java.util.Locale.ROOT) + " data into " + out + " ...");
        final GeneratedSummary summary =
            new DataGenerator(GeneratorConfig.of(seed, s, now != null ? now : Instant.now())).generate(out);
        progress.done();
        spec.commandLine().getOut().println(summary.describe());
        return 0;
    }
}
