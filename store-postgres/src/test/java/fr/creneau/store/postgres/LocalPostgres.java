package fr.creneau.store.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests, started from the machine's binaries (PostgreSQL 15 here)
 * on a temporary directory and a loopback port, and removed afterwards: {@code mvn verify} needs
 * no setup and no Docker. PostgreSQL refuses to run as root; when the tests run as root (CI
 * containers do), the server runs as {@code nobody} through {@code runuser}.
 *
 * <p>{@link #stop()}/{@link #start()} restart the same cluster (the tests of a database that goes
 * away and comes back); {@link #crash()} stops it with {@code -m immediate}, PostgreSQL's own
 * crash (no checkpoint: it recovers from its WAL on the next start).
 */
public final class LocalPostgres implements AutoCloseable {
    private static final String USER = "creneau";
    private static final String DB = "creneau";

    private final Path bin;
    private final Path root;
    private final Path data;
    private final int port;
    private final boolean asRoot;

    private LocalPostgres(final Path bin, final Path root, final int port, final boolean asRoot) {
        this.bin = bin;
        this.root = root;
        this.data = root.resolve("data");
        this.port = port;
        this.asRoot = asRoot;
    }

    /** Initialises a cluster with a database {@code creneau} owned by user {@code creneau}, and starts it. */
    public static LocalPostgres start(final String name) {
        try {
            final Path bin = findBinaries();
            final boolean asRoot = "root".equals(System.getProperty("user.name"));
            final Path root = Files.createTempDirectory("creneau-pg-" + name + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            final LocalPostgres pg = new LocalPostgres(bin, root, freePort(), asRoot);
            if (asRoot) {
                // The server's user must own its directory and be able to reach it.
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
                pg.run(List.of("chown", "nobody", root.toString()), false);
            }
            pg.run(List.of(bin.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", USER, "-A", "trust",
                "-E", "UTF8", "--no-locale", "--no-sync"), true);
            pg.start();
            pg.run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(pg.port),
                "-U", USER, DB), true);
            return pg;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JDBC URL of the database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DB + "?user=" + USER;
    }

    /** The store URL form of the CLI ({@code postgresql://host:port/db?user=...}). */
    public String storeUrl() {
        return "postgresql://127.0.0.1:" + port + "/" + DB + "?user=" + USER;
    }

    public int port() {
        return port;
    }

    /** A plain connection (not pooled), for assertions. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** Starts (or restarts) the server and waits until it accepts connections. */
    public void start() {
        // fsync off: the tests crash the server with -m immediate, which keeps the OS page cache;
        // durability against power loss is PostgreSQL's to prove, not ours.
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l",
            root.resolve("server.log").toString(), "-o",
            "-c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c full_page_writes=off"
                + " -c max_connections=200 -p " + port, "start"), true);
    }

    /** Stops the server cleanly. */
    public void stop() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-m", "fast",
            "stop"), true);
    }

    /** Stops the server without a checkpoint, as a crash would. */
    public void crash() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-m", "immediate",
            "stop"), true);
    }

    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                crash();
            }
        } finally {
            deleteTree(root);
        }
    }

    private void run(final List<String> command, final boolean asServerUser) {
        final List<String> full = new ArrayList<>();
        if (asServerUser && asRoot) {
            full.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        full.addAll(command);
        try {
            final Process p = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(root.resolve("commands.log").toFile().exists()
                    ? ProcessBuilder.Redirect.appendTo(root.resolve("commands.log").toFile())
                    : ProcessBuilder.Redirect.to(root.resolve("commands.log").toFile()))
                .start();
            if (!p.waitFor(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + full);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("failed (" + p.exitValue() + "): " + full + "\n"
                    + Files.readString(root.resolve("commands.log")) + serverLog());
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + full, e);
        }
    }

    private String serverLog() throws IOException {
        final Path log = root.resolve("server.log");
        return Files.exists(log) ? "\nserver.log:\n" + Files.readString(log) : "";
    }

    private static Path findBinaries() {
        final List<Path> candidates = new ArrayList<>();
        final String configured = System.getenv("CRENEAU_PG_BIN");
        if (configured != null) {
            candidates.add(Paths.get(configured));
        }
        final Path lib = Paths.get("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                versions.sorted(Comparator.reverseOrder()).forEach(v -> candidates.add(v.resolve("bin")));
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Paths.get(dir));
            }
        }
        for (final Path c : candidates) {
            if (Files.isExecutable(c.resolve("initdb")) && Files.isExecutable(c.resolve("pg_ctl"))) {
                return c;
            }
        }
        throw new IllegalStateException("no PostgreSQL binaries (initdb, pg_ctl) in " + candidates
            + "; install PostgreSQL 15 or set CRENEAU_PG_BIN");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(final Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (final IOException ignored) {
                    // best effort: a temp dir left behind is harmless
                }
            });
        } catch (final IOException ignored) {
            // best effort
        }
    }
}
