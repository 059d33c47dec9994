package fr.creneau.store.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a host's {@code main} ({@link ContendingHost}, {@link CreneauHost}), its
 * acknowledgements read from its stdout: {@code READY pid}, {@code BOOKED token},
 * {@code CANCELLED token}, {@code UNAVAILABLE} (first meeting of an unreachable store),
 * {@code DONE unavailable=n ...}.
 */
final class Host {
    final String name;
    final Process process;
    final BufferedReader out;
    final Path err;
    final Set<UUID> booked = new HashSet<>();
    final Set<UUID> cancelled = new HashSet<>();
    int unavailable;
    /** The child's last line ({@code DONE ...}), or {@code null} before it. */
    String done;

    Host(final String name, final Path work, final Class<?> main, final String... args) throws IOException {
        this.name = name;
        final String java = ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        this.err = Files.createTempFile(work, name, ".stderr");
        final List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        this.process = new ProcessBuilder(command).redirectError(err.toFile()).start();
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    void awaitReady() throws IOException {
        final String line = out.readLine();
        if (line == null || !line.startsWith("READY")) {
            throw new IllegalStateException(name + " did not start: " + line + " " + stderr());
        }
    }

    /** Reads acknowledgements until {@code n} bookings were seen (the run is well under way). */
    void readUntilBookings(final int n) throws IOException {
        String line;
        while (booked.size() < n && (line = out.readLine()) != null) {
            take(line);
        }
    }

    /**
     * Reads acknowledgements until the child says it met the database unreachable
     * ({@code true}) or its output ends ({@code false}: it finished before).
     */
    boolean readUntilUnavailable() throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.equals("UNAVAILABLE")) {
                return true;
            }
            take(line);
        }
        return false;
    }

    /** Reads every acknowledgement up to the end of the child's output. */
    void drain() throws IOException, InterruptedException {
        String line;
        while ((line = out.readLine()) != null) {
            take(line);
        }
        process.waitFor(2, TimeUnit.MINUTES);
    }

    private void take(final String line) {
        if (line.startsWith("BOOKED ")) {
            booked.add(UUID.fromString(line.substring(7)));
        } else if (line.startsWith("DONE unavailable=")) {
            final String n = line.substring("DONE unavailable=".length());
            unavailable = Integer.parseInt(n.contains(" ") ? n.substring(0, n.indexOf(' ')) : n);
            done = line;
        } else if (line.startsWith("CANCELLED ")) {
            cancelled.add(UUID.fromString(line.substring(10)));
        }
    }

    String stderr() {
        try {
            return Files.readString(err);
        } catch (final IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    /**
     * The faults of a run: once the first host acknowledged {@code bookings} bookings it is
     * killed by SIGKILL in the middle of its holds and confirms; once the second did too, the
     * database crashes ({@code -m immediate}) and stays down until a surviving host says it met
     * it unreachable, then starts again. Then every surviving host is read to its end.
     *
     * @return whether a host met the database while it was down
     */
    static boolean killOneThenCrashTheDatabase(final List<Host> hosts, final LocalPostgres pg, final int bookings)
        throws IOException, InterruptedException {
        final Host victim = hosts.get(0);
        victim.readUntilBookings(bookings);
        // Not Process.destroyForcibly(): it closes our end of the pipe, and the lines the victim
        // wrote before dying are acknowledgements.
        if (new ProcessBuilder("kill", "-9", Long.toString(victim.process.pid())).start().waitFor() != 0) {
            throw new IllegalStateException("kill -9 " + victim.process.pid() + " failed");
        }
        victim.drain();
        hosts.get(1).readUntilBookings(bookings);
        pg.crash();
        boolean met = false;
        for (final Host h : hosts.subList(1, hosts.size())) {
            if (!met) {
                met = h.readUntilUnavailable();
            }
        }
        pg.start();
        for (final Host h : hosts.subList(1, hosts.size())) {
            h.drain();
        }
        return met;
    }
}
