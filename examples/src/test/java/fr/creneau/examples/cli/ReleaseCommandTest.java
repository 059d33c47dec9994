package fr.creneau.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.booking.HoldResult;
import fr.creneau.booking.Operator;
import fr.creneau.slot.SlotId;

/** Defect 20: {@code creneau release} ends an operator's hold or cancels their booking; exit 1 when there is none. */
class ReleaseCommandTest {
    private static JsonNode first(final Path dir, final String booking) {
        return Cli.search(dir, "--json", "--limit", "50").rows().stream()
            .filter(r -> r.get("kind").asText().equals("SLOT") && r.get("booking").asText().equals(booking))
            .findFirst().orElseThrow();
    }

    private static Cli.Run release(final Path dir, final String slot, final String operator) {
        return Cli.run("release", "--data", dir.toString(), "--slot", slot, "--operator", operator, "--now", Cli.NOW);
    }

    private static boolean proposed(final Path dir, final String slot) {
        return Cli.search(dir, "--json", "--limit", "50").rows().stream().anyMatch(r -> slot.equals(r.get("slotId").asText()));
    }

    @Test
    void theOperatorWhoBookedCancelsTheirOnlineBookingAndTheSlotIsProposedAgain(@TempDir final Path tmp) throws Exception {
        final Path dir = Cli.tinyData(tmp);
        final String slot = first(dir, "ONLINE").get("slotId").asText();
        assertThat(Cli.run("book", "--data", dir.toString(), "--slot", slot, "--operator", "osnp-1", "--now", Cli.NOW)
            .exit()).isZero();
        assertThat(proposed(dir, slot)).isFalse();

        final Cli.Run other = release(dir, slot, "osnp-2");
        assertThat(other.exit()).as(other.err()).isEqualTo(1);
        assertThat(other.err()).startsWith("refused: ").contains(slot).contains("osnp-2");
        assertThat(proposed(dir, slot)).isFalse();

        final Cli.Run mine = release(dir, slot, "osnp-1");
        assertThat(mine.exit()).as(mine.err()).isZero();
        assertThat(mine.out()).startsWith("released " + slot + " for osnp-1").contains("booking cancelled")
            .contains("ONLINE: cancelled at the vendor");
        assertThat(Files.readString(dir.resolve("journal/vendor-requests.jsonl"), StandardCharsets.UTF_8)).contains("cancel");
        assertThat(proposed(dir, slot)).isTrue();

        final Cli.Run again = release(dir, slot, "osnp-1");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).startsWith("refused: ").contains("nothing");
        assertThat(Cli.run("book", "--data", dir.toString(), "--slot", slot, "--operator", "osnp-2", "--now", Cli.NOW)
            .exit()).isZero();
    }

    @Test
    void releasingAPhoneBookingSaysWhomToCallToCancel(@TempDir final Path tmp) {
        final Path dir = Cli.tinyData(tmp);
        final JsonNode row = first(dir, "PHONE");
        final String slot = row.get("slotId").asText();
        assertThat(Cli.run("book", "--data", dir.toString(), "--slot", slot, "--operator", "osnp-1", "--now", Cli.NOW)
            .exit()).isZero();
        final Cli.Run run = release(dir, slot, "osnp-1");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("booking cancelled").contains("PHONE: call " + row.get("name").asText() + " at "
            + row.get("phone").asText() + " to cancel");
        assertThat(proposed(dir, slot)).isTrue();
    }

    @Test
    void aStandingHoldIsEndedByItsOperatorOnly(@TempDir final Path tmp) {
        final Path dir = Cli.tinyData(tmp);
        final String slot = first(dir, "ONLINE").get("slotId").asText();
        // A hold left standing, as by a book whose confirmation failed: through the same journal.
        try (Creneau creneau = DataSet.open(dir, Instant.parse(Cli.NOW), new Progress(null, false))) {
            final HoldResult held = creneau.bookings().hold(SlotId.parse(slot), new Operator("osnp-1", "osnp-1", "", ""));
            assertThat(held.isHeld()).isTrue();
        }
        assertThat(release(dir, slot, "osnp-2").exit()).isEqualTo(1);
        final Cli.Run run = release(dir, slot, "osnp-1");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("released " + slot + " for osnp-1").contains("hold ended");
        assertThat(proposed(dir, slot)).isTrue();
    }

    @Test
    void nothingToReleaseIsExitOneAndBadUsageExitTwo(@TempDir final Path tmp) {
        final Path dir = Cli.tinyData(tmp);
        final String slot = first(dir, "ONLINE").get("slotId").asText();
        final Cli.Run nothing = release(dir, slot, "osnp-1");
        assertThat(nothing.exit()).isEqualTo(1);
        assertThat(nothing.err()).startsWith("refused: ").contains("nothing").doesNotContain("\tat ");
        assertThat(release(dir, "doctolib.10000000017.20261123T1300Z", "osnp-1").exit()).isEqualTo(1);

        for (final String[] args : new String[][] {
            {"release", "--data", dir.toString(), "--slot", "not-a-slot", "--operator", "x", "--now", Cli.NOW},
            {"release", "--data", dir.toString(), "--slot", slot, "--now", Cli.NOW},
            {"release", "--data", dir.toString(), "--slot", slot, "--operator", " ", "--now", Cli.NOW},
            {"release", "--data", dir.toString(), "--slot", slot, "--operator", "x\u001b[2J", "--now", Cli.NOW},
            {"release", "--data", dir.toString(), "--slot", slot, "--operator", "x", "--now", "1999-01-01T00:00:00Z"},
            {"release", "--data", dir.resolve("nope").toString(), "--slot", slot, "--operator", "x", "--now", Cli.NOW},
            {"release", "--data", dir.toString(), "--operator", "x"}}) {
            final Cli.Run run = Cli.run(args);
            assertThat(run.exit()).as(String.join(" ", args) + "\n" + run.err()).isEqualTo(2);
            assertThat(run.err()).startsWith("error: ").doesNotContain("\tat ").doesNotContain("Exception");
        }
        assertThat(Cli.run("release", "--help").out()).contains("--slot").contains("--operator").contains("--now");
    }
}
