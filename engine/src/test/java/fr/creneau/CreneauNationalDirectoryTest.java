package fr.creneau;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import fr.creneau.feed.AnnuaireSanteLoader;
import fr.creneau.feed.Fixtures;
import fr.creneau.feed.IngestReport;
import fr.creneau.feed.Modality;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.ResultKind;
import fr.creneau.rank.SearchResults;

/** The host entry for the national directory: load (national file, overlay), then search against it. */
class CreneauNationalDirectoryTest {

    @Test
    void aNationalDirectoryWithItsOverlayIsSearchedLikePractitionersJson() {
        final List<IngestReport> reports = new ArrayList<>();
        try (Creneau creneau = Creneau.builder().clock(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC))
            .listener(reports::add).build()) {
            final AnnuaireSanteLoader.Result result = creneau.loadNationalDirectory(
                Fixtures.path("annuaire/annuaire-searchset.json"), Fixtures.path("annuaire/overlay.json"));
            assertThat(creneau.directory().size()).isEqualTo(3);
            assertThat(creneau.directory().structures()).hasSize(3);
            assertThat(result.overlay().accepted()).isEqualTo(3);

            // No slot anywhere: the surnuméraire of the overlay is the contact near the patient.
            final RegulatorQuery query = new RegulatorQuery();
            final SearchResults results = new SearchResults();
            query.reset().patient(48.8566, 2.3522).now(Fixtures.NOW).modality(Modality.OFFICE).limit(5);
            final int rows = creneau.search(query, results);
            assertThat(rows).isPositive();
            assertThat(results.kind(0)).isEqualTo(ResultKind.SURNUMERAIRE);
            assertThat(results.name(0)).isEqualTo("Arthur Saucier");
        }
        assertThat(reports).extracting(IngestReport::source).containsExactly("annuaire-sante", "sas-overlay");
    }
}
