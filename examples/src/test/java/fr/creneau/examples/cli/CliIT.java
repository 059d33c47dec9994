package fr.creneau.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.slot.SlotId;

/** Runs the real CLI jar ({@code target/creneau.jar}) as a separate process on generated data. */
class CliIT {
    private static final Path JAR = Path.of("target", "creneau.jar");
    private static final String NOW = "2026-11-23T08:00:00Z"; // Monday 09:00 in Paris
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;

    record Run(int exit, String out, String err) {
    }

    static Run run(final String... args) throws IOException, InterruptedException {
        return runWith(List.of(), args);
    }

    static Run runWith(final List<String> jvmArgs, final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        final Process p = new ProcessBuilder(command).start();
        final byte[] out = p.getInputStream().readAllBytes();
        final byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void generate() throws Exception {
        final Run run = run("generate", "--out", data.toString(), "--seed", "5", "--scale", "tiny", "--now", NOW);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(data.resolve("practitioners.json")).exists();
    }

    private static List<JsonNode> lines(final String out) throws IOException {
        final List<JsonNode> rows = new ArrayList<>();
        for (final String line : out.split("\n")) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    @Test
    void searchJsonPrintsOneRowPerResultWithExactlyTheContractFields() throws Exception {
        final Run run = run("search", "--data", data.toString(), "--lat", "48.8566", "--lon", "2.3522", "--now", NOW,
            "--json", "--limit", "5");
        assertThat(run.exit()).as(run.err()).isZero();
        final List<JsonNode> rows = lines(run.out());
        assertThat(rows).hasSize(5);
        for (int i = 0; i < rows.size(); i++) {
            final JsonNode row = rows.get(i);
            final List<String> fields = new ArrayList<>();
            for (final Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
                fields.add(it.next());
            }
            assertThat(fields).containsExactly("rank", "kind", "rpps", "name", "distanceKm", "slotId", "start", "end",
                "modality", "booking", "phone", "asOf", "bookingUrl", "address", "approximate", "reachableFrom");
            assertThat(row.get("reachableFrom").isNull()).as("a slot row is reachable through its slot").isTrue();
            assertThat(row.get("rank").asInt()).isEqualTo(i + 1);
            assertThat(row.get("booking").asText()).isIn("ONLINE", "PHONE");
            if (row.get("kind").asText().equals("SLOT")) {
                assertThat(row.get("start").asText()).matches("2026-11-2\\dT\\d\\d:\\d\\d:00\\+01:00");
                final SlotId id = SlotId.parse(row.get("slotId").asText());
                assertThat(id.rpps()).isEqualTo(row.get("rpps").asLong());
                // The vendor snapshot's time, with the Paris offset; none for a manual slot.
                if (id.source().equals(SlotId.MANUAL)) {
                    assertThat(row.get("asOf").isNull()).isTrue();
                } else {
                    assertThat(row.get("asOf").asText()).matches("2026-11-2\\dT\\d\\d:\\d\\d:\\d\\d\\+01:00");
                }
                assertThat(row.get("bookingUrl").isNull()).as("the generated feeds give no deep link").isTrue();
            }
            if (!row.get("slotId").isTextual()) {
                assertThat(row.get("asOf").isNull()).isTrue();
                assertThat(row.get("bookingUrl").isNull()).isTrue();
            }
        }
    }

    @Test
    void withoutDataTheEmbeddedSampleAnswersInParisAndHandsOverToThePdsaInLozereAtNight(@TempDir final Path tmp)
        throws Exception {
        final List<String> isolated = List.of("-Dcreneau.cache=" + tmp.resolve("cache"));
        final Run paris = runWith(isolated, "search", "--lat", "48.8566", "--lon", "2.3522", "--now", NOW, "--json");
        assertThat(paris.exit()).as(paris.err()).isZero();
        assertThat(lines(paris.out())).hasSize(10).allSatisfy(r -> assertThat(r.get("kind").asText()).isEqualTo("SLOT"));
        // A Lozère village far from the few practices, on a Monday night at 22:30: nothing free in
        // 4 h, and the PDSA has taken over: the effector on duty in its sector, then the
        // département's maison médicale de garde open now (a structure of the sample's
        // structures.json, issue 15: rpps null), never a surnuméraire doctor, a CPTS or a daytime
        // structure to phone at night (issue 16).
        final Run lozere = runWith(isolated, "search", "--lat", "44.3340", "--lon", "3.8270", "--now",
            "2026-11-23T21:30:00Z", "--within", "4h", "--json");
        assertThat(lozere.exit()).as(lozere.err()).isZero();
        final List<JsonNode> night = lines(lozere.out());
        assertThat(night).hasSizeGreaterThanOrEqualTo(2)
            .allSatisfy(r -> assertThat(r.get("kind").asText()).isEqualTo("PDSA"))
            .allSatisfy(r -> assertThat(r.get("reachableFrom").isNull()).isTrue())
            .allSatisfy(r -> assertThat(r.get("booking").asText()).isEqualTo("PHONE"));
        assertThat(night.get(0).get("rpps").isNull()).as("the effector on duty").isFalse();
        assertThat(night).anySatisfy(r -> {
            assertThat(r.get("rpps").isNull()).isTrue();
            assertThat(r.get("name").asText()).startsWith("Maison médicale de garde de ");
            assertThat(r.get("address").isNull()).isFalse();
        });
        final Run table = runWith(isolated, "search", "--lat", "44.3340", "--lon", "3.8270", "--now",
            "2026-11-23T21:30:00Z", "--within", "4h");
        assertThat(table.out().lines().findFirst()).hasValue("canal : PDSA jusqu'à 08:00");
        // One complete sample per hour asked for, and no partial directory left behind.
        try (var files = Files.list(tmp.resolve("cache"))) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("creneau-sample-")).count()).isEqualTo(2);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("cache"))))
            .isEqualTo("rwx------");
    }

    @Test
    void theMedecinTraitantComesFirst() throws Exception {
        final Run first = run("search", "--data", data.toString(), "--lat", "48.8566", "--lon", "2.3522", "--now", NOW,
            "--json", "--limit", "3");
        final String someone = lines(first.out()).get(2).get("rpps").asText();
        final Run run = run("search", "--data", data.toString(), "--lat", "48.8566", "--lon", "2.3522", "--now", NOW,
            "--json", "--mt", someone, "--exclude", lines(first.out()).get(0).get("rpps").asText());
        final List<JsonNode> rows = lines(run.out());
        assertThat(rows.get(0).get("kind").asText()).isEqualTo("MEDECIN_TRAITANT");
        assertThat(rows.get(0).get("rpps").asText()).isEqualTo(someone);
        assertThat(rows).extracting(r -> r.get("rpps").asText()).doesNotContain(lines(first.out()).get(0).get("rpps").asText());
    }

    @Test
    void theTableShowsLocalTimesInFrench() throws Exception {
        final Run run = run("search", "--data", data.toString(), "--lat", "48.8566", "--lon", "2.3522", "--now", NOW,
            "--limit", "3");
        assertThat(run.exit()).isZero();
        // Which day the three nearest slots fall on is the generated sample's (since the merge of
        // issue 16 the nearest three are on Tuesday); the rule is the format: French day and month
        // abbreviations, and the Paris time of the slot, whose id carries it in UTC (UTC+1 in November).
        assertThat(run.out()).contains("kind").containsPattern("(lun|mar)\\. 2[34] nov\\. \\d\\d:\\d\\d");
        final java.util.regex.Pattern row = java.util.regex.Pattern.compile(
            "(lun|mar)\\. (2[34]) nov\\. (\\d\\d):(\\d\\d) .* [a-z]+\\.\\d{11}\\.202611(\\d\\d)T(\\d\\d)(\\d\\d)Z");
        int slots = 0;
        for (final String line : run.out().lines().toList()) {
            final java.util.regex.Matcher m = row.matcher(line);
            if (m.find()) {
                slots++;
                final int localMinutes = Integer.parseInt(m.group(2)) * 1440 + Integer.parseInt(m.group(3)) * 60
                    + Integer.parseInt(m.group(4));
                final int utcMinutes = Integer.parseInt(m.group(5)) * 1440 + Integer.parseInt(m.group(6)) * 60
                    + Integer.parseInt(m.group(7));
                assertThat(localMinutes - utcMinutes).as(line).isEqualTo(60);
            }
        }
        assertThat(slots).isEqualTo(3);
    }

    @Test
    void bookingTheSameSlotFromTwoInvocationsRefusesTheSecondWithExitOne() throws Exception {
        final Run search = run("search", "--data", data.toString(), "--lat", "48.8566", "--lon", "2.3522", "--now", NOW,
            "--json", "--limit", "1");
        final String slot = lines(search.out()).get(0).get("slotId").asText();
        final Run first = run("book", "--data", data.toString(), "--slot", slot, "--operator", "osnp-1", "--now", NOW);
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("booked " + slot).containsPattern("(ONLINE|PHONE)");
        final Run second = run("book", "--data", data.toString(), "--slot", slot, "--operator", "osnp-2", "--now", NOW);
        assertThat(second.exit()).isEqualTo(1);
        assertThat(second.err()).startsWith("refused: ").contains("ALREADY_BOOKED").doesNotContain("\tat ");
        // The journal outlives the process: the next search no longer proposes the booked slot.
        final Run again = run("search", "--data", data.toString(), "--lat", "48.8566", "--lon", "2.3522", "--now", NOW,
            "--json", "--limit", "10");
        assertThat(lines(again.out())).extracting(r -> r.get("slotId").asText()).doesNotContain(slot);
    }

    @Test
    void bookingAnUnknownOrMalformedSlotIsRefusedOrAUsageError() throws Exception {
        final Run gone = run("book", "--data", data.toString(), "--slot", "doctolib.10000000017.20261123T1300Z",
            "--operator", "osnp-1", "--now", NOW);
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("GONE");
        final Run malformed = run("book", "--data", data.toString(), "--slot", "not-a-slot", "--operator", "x", "--now", NOW);
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(malformed.err()).startsWith("error: ").contains("malformed slot id");
    }

    @Test
    void badUsageExitsTwoWithOneLineAndNoStackTrace() throws Exception {
        for (final String[] args : List.of(
            new String[] {"search", "--data", data.toString(), "--lat", "48.85"},
            new String[] {"search", "--data", data.toString(), "--lat", "48.85", "--lon", "2.35", "--mt", "12345678901"},
            new String[] {"search", "--data", data.resolve("nope").toString(), "--lat", "48.85", "--lon", "2.35"},
            new String[] {"search", "--data", data.toString(), "--lat", "48.85", "--lon", "2.35", "--within", "72h"},
            new String[] {"frobnicate"})) {
            final Run run = run(args);
            assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err()).startsWith("error: ").doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    @Test
    void ingestReportsAcceptedAndRejectedByReasonAndExitsTwoOnAnUnreadableFile() throws Exception {
        final Path broken = data.resolve("broken.json");
        Files.writeString(broken, "{\"vendor\": \"Doctolib\", \"slots\": [", StandardCharsets.UTF_8);
        final Path feed = data.resolve("feeds").resolve("doctolib.json");
        final Run ok = run("ingest", "--data", data.toString(), "--now", NOW, feed.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("doctolib.json (Doctolib): received").contains("NOT_VISIBLE");
        final Run bad = run("ingest", "--data", data.toString(), "--now", NOW, broken.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("broken.json").doesNotContain("\tat ");
    }

    @Test
    void releaseGivesABookedSlotBackAndRefusesWhatTheOperatorDoesNotHold(@TempDir final Path own) throws Exception {
        final Run generated = run("generate", "--out", own.toString(), "--seed", "5", "--scale", "tiny", "--now", NOW);
        assertThat(generated.exit()).as(generated.err()).isZero();
        final String slot = lines(run("search", "--data", own.toString(), "--lat", "48.8566", "--lon", "2.3522", "--now",
            NOW, "--json", "--limit", "1").out()).get(0).get("slotId").asText();
        assertThat(run("book", "--data", own.toString(), "--slot", slot, "--operator", "osnp-1", "--now", NOW).exit())
            .isZero();
        final Run other = run("release", "--data", own.toString(), "--slot", slot, "--operator", "osnp-2", "--now", NOW);
        assertThat(other.exit()).isEqualTo(1);
        assertThat(other.err()).startsWith("refused: ").doesNotContain("\tat ");
        final Run mine = run("release", "--data", own.toString(), "--slot", slot, "--operator", "osnp-1", "--now", NOW);
        assertThat(mine.exit()).as(mine.err()).isZero();
        assertThat(mine.out()).startsWith("released " + slot + " for osnp-1");
        final Run again = run("search", "--data", own.toString(), "--lat", "48.8566", "--lon", "2.3522", "--now", NOW,
            "--json", "--limit", "1");
        assertThat(lines(again.out())).extracting(r -> r.get("slotId").asText()).containsExactly(slot);
        final Run bad = run("release", "--data", own.toString(), "--slot", "not-a-slot", "--operator", "x", "--now", NOW);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("error: ");
    }

    @Test
    void aBadFeedFileIsSkippedWithAWarningAndTheSearchAnswers(@TempDir final Path own) throws Exception {
        final Run generated = run("generate", "--out", own.toString(), "--seed", "5", "--scale", "tiny", "--now", NOW);
        assertThat(generated.exit()).as(generated.err()).isZero();
        Files.writeString(own.resolve("feeds").resolve("broken.json"), "{\"vendor\": \"Doctolib\", \"slots\": [",
            StandardCharsets.UTF_8);
        final Run run = run("search", "--data", own.toString(), "--lat", "48.8566", "--lon", "2.3522", "--now", NOW,
            "--json", "--limit", "3");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(lines(run.out())).hasSize(3);
        assertThat(run.err()).startsWith("warning: skipped feeds/broken.json: ").doesNotContain("\tat ");
    }
}
