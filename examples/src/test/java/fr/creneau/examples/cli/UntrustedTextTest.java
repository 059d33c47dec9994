package fr.creneau.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 20 (CLI): names, phones, vendor names and other text from the data are printed cleaned
 * (no control, format or bidi character reaches the terminal) and cut, in the table, in JSON and
 * in messages.
 */
class UntrustedTextTest {
    /** Clears the screen, forges a table row, reverses what follows, and goes on for 200 characters. */
    static final String EVIL_NAME = "Dr Evil\u001b[2J\u001b[31m\r\n9  SLOT  Dr Forged  0.1  lun. 23 nov. 09:00  ONLINE"
        + "\u202e\u2066\u0085\u009b31m\u200b" + "x".repeat(200);
    static final String EVIL_PHONE = "01 02\n03\u001b]0;pwned\u0007";

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void hostileDirectory() throws Exception {
        data = Cli.tinyData(tmp);
        final Path file = data.resolve("practitioners.json");
        final ArrayNode all = (ArrayNode) Cli.JSON.readTree(file.toFile());
        for (final JsonNode p : all) {
            ((ObjectNode) p).put("name", EVIL_NAME).put("phone", EVIL_PHONE);
            if (p.get("cpts").isObject()) {
                ((ObjectNode) p.get("cpts")).put("name", EVIL_NAME).put("phone", EVIL_PHONE);
            }
        }
        Cli.JSON.writeValue(file.toFile(), all);
    }

    /** Every code point a terminal would act on, other than the line feeds that end lines. */
    static void assertPrintable(final String printed) {
        printed.codePoints().forEach(cp -> {
            if (cp != '\n') {
                assertThat(Text.unsafe(cp)).as("U+%04X in %s", cp, printed).isFalse();
            }
        });
    }

    @Test
    void theTableShowsOneLinePerRowWithNamesCleanedAndCut() {
        final Cli.Run run = Cli.search(data, "--limit", "5");
        assertThat(run.exit()).as(run.err()).isZero();
        assertPrintable(run.out());
        final List<String> all = run.out().lines().toList();
        // The channel first (Monday 09:00: the SAS daytime channel until 20:00), then header and rows.
        assertThat(all.get(0)).isEqualTo("canal : SAS jusqu'à 20:00");
        final List<String> lines = all.subList(1, all.size());
        assertThat(lines).hasSize(1 + 5);
        assertThat(lines.get(0)).startsWith("#");
        for (int i = 1; i < lines.size(); i++) {
            assertThat(lines.get(i)).startsWith(Integer.toString(i)).contains("Dr Evil\uFFFD[2J").contains("\u2026")
                .doesNotContain("x".repeat(100));
        }
        // The forged row stays inside its name cell, on the real row's line.
        assertThat(lines).noneMatch(line -> line.startsWith("9  SLOT"));
        assertThat(run.out()).contains("01 02\uFFFD03");
    }

