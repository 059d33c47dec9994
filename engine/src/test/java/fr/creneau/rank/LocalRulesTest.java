package fr.creneau.rank;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.feed.Modality;

/**
 * The local rules of step 2 and of the second level (issue 16): SAS participants first, the office
 * radius per département widened while fewer than five practitioners have a slot, each
 * practitioner's own home-visit radius, and a département's own second-level order. Monday 10:00
 * (SAS channel).
 */
class LocalRulesTest {
    private static final double PARIS_LAT = 48.8566;
    private static final double PARIS_LON = 2.3522;
    private static final double MENDE_LAT = 44.5180;
    private static final double MENDE_LON = 3.5000;

    @TempDir
    Path dir;

    private final RegulatorQuery query = new RegulatorQuery();
    private final SearchResults results = new SearchResults();

    private List<String> names(final Creneau c) {
        c.search(query, results);
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            names.add(results.name(i));
        }
        return names;
    }

    @Test
    void aSasParticipantFiveKmAwayComesBeforeANonParticipant300mAway() {
        final Scenario s = new Scenario(dir);
        final long near = s.practitioner("default-sent", "GP", PARIS_LAT + 0.0027, PARIS_LON, "Doctolib", false, null,
            "NONE"); // 300 m
        final long far = s.practitioner("participant", "GP", PARIS_LAT + 0.045, PARIS_LON, "Doctolib", false, null,
            "INDIVIDUAL"); // 5 km
        s.slot("Doctolib", near, 30, "OFFICE");
        s.slot("Doctolib", far, 90, "OFFICE");
        query.reset().patient(PARIS_LAT, PARIS_LON).now(Scenario.NOW);
        assertThat(names(s.load())).containsExactly("participant", "default-sent");
        // Configurable: off, distance decides again.
        final Creneau c = s.load(java.time.Clock.fixed(Scenario.NOW, java.time.ZoneOffset.UTC),
            ProtocolConfig.builder().participantsFirst(false).build());
        assertThat(names(c)).containsExactly("default-sent", "participant");
    }

    @Test
    void theOfficeRadiusIsTheDepartementsAndWidensInASparseDepartement() {
        // Lozère: 50 km in the table, a 25 km step; two practitioners within 50 km, one at ~57 km.
        final Scenario s = new Scenario(dir);
        final long a = s.gp("marvejols", 44.5539, 3.2917, "Doctolib");
        final long b = s.gp("langogne", 44.7272, 3.8556, "Doctolib");
        final long c = s.gp("far", MENDE_LAT + 0.513, MENDE_LON, "Doctolib"); // ~57 km north
        s.slot("Doctolib", a, 60, "OFFICE");
        s.slot("Doctolib", b, 60, "OFFICE");
        s.slot("Doctolib", c, 60, "OFFICE");
        query.reset().patient(MENDE_LAT, MENDE_LON).now(Scenario.NOW);
        assertThat(names(s.load())).containsExactly("marvejols", "langogne", "far");
        assertThat(results.departement()).isEqualTo("48");
    }

    @Test
    void aDenseDepartementKeepsItsNarrowRadiusOnceFivePractitionersHaveASlot() {
        // Paris: 5 km in the table, a 3 km step.
        final Scenario s = new Scenario(dir);
        for (int i = 0; i < 5; i++) {
            s.slot("Doctolib", s.gp("near" + i, PARIS_LAT + 0.005 * (i + 1), PARIS_LON, "Doctolib"), 60, "OFFICE");
        }
        s.slot("Doctolib", s.gp("seven-km", PARIS_LAT + 0.063, PARIS_LON, "Doctolib"), 60, "OFFICE");
        query.reset().patient(PARIS_LAT, PARIS_LON).now(Scenario.NOW);
        assertThat(names(s.load())).hasSize(5).doesNotContain("seven-km");
    }

    @Test
    void aDenseDepartementWidensByItsStepWhenFewerThanFiveHaveASlot() {
        final Scenario s = new Scenario(dir);
        s.slot("Doctolib", s.gp("near", PARIS_LAT + 0.01, PARIS_LON, "Doctolib"), 60, "OFFICE");
        s.slot("Doctolib", s.gp("seven-km", PARIS_LAT + 0.063, PARIS_LON, "Doctolib"), 60, "OFFICE");
        s.slot("Doctolib", s.gp("forty-km", PARIS_LAT + 0.36, PARIS_LON, "Doctolib"), 60, "OFFICE");
        query.reset().patient(PARIS_LAT, PARIS_LON).now(Scenario.NOW);
        // 5 → 8 → ... → 29 → 30 km (the national default caps Paris): never 40 km.
        assertThat(names(s.load())).containsExactly("near", "seven-km");
    }

    @Test
    void aHomeVisitUsesEachPractitionersOwnTravelRadiusInTheSlotStep() {
        final Scenario s = new Scenario(dir);
        s.slot("Doctolib", s.gp("travels-15", PARIS_LAT + 0.12, PARIS_LON, "Doctolib"), 60, "HOME_VISIT"); // 13 km
        s.with("homeVisitRadiusKm", 15);
        s.slot("Doctolib", s.gp("default-10", PARIS_LAT + 0.12, PARIS_LON + 0.001, "Doctolib"), 60, "HOME_VISIT");
        s.slot("Doctolib", s.gp("travels-3", PARIS_LAT + 0.045, PARIS_LON, "Doctolib"), 60, "HOME_VISIT"); // 5 km
        s.with("homeVisitRadiusKm", 3);
        query.reset().patient(PARIS_LAT, PARIS_LON).now(Scenario.NOW).modality(Modality.HOME_VISIT);
        assertThat(names(s.load())).containsExactly("travels-15");
    }

    @Test
    void aHomeVisitSurnumeraireOutsideHisTravelRadiusIsLeftOut() {
        final Scenario s = new Scenario(dir);
        s.practitioner("six-km-travels-5", "GP", PARIS_LAT + 0.054, PARIS_LON, null, true, null);
        s.with("homeVisitRadiusKm", 5);
        s.practitioner("six-km-travels-8", "GP", PARIS_LAT + 0.054, PARIS_LON + 0.001, null, true, null);
        s.with("homeVisitRadiusKm", 8);
        s.practitioner("twelve-km-default", "GP", PARIS_LAT + 0.108, PARIS_LON, null, true, null);
        query.reset().patient(PARIS_LAT, PARIS_LON).now(Scenario.NOW).modality(Modality.HOME_VISIT);
        assertThat(names(s.load())).containsExactly("six-km-travels-8");
        assertThat(results.kind(0)).isEqualTo(ResultKind.SURNUMERAIRE);
        // An office visit still proposes all three (the radius is the travel one only).
        query.reset().patient(PARIS_LAT, PARIS_LON).now(Scenario.NOW);
        assertThat(names(s.load())).hasSize(3);
    }

    @Test
    void aDepartementCanPutItsCptsBeforeItsIndividualVolunteers() {
        final Scenario s = new Scenario(dir);
        s.practitioner("individual-near", "GP", 44.5181, 3.5006, null, true, null);
        s.practitioner("marvejols-cpts", "GP", 44.5539, 3.2917, null, true, "lozere");
        s.practitioner("sos-member", "GP", 44.53, 3.52, null, true, null, "SOS_MEDECINS");
        query.reset().patient(MENDE_LAT, MENDE_LON).now(Scenario.NOW);
        // National default: all groups together, nearest first.
        assertThat(names(s.load())).containsExactly("individual-near", "sos-member", "CPTS lozere");
        final ProtocolConfig lozere = ProtocolConfig.builder().secondLevelOrder("48", List.of(
            ProtocolConfig.SecondLevel.CPTS, ProtocolConfig.SecondLevel.SOS_MEDECINS,
            ProtocolConfig.SecondLevel.STRUCTURES, ProtocolConfig.SecondLevel.INDIVIDUALS)).build();
        final Creneau c = s.load(java.time.Clock.fixed(Scenario.NOW, java.time.ZoneOffset.UTC), lozere);
        assertThat(names(c)).containsExactly("CPTS lozere", "sos-member", "individual-near");
        // Another département keeps the national order.
        final ProtocolConfig gard = ProtocolConfig.builder().secondLevelOrder("30", List.of(
            ProtocolConfig.SecondLevel.CPTS)).build();
        assertThat(names(s.load(java.time.Clock.fixed(Scenario.NOW, java.time.ZoneOffset.UTC), gard)))
            .containsExactly("individual-near", "sos-member", "CPTS lozere");
    }

    /**
     * Issues 15 and 16 together: a surnuméraire registered through a directory structure is reached
     * through its STRUCTURE row, which takes its place in the département's second-level order by
     * the structure's kind (SOS Médecins in SOS_MEDECINS, a CDS in STRUCTURES); and inside a group a
     * structure closed now comes after the open ones, with reachableFrom its opening.
     */
    @Test
    void structureRowsFollowTheDepartementsOrderByTheirKindAndClosedOnesComeLast() {
        final Scenario s = new Scenario(dir);
        s.structure("sos48", "SOS_MEDECINS", 44.53, 3.52, null);
        // Open on weekends only: closed on the scenario's Monday.
        s.structure("cds-closed", "CDS", 44.5181, 3.5001, List.of(java.util.Map.of("days", List.of("SAT", "SUN"),
            "from", "08:00", "to", "20:00")));
        s.structure("cds-open", "CDS", 44.55, 3.45, null);
        s.entry(s.practitioner("sos-doc", "GP", 44.53, 3.52, null, true, null)).put("structure", "sos48");
        s.entry(s.practitioner("closed-doc", "GP", 44.5181, 3.5001, null, true, null)).put("structure", "cds-closed");
        s.entry(s.practitioner("open-doc", "GP", 44.55, 3.45, null, true, null)).put("structure", "cds-open");
        s.practitioner("individual", "GP", 44.5182, 3.5002, null, true, null);
        query.reset().patient(MENDE_LAT, MENDE_LON).now(Scenario.NOW);
        // National default: one group, the open rows nearest first, the closed CDS after them.
        assertThat(names(s.load())).containsExactly("individual", "SOS_MEDECINS sos48", "CDS cds-open", "CDS cds-closed");
        assertThat(results.reachableFrom(3)).isEqualTo(java.time.Instant.parse("2026-11-28T07:00:00Z"));
        final ProtocolConfig lozere = ProtocolConfig.builder().secondLevelOrder("48", List.of(
            ProtocolConfig.SecondLevel.STRUCTURES, ProtocolConfig.SecondLevel.SOS_MEDECINS,
            ProtocolConfig.SecondLevel.INDIVIDUALS)).build();
        final Creneau c = s.load(java.time.Clock.fixed(Scenario.NOW, java.time.ZoneOffset.UTC), lozere);
        assertThat(names(c)).containsExactly("CDS cds-open", "CDS cds-closed", "SOS_MEDECINS sos48", "individual");
        assertThat(results.kind(0)).isEqualTo(ResultKind.STRUCTURE);
    }
}
