package fr.creneau.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defect 18: out-of-range instants and durations are usage errors naming the bounds, not engine failures. */
class OutOfRangeInputTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void data() {
        data = Cli.tinyData(tmp);
    }

    private static void assertUsageErrorNamingTheRange(final Cli.Run run) {
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains("2020-01-02T00:00:00Z").contains("2100-01-01T00:00:00Z")
            .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("out of bounds").doesNotContain("overflow");
    }

    @Test
    void aNowOutsideTheSupportedRangeIsAUsageErrorWithTheBounds() {
        final String d = data.toString();
        for (final String now : List.of("2019-06-01T00:00:00Z", "9999-06-01T00:00:00Z", "2100-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59Z")) {
            assertUsageErrorNamingTheRange(Cli.run("search", "--data", d, "--lat", "48.85", "--lon", "2.35", "--now", now));
            assertUsageErrorNamingTheRange(Cli.run("book", "--data", d, "--slot", "doctolib.10000000017.20261123T1300Z",
                "--operator", "osnp-1", "--now", now));
            assertUsageErrorNamingTheRange(Cli.run("ingest", "--data", d, "--now", now, d + "/feeds/doctolib.json"));
            assertUsageErrorNamingTheRange(Cli.run("generate", "--out", tmp.resolve("gen").toString(), "--now", now));
        }
    }

    @Test
    void aWithinThatOverflowsIsAUsageErrorWithTheBounds() {
        for (final String within : List.of("9223372036854775807m", "9223372036854775807h", "99999999999999999999m",
            "-5m", "0h", "2881m")) {
            final Cli.Run run = Cli.search(data, "--within", within);
            assertThat(run.exit()).as(within).isEqualTo(2);
            assertThat(run.err()).as(within).startsWith("error: ").contains("between 1m and 48h")
                .doesNotContain("Exception").doesNotContain("overflow");
        }
        assertThat(Cli.search(data, "--within", "2880m", "--json").exit()).isZero();
    }

    @Test
    void aSlotIdOutsideTheSupportedRangeIsMalformed() {
        final Cli.Run run = Cli.run("book", "--data", data.toString(), "--slot", "doctolib.10000000017.99991231T2359Z",
            "--operator", "osnp-1", "--now", Cli.NOW);
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains("malformed slot id").contains("2100-01-01T00:00:00Z")
            .doesNotContain("overflow");
    }
}
