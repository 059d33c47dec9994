package fr.creneau.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.examples.sim.VendorSimulator;

/** {@code creneau pull} and {@code vendor-sim} as a user runs them, against a simulator on 127.0.0.1. */
class PullCommandTest {
    private static long doctolibRows(final Cli.Run search) {
        return search.out().lines().filter(l -> l.contains("\"slotId\":\"doctolib.")).count();
    }

    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // closed at once: nothing listens there
        }
    }

    @Test
    void pulledAnswersAreStoredOwnerOnlyAndSearchProposesThem(@TempDir final Path tmp) throws Exception {
        final Path dir = Cli.tinyData(tmp.resolve("data"));
        try (VendorSimulator sim = VendorSimulator.fromDataSet(dir, "Doctolib", 0, null, new VendorSimulator.Options())) {
            // From now on Doctolib's slots can only come from its server.
            Files.delete(dir.resolve("feeds/doctolib.json"));
            assertThat(doctolibRows(Cli.search(dir, "--json", "--limit", "50"))).isZero();

            final Path endpoints = tmp.resolve("endpoints.json");
            Files.writeString(endpoints, "{\"vendors\": [{\"name\": \"Doctolib\", \"baseUrl\": \"" + sim.baseUrl() + "\"},"
                + " {\"name\": \"Maiia\", \"baseUrl\": \"http://127.0.0.1:" + deadPort() + "/fhir\", \"timeoutMs\": 2000}]}");
            final Cli.Run pull = Cli.run("pull", "--data", dir.toString(), "--endpoints", endpoints.toString(), "--once",
                "--now", Cli.NOW);

            assertThat(pull.exit()).as(pull.err()).isZero();
            assertThat(pull.out()).containsPattern("Doctolib: requests [1-9]")
                .contains("failures {}").containsPattern("Maiia: .*CONNECTION=");
            final List<Path> stored;
            try (Stream<Path> files = Files.list(dir.resolve("pulled/doctolib"))) {
                stored = files.toList();
            }
            assertThat(stored).isNotEmpty();
            assertThat(Files.readString(stored.get(0))).contains("\"requestedAt\":\"" + Cli.NOW + "\"")
                .contains("\"receivedAt\"").contains("\"resourceType\":\"Bundle\"");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored.get(0)))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("pulled"))))
                .isEqualTo("rwx------");
            assertThat(Files.exists(dir.resolve("pulled/maiia"))).isFalse();

            final Cli.Run after = Cli.search(dir, "--json", "--limit", "50");
            assertThat(after.exit()).as(after.err()).isZero();
            assertThat(after.err()).doesNotContain("skipped");
            assertThat(doctolibRows(after)).isPositive();
            // Pulled rows carry the answer's instant (Paris offset) and the agenda's deep link.
            assertThat(after.out().lines().filter(l -> l.contains("\"slotId\":\"doctolib.")))
                .allSatisfy(l -> assertThat(l).contains("\"asOf\":\"2026-11-23T09:00:00+01:00\"")
                    .containsPattern("\"bookingUrl\":\"http://127\\.0\\.0\\.1:\\d+/agenda/\\d{11}\\?origin=sas\""));
            assertThat(pull.out()).containsPattern("Doctolib: .*latency p50 \\d+\\.\\d ms p99 \\d+\\.\\d ms");
            // The freshness bound (30 min) from the stored instants: still proposed at +10 min, not at +31.
            assertThat(doctolibRows(Cli.run("search", "--data", dir.toString(), "--lat", "48.8566", "--lon", "2.3522",
                "--now", "2026-11-23T08:10:00Z", "--json", "--limit", "50"))).isPositive();
            assertThat(doctolibRows(Cli.run("search", "--data", dir.toString(), "--lat", "48.8566", "--lon", "2.3522",
                "--now", "2026-11-23T08:31:00Z", "--json", "--limit", "50"))).isZero();
        }
    }

    @Test
    void noVendorAnsweringIsExitOneAndABadEndpointsFileExitTwo(@TempDir final Path tmp) throws Exception {
        final Path dir = Cli.tinyData(tmp.resolve("data"));
        final Path endpoints = tmp.resolve("endpoints.json");
        Files.writeString(endpoints, "{\"vendors\": [{\"name\": \"Doctolib\", \"baseUrl\": \"http://127.0.0.1:"
            + deadPort() + "/fhir\"}]}");
        final Cli.Run none = Cli.run("pull", "--data", dir.toString(), "--endpoints", endpoints.toString(), "--once",
            "--now", Cli.NOW);
        assertThat(none.exit()).as(none.out() + none.err()).isEqualTo(1);
        assertThat(none.out()).contains("CONNECTION");

        Files.writeString(endpoints, "{\"vendors\": [{\"name\": \"Doctolib\", \"baseUrl\": \"http://127.0.0.1:1/fhir\","
            + " \"timeoutMS\": 7000}]}");
        final Cli.Run bad = Cli.run("pull", "--data", dir.toString(), "--endpoints", endpoints.toString(), "--once",
            "--now", Cli.NOW);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("vendors[0].timeoutMS").contains("unknown key").doesNotContain("Exception");

        Files.writeString(endpoints, "{\"vendors\": [{\"name\": \"Doctolib\", \"baseUrl\": \"http://vendor.example/fhir\"}]}");
        assertThat(Cli.run("pull", "--data", dir.toString(), "--endpoints", endpoints.toString(), "--once").err())
            .contains("loopback");
        assertThat(Cli.run("pull", "--data", dir.toString(), "--once").exit()).isEqualTo(2); // --endpoints missing
        assertThat(Cli.run("pull", "--data", dir.toString(), "--endpoints", tmp.resolve("none.json").toString()).exit())
            .isEqualTo(2);
    }

    @Test
    void vendorSimRefusesBadUsage(@TempDir final Path tmp) {
        final Path dir = Cli.tinyData(tmp.resolve("data"));
        assertThat(Cli.run("vendor-sim", "--data", tmp.resolve("none").toString(), "--vendor", "Doctolib", "--port", "0")
            .exit()).isEqualTo(2);
        final Cli.Run unknown = Cli.run("vendor-sim", "--data", dir.toString(), "--vendor", "Nobody", "--port", "0");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("not a registered vendor");
        assertThat(Cli.run("vendor-sim", "--data", dir.toString(), "--vendor", "Doctolib", "--port", "0",
            "--fail-rate", "2").exit()).isEqualTo(2);
        assertThat(Cli.run("vendor-sim", "--help").out()).contains("--delay-ms").contains("--fail-rate").contains("--port");
    }
}
