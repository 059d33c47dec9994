package fr.creneau;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import fr.creneau.feed.Fixtures;
import fr.creneau.feed.IngestReport;
import fr.creneau.feed.Modality;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.ResultKind;
import fr.creneau.rank.SearchResults;

/** Runs the example of {@link Creneau}'s Javadoc and of the README, on the fixture files. */
class CreneauExampleTest {

    @Test
    void theDocumentedExampleRunsAndFollowsTheProtocol() {
        final Path data = Fixtures.path("practitioners.json").getParent();
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        final Instant now = Fixtures.NOW;
        final List<IngestReport> reports = new ArrayList<>();

        // ---- the example, as documented (with a fixed clock instead of the system one) ----
        try (Creneau creneau = Creneau.builder().clock(Clock.fixed(now, ZoneOffset.UTC)).listener(reports::add).build()) {
            creneau.loadDirectory(data.resolve("practitioners.json"));
            creneau.ingestVendorFeed(data.resolve("feeds/doctolib.json"));
            creneau.ingestManual(data.resolve("manual/sas-agenda.json"));

            final RegulatorQuery query = new RegulatorQuery();
            final SearchResults results = new SearchResults();
            query.reset().patient(48.8566, 2.3522).now(now)
                .modality(Modality.OFFICE).medecinTraitant(10000000017L).limit(5);
            final int rows = creneau.search(query, results);
            for (int i = 0; i < rows; i++) {
                out.printf("%d %s %s %.1f km %s %s%n", i + 1, results.kind(i), results.name(i),
                    results.distanceKm(i), results.start(i), results.booking(i));
            }
            // ---- end of the example ----

            assertThat(rows).isEqualTo(2);
            assertThat(results.kind(0)).isEqualTo(ResultKind.MEDECIN_TRAITANT);
            assertThat(results.name(0)).isEqualTo("Dr Alice Martin");
            // Bruno refuses vendor display but entered a manual slot: it is the other free office slot.
            assertThat(results.kind(1)).isEqualTo(ResultKind.SLOT);
            assertThat(results.name(1)).isEqualTo("Dr Bruno Petit");
            assertThat(creneau.stats().liveSlots()).isEqualTo(4 + 3);
        }
        assertThat(reports).extracting(IngestReport::source).containsExactly("directory", "Doctolib", "manual");
        assertThat(printed.toString(StandardCharsets.UTF_8))
            .contains("1 MEDECIN_TRAITANT Dr Alice Martin").contains("ONLINE").contains("2 SLOT Dr Bruno Petit");
    }
}
