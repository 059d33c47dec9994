package fr.creneau.booking;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a test main class in a separate JVM: the same java binary and the test classpath, stdout
 * read line by line by the test, stderr kept in a file for the failure message.
 */
final class ChildJvm implements AutoCloseable {
    final Process process;
    private final BufferedReader out;
    private final Path err;

    private ChildJvm(final Process process, final Path err) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.err = err;
    }

    static ChildJvm start(final Path workDir, final Class<?> main, final String... args) throws IOException {
        final String java = ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        final Path err = Files.createTempFile(workDir, main.getSimpleName(), ".stderr");
        final Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        return new ChildJvm(p, err);
    }

    /** The next line of the child's stdout, or {@code null} at its end. */
    String readLine() throws IOException {
        return out.readLine();
    }

    /** Reads lines up to one that starts with {@code prefix}. */
    String await(final String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IllegalStateException("child ended before printing '" + prefix + "': " + stderr());
    }

    String stderr() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        out.close();
    }
}
