package fr.creneau.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's command line: {@code search --case} leaves out the case's declined rows and is
 * audited; {@code book --case}; {@code outcome} exits 0 recorded, 1 refused, 2 bad usage;
 * {@code messages [--pending]} lists the wrapped outbox; {@code report} counts what happened.
 */
class OutcomeCommandTest {
    private static List<JsonNode> slots(final Path dir, final String... more) {
        final String[] args = new String[more.length + 4];
        args[0] = "--json";
        args[1] = "--limit";
        args[2] = "50";
        args[3] = "--modality=office";
        System.arraycopy(more, 0, args, 4, more.length);
        return Cli.search(dir, args).rows().stream().filter(r -> r.get("kind").asText().equals("SLOT")).toList();
    }

    private static Cli.Run outcome(final Path dir, final String... args) {
        final String[] all = new String[args.length + 5];
        all[0] = "outcome";
        all[1] = "--data";
        all[2] = dir.toString();
        all[3] = "--now";
        all[4] = Cli.NOW;
        System.arraycopy(args, 0, all, 5, args.length);
        return Cli.run(all);
    }

    @Test
    void declinedRowsLeaveTheCaseAndTheBookingOutcomeReachesTheOutbox(@TempDir final Path tmp) throws Exception {
        final Path dir = Cli.tinyData(tmp);
        final List<JsonNode> before = slots(dir, "--case", "c-42");
        assertThat(before.size()).isGreaterThanOrEqualTo(3);
        final String firstRpps = before.get(0).get("rpps").asText();
        final String secondSlot = before.get(1).get("slotId").asText();
        final String secondRpps = before.get(1).get("rpps").asText();
        assertThat(outcome(dir, "--case", "c-42", "--rpps", firstRpps, "--result", "declined", "--operator", "osnp-1")
            .exit()).isZero();
        final Cli.Run refusedBySlot = outcome(dir, "--case", "c-42", "--slot", secondSlot, "--result",
            "patient-refused", "--operator", "osnp-1");
        assertThat(refusedBySlot.exit()).as(refusedBySlot.err()).isZero();
        assertThat(refusedBySlot.out()).startsWith("recorded patient-refused for case c-42");
        final List<JsonNode> after = slots(dir, "--case", "c-42");
        assertThat(after).extracting(r -> r.get("rpps").asText()).doesNotContain(firstRpps, secondRpps);
        assertThat(slots(dir)).extracting(r -> r.get("rpps").asText()).contains(firstRpps, secondRpps);

        final String third = after.get(0).get("slotId").asText();
        final Cli.Run book = Cli.run("book", "--data", dir.toString(), "--slot", third, "--operator", "osnp-1",
            "--now", Cli.NOW, "--case", "c-42");
        assertThat(book.exit()).as(book.err()).isZero();

        // Refused (1): the outcome of a booking for a slot never booked; bad usage (2).
        final Cli.Run never = outcome(dir, "--case", "c-42", "--slot", secondSlot, "--result", "fulfilled",
            "--operator", "osnp-1");
        assertThat(never.exit()).as(never.err()).isEqualTo(1);
        assertThat(never.err()).startsWith("refused: NOT_BOOKED");
        assertThat(outcome(dir, "--case", "c-42", "--slot", third, "--result", "maybe", "--operator", "o").exit())
            .isEqualTo(2);
        assertThat(outcome(dir, "--case", "c-42", "--slot", third, "--rpps", firstRpps, "--result", "declined",
            "--operator", "o").exit()).isEqualTo(2);
        assertThat(outcome(dir, "--case", "Jean Dupont", "--slot", third, "--result", "declined", "--operator", "o")
            .exit()).isEqualTo(2);
        assertThat(outcome(dir, "--case", "c-42", "--result", "declined", "--operator", "o").exit()).isEqualTo(2);

        final Cli.Run noShow = outcome(dir, "--case", "c-42", "--slot", third, "--result", "no-show", "--operator",
            "osnp-1");
        assertThat(noShow.exit()).as(noShow.err()).isZero();
        assertThat(noShow.out()).contains("queued for the LRM");

        final List<JsonNode> messages = Cli.run("messages", "--data", dir.toString(), "--pending").rows();
        assertThat(messages).extracting(m -> m.at("/content/0/jsonContent/embeddedJsonContent/message/appointment/status")
            .asText()).containsExactly("booked", "noshow");
        assertThat(messages.get(0).get("distributionID").asText()).startsWith("fr.health.creneau_");

        final Cli.Run report = Cli.run("report", "--data", dir.toString(), "--from", "2026-11-23", "--to", "2026-11-23",
            "--by", "practitioner", "--format", "json");
        assertThat(report.exit()).as(report.err()).isZero();
        final JsonNode booked = report.rows().stream()
            .filter(r -> r.get("group").asText().equals(third.split("\\.")[1])).findFirst().orElseThrow();
        assertThat(booked.get("noShows").asInt()).isEqualTo(1);
        assertThat(booked.get("noShowRate").asDouble()).isEqualTo(1.0);
        assertThat(booked.get("casesSearched").asInt()).isEqualTo(1);
        assertThat(booked.get("medianMinutesToBooking").asLong()).isZero();
        final Cli.Run csv = Cli.run("report", "--data", dir.toString(), "--from", "2026-11-23", "--to", "2026-11-23");
        assertThat(csv.exit()).as(csv.err()).isZero();
        assertThat(csv.out().lines().findFirst().orElseThrow()).isEqualTo(String.join(",", ReportCommand.CSV_COLUMNS));
        assertThat(Cli.run("report", "--data", dir.toString(), "--from", "2026-11-23", "--to", "2026-11-22").exit())
            .isEqualTo(2);
    }
}
