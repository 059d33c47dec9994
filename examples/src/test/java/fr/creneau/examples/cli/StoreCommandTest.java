package fr.creneau.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import fr.creneau.store.postgres.LocalPostgres;
import fr.creneau.store.postgres.Migrations;

/** {@code creneau store migrate} on a real PostgreSQL started by the test. */
class StoreCommandTest {

    @Test
    void migrateCreatesTheSchemaOnceAndSaysSo() {
        try (LocalPostgres pg = LocalPostgres.start("cli")) {
            final Cli.Run first = Cli.run("store", "migrate", "--store", pg.storeUrl());
            assertEquals(0, first.exit(), first.err());
            assertEquals("schema at version " + Migrations.latest() + " (" + Migrations.latest() + " migration"
                + (Migrations.latest() == 1 ? "" : "s") + " applied now)", first.out().strip());
            final Cli.Run again = Cli.run("store", "migrate", "--store", pg.storeUrl());
            assertEquals(0, again.exit(), again.err());
            assertTrue(again.out().contains("(0 migrations applied now)"), again.out());
        }
    }

    @Test
    void anUnreachableStoreIsRefusedAndAMalformedUrlIsBadUsage() throws IOException {
        final int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        final Cli.Run down = Cli.run("store", "migrate", "--store",
            "postgresql://127.0.0.1:" + closedPort + "/creneau?user=creneau&password=secret");
        assertEquals(CreneauCli.REFUSED, down.exit(), down.err());
        assertTrue(down.err().startsWith("refused: the store at jdbc:postgresql://127.0.0.1:" + closedPort),
            down.err());
        assertTrue(!down.err().contains("secret"), "no password in messages: " + down.err());
        final Cli.Run bad = Cli.run("store", "migrate", "--store", "mysql://localhost/x");
        assertEquals(CreneauCli.USAGE, bad.exit());
        assertTrue(bad.err().contains("must start with postgresql://"), bad.err());
        assertEquals(CreneauCli.USAGE, Cli.run("store", "migrate").exit(), "--store is required");
    }
}