    @Test
    void jsonKeepsItsFieldsAndCarriesCleanedAndCutText() throws Exception {
        final Cli.Run run = Cli.search(data, "--limit", "5", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        assertPrintable(run.out());
        final List<JsonNode> rows = run.rows();
        assertThat(rows).hasSize(5);
        assertThat(run.out().lines()).hasSize(5);
        for (final JsonNode row : rows) {
            final List<String> fields = new ArrayList<>();
            for (final Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
                fields.add(it.next());
            }
            assertThat(fields).containsExactly("rank", "kind", "rpps", "name", "distanceKm", "slotId", "start", "end",
                "modality", "booking", "phone", "asOf", "bookingUrl", "address", "approximate", "reachableFrom");
            final String name = row.get("name").asText();
            assertPrintable(name);
            assertThat(name).startsWith("Dr Evil\uFFFD[2J").endsWith("\u2026");
            assertThat(name.codePointCount(0, name.length())).isEqualTo(Text.FIELD);
            assertThat(row.get("phone").asText()).isEqualTo("01 02\uFFFD03\uFFFD]0;pwned\uFFFD");
        }
    }

    @Test
    void aHugeHostileVendorNameIsCutInTheWarningAndInIngestsMessage() throws Exception {
        final String vendor = "A".repeat(100_000) + "\u001b[2J";
        final Path feed = data.resolve("feeds/zz-huge-vendor.json");
        Files.writeString(feed, "{\"vendor\": \"" + vendor.replace("\u001b", "\\u001b") + "\", \"integration\":"
            + " \"END_TO_END\", \"generatedAt\": \"2026-11-23T07:00:00Z\", \"slots\": []}", StandardCharsets.UTF_8);
        try {
            final Cli.Run search = Cli.search(data, "--limit", "1");
            assertThat(search.exit()).as(search.err()).isZero();
            assertThat(search.err().lines()).hasSize(1).allSatisfy(line -> assertThat(line).startsWith("warning: skipped ")
                .contains("zz-huge-vendor.json").hasSizeLessThanOrEqualTo(Text.LINE + "warning: ".length()));
            assertPrintable(search.err());

            final Cli.Run ingest = Cli.run("ingest", "--data", data.toString(), "--now", Cli.NOW, feed.toString());
            assertThat(ingest.exit()).isEqualTo(2);
            assertPrintable(ingest.err());
            // The warning of the data directory's own copy, then the file asked for.
            assertThat(ingest.err().lines()).hasSize(2).allSatisfy(line -> assertThat(line.length())
                .isLessThanOrEqualTo(Text.LINE + "warning: skipped ".length() + feed.toString().length()));
        } finally {
            Files.delete(feed);
        }
    }

    @Test
    void ingestReportsCleanTextFromTheFile() throws Exception {
        final Path manual = tmp.resolve("hostile-manual.json");
        // A hostile id (refused by the parser, which quotes it escaped) and a hostile RPPS.
        Files.writeString(manual, "{\"slots\": [{\"id\": \"m\\u001b[2J\\n  e.g. forged\", \"rpps\": \"1234\\u001b[31m\","
            + " \"start\": \"2026-11-23T14:00:00+01:00\", \"end\": \"2026-11-23T14:20:00+01:00\"},"
            + " {\"id\": \"m2\", \"rpps\": \"1234\\u001b[31m\\n  e.g. forged\","
            + " \"start\": \"2026-11-23T15:00:00+01:00\", \"end\": \"2026-11-23T15:20:00+01:00\"}]}", StandardCharsets.UTF_8);
        final Cli.Run run = Cli.run("ingest", "--data", data.toString(), "--now", Cli.NOW, manual.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertPrintable(run.out());
        assertThat(run.out()).contains("INVALID_VALUE").contains("INVALID_RPPS").doesNotContain("\n  e.g. forged");
    }

    @Test
    void bookPrintsThePhoneInstructionsCleaned(@TempDir final Path own) throws Exception {
        final Path dir = Cli.tinyData(own);
        Files.copy(data.resolve("practitioners.json"), dir.resolve("practitioners.json"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        final JsonNode phoneRow = Cli.search(dir, "--json", "--limit", "50").rows().stream()
            .filter(r -> r.get("kind").asText().equals("SLOT") && r.get("booking").asText().equals("PHONE"))
            .findFirst().orElseThrow();
        final Cli.Run run = Cli.run("book", "--data", dir.toString(), "--slot", phoneRow.get("slotId").asText(),
            "--operator", "osnp-1", "--now", Cli.NOW);
        assertThat(run.exit()).as(run.err()).isZero();
        assertPrintable(run.out());
        assertThat(run.out()).contains("PHONE: call Dr Evil\uFFFD[2J").doesNotContain("x".repeat(100));
    }

    @Test
    void anOperatorNameWithControlCharactersIsAUsageError() {
        final Cli.Run run = Cli.run("book", "--data", data.toString(), "--slot", "doctolib.10000000017.20261123T1300Z",
            "--operator", "osnp\u001b[2J\nbooked", "--now", Cli.NOW);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains("--operator");
        assertPrintable(run.err());
    }
}
