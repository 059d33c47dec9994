package fr.creneau.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import fr.creneau.store.postgres.LocalPostgres;

/**
 * Starts a PostgreSQL for {@code bench/store.sh}'s two-process run, writes its JDBC URL to the
 * file named by its argument, and keeps the server until killed (the shutdown hook removes it).
 */
public final class StoreServer {
    private StoreServer() {
    }

    public static void main(final String[] args) throws IOException, InterruptedException {
        final LocalPostgres pg = LocalPostgres.start("bench-shared");
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
        final Path tmp = Path.of(args[0] + ".tmp");
        Files.writeString(tmp, pg.jdbcUrl());
        Files.move(tmp, Path.of(args[0])); // whole or absent: the script polls for it
        Thread.currentThread().join();
    }
}
