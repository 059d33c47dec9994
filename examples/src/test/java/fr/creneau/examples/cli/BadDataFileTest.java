package fr.creneau.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defect 16: one bad file in {@code feeds/} or {@code manual/} is skipped with a warning, the rest is searched. */
class BadDataFileTest {
    @Test
    void aTruncatedFeedAndAnUnparsableManualFileAreSkippedWithAWarningAndTheRestIsSearched(@TempDir final Path tmp)
        throws Exception {
        final Path dir = Cli.tinyData(tmp);
        final int before = Cli.search(dir, "--json").rows().size();
        Files.writeString(dir.resolve("feeds/aaa-truncated.json"), "{\"vendor\": \"Doctolib\", \"slots\": [",
            StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("manual/broken.json"), "not json at all", StandardCharsets.UTF_8);
        // An older snapshot of a vendor already applied (sorted after it): refused as stale.
        Files.writeString(dir.resolve("feeds/zz-stale-doctolib.json"), "{\"vendor\": \"Doctolib\", \"integration\":"
            + " \"END_TO_END\", \"generatedAt\": \"2020-06-01T00:00:00Z\", \"slots\": []}", StandardCharsets.UTF_8);

        final Cli.Run run = Cli.search(dir, "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.rows()).hasSize(before);
        assertThat(run.err().lines()).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("warning: skipped "));
        assertThat(run.err()).containsPattern("skipped feeds/aaa-truncated.json: .+")
            .contains("manual/broken.json").contains("feeds/zz-stale-doctolib.json").contains("older than")
            .doesNotContain("\tat ");
    }

    @Test
    void aBadDirectoryFileIsStillExitTwo(@TempDir final Path tmp) throws Exception {
        final Path dir = Cli.tinyData(tmp);
        Files.writeString(dir.resolve("practitioners.json"), "[{\"rpps\": ", StandardCharsets.UTF_8);

        final Cli.Run run = Cli.search(dir);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains("practitioners.json").doesNotContain("\tat ");
        assertThat(run.err().lines()).hasSize(1);
    }
}
