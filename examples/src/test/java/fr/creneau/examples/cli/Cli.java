package fr.creneau.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.creneau.examples.data.DataGenerator;
import fr.creneau.examples.data.GeneratorConfig;
import fr.creneau.examples.data.Scale;

/**
 * Runs {@link CreneauCli#execute} in this JVM on real files: the {@code tiny} data set is generated
 * once per test JVM and each test works on its own copy (tests write journals and bad files).
 */
final class Cli {
    static final String NOW = "2026-11-23T08:00:00Z"; // Monday 09:00 in Paris
    static final String[] PARIS = {"--lat", "48.8566", "--lon", "2.3522"};
    static final ObjectMapper JSON = new ObjectMapper();
    private static Path template;

    record Run(int exit, String out, String err) {
        List<JsonNode> rows() {
            final List<JsonNode> rows = new ArrayList<>();
            for (final String line : out.split("\n")) {
                if (!line.isBlank()) {
                    try {
                        rows.add(JSON.readTree(line));
                    } catch (final IOException e) {
                        throw new AssertionError("not a JSON line: " + line, e);
                    }
                }
            }
            return rows;
        }
    }

    private Cli() {
    }

    static Run run(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = CreneauCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    /** {@code args} after {@code search --data dir <Paris> --now NOW}. */
    static Run search(final Path dir, final String... args) {
        final List<String> all = new ArrayList<>(List.of("search", "--data", dir.toString()));
        all.addAll(List.of(PARIS));
        all.addAll(List.of("--now", NOW));
        all.addAll(List.of(args));
        return run(all.toArray(new String[0]));
    }

    /** A fresh copy of the tiny data set (seed 5, {@link #NOW}) in {@code into}, which it returns. */
    private static void delete(final Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (final IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }

    static synchronized Path tinyData(final Path into) {
        try {
            if (template == null) {
                final Path dir = Files.createTempDirectory("creneau-cli-test-");
                new DataGenerator(GeneratorConfig.of(5, Scale.TINY, Instant.parse(NOW))).generate(dir);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                template = dir;
            }
            try (var walk = Files.walk(template)) {
                for (final Path p : (Iterable<Path>) walk::iterator) {
                    final Path target = into.resolve(template.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return into;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
