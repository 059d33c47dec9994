package fr.creneau.examples.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.feed.IngestReport;
import fr.creneau.feed.RejectReason;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.ResultKind;
import fr.creneau.rank.SearchResults;

/**
 * The generator writes what the engine's real parsers accept: a generated data set loads with no
 * bad-data rejection at all, only the SAS rules filtering (patient-list slots, refused display).
 */
class GeneratedDataIngestTest {
    private static final Instant MONDAY = Instant.parse("2026-11-23T07:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aGeneratedDataSetLoadsThroughTheRealParsersWithNoInvalidRecord() throws IOException {
        final GeneratedSummary summary = new DataGenerator(GeneratorConfig.of(3, Scale.TINY, MONDAY)).generate(dir);
        final List<IngestReport> reports = new ArrayList<>();
        try (Creneau creneau = Creneau.builder().clock(Clock.fixed(MONDAY, ZoneOffset.UTC)).expiryTimer(false)
            .listener(reports::add).build()) {
            creneau.loadDirectory(dir.resolve(DataGenerator.PRACTITIONERS_FILE));
            for (final Path feed : files(dir.resolve(DataGenerator.FEEDS_DIR))) {
                creneau.ingestVendorFeed(feed);
            }
            for (final Path manual : files(dir.resolve(DataGenerator.MANUAL_DIR))) {
                creneau.ingestManual(manual);
            }
            long accepted = 0;
            for (final IngestReport r : reports) {
                assertThat(r.invalidTotal()).as("bad data in %s: %s", r.label(), r.samples()).isZero();
                if (!"directory".equals(r.source())) {
                    accepted += r.accepted();
                }
            }
            assertThat(reports.get(0).accepted()).isEqualTo(summary.practitioners());
            assertThat(accepted).isPositive().isEqualTo(creneau.stats().liveSlots());
            assertThat(reports).anySatisfy(r -> assertThat(r.rejected(RejectReason.NOT_VISIBLE)).isPositive());

            // And the data answers a search in a big city of the tiny set.
            final SearchResults results = new SearchResults();
            final RegulatorQuery query = new RegulatorQuery().patient(48.8566, 2.3522).now(MONDAY);
            assertThat(creneau.search(query, results)).isPositive();
            assertThat(results.kind(0)).isIn(ResultKind.SLOT, ResultKind.SURNUMERAIRE, ResultKind.CPTS);
        }
    }

    private static List<Path> files(final Path dir) throws IOException {
        final List<Path> list = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
            s.forEach(list::add);
        }
        list.sort(null);
        return list;
    }
}
