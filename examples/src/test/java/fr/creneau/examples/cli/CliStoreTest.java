package fr.creneau.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.store.postgres.LocalPostgres;

/**
 * {@code --store URL} on {@code book}, {@code search}, {@code outcome}, {@code messages} and
 * {@code release}: holds and bookings live in a real PostgreSQL started by the test, not in
 * {@code DIR/journal/}; an unreachable store refuses (exit 1) and bookings resume when it is back.
 */
class CliStoreTest {

    private static List<String> slots(final Path dir, final String... extra) {
        final List<String> args = new ArrayList<>(List.of("--json", "--limit", "50"));
        args.addAll(List.of(extra));
        final List<String> ids = new ArrayList<>();
        for (final JsonNode r : Cli.search(dir, args.toArray(String[]::new)).rows()) {
            if (r.get("kind").asText().equals("SLOT")) {
                ids.add(r.get("slotId").asText());
            }
        }
        return ids;
    }

    private static Cli.Run book(final Path dir, final String store, final String slot, final String operator) {
        return Cli.run("book", "--data", dir.toString(), "--store", store, "--slot", slot, "--operator", operator,
            "--now", Cli.NOW);
    }

    @Test
    void bookingsGoToTheStoreAndEveryCommandReadsThem(@TempDir final Path tmp) throws Exception {
        final Path dir = Cli.tinyData(tmp);
        try (LocalPostgres pg = LocalPostgres.start("cli-store")) {
            final String url = pg.storeUrl();
            final List<String> before = slots(dir, "--store", url);
            assertThat(before).hasSizeGreaterThan(2);
            final String slot = before.get(0);

            final Cli.Run booked = book(dir, url, slot, "osnp-1");
            assertThat(booked.exit()).as(booked.err()).isZero();
            assertThat(slots(dir, "--store", url)).doesNotContain(slot);
            assertThat(slots(dir)).as("the journal knows nothing of it").contains(slot);
            assertThat(Files.exists(dir.resolve("journal/journal.log"))).isFalse();

            final Cli.Run taken = book(dir, url, slot, "osnp-2");
            assertThat(taken.exit()).isEqualTo(CreneauCli.REFUSED);
            assertThat(taken.err()).contains("ALREADY_BOOKED");

            final Cli.Run messages = Cli.run("messages", "--data", dir.toString(), "--store", url);
            assertThat(messages.exit()).as(messages.err()).isZero();
            assertThat(messages.out()).contains("CreateAppointment").contains(slot.split("\\.")[1]);

            final String rpps = before.get(1).split("\\.")[1];
            final Cli.Run declined = Cli.run("outcome", "--data", dir.toString(), "--store", url, "--case", "c-1",
                "--rpps", rpps, "--result", "declined", "--operator", "osnp-1", "--now", Cli.NOW);
            assertThat(declined.exit()).as(declined.err()).isZero();

            pg.stop();
            final Cli.Run away = book(dir, url, before.get(2), "osnp-1");
            assertThat(away.exit()).isEqualTo(CreneauCli.REFUSED);
            assertThat(away.err()).startsWith("refused: ").contains("unreachable");
            pg.start();
            final Cli.Run back = book(dir, url, before.get(2), "osnp-1");
            assertThat(back.exit()).as(back.err()).isZero();

            final Cli.Run released = Cli.run("release", "--data", dir.toString(), "--store", url, "--slot", slot,
                "--operator", "osnp-1", "--now", Cli.NOW);
            assertThat(released.exit()).as(released.err()).isZero();
            assertThat(slots(dir, "--store", url)).contains(slot);
        }
    }
}
