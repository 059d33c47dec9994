package fr.creneau.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.booking.Operator;
import fr.creneau.directory.Profession;
import fr.creneau.feed.Modality;

/** The SAS ranking protocol, one rule per test, on real JSON files loaded through the facade. */
class RankingProtocolTest {
    // Patient at the Hôtel de Ville, Paris. 0.01° of latitude is 1.11 km.
    private static final double LAT = 48.8566;
    private static final double LON = 2.3522;

    @TempDir
    Path dir;

    private final RegulatorQuery query = new RegulatorQuery();
    private final SearchResults results = new SearchResults();

    private int search(final Creneau creneau) {
        return creneau.search(query, results);
    }

    private RegulatorQuery paris() {
        return query.reset().patient(LAT, LON).now(Scenario.NOW);
    }

    private List<String> names() {
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            names.add(results.name(i));
        }
        return names;
    }

    @Test
    void medecinTraitantFirstWithTheirOwnFreeSlot() {
        final Scenario s = new Scenario(dir);
        final long near = s.gp("near", LAT + 0.002, LON, "Doctolib");
        final long mt = s.gp("mt", LAT + 0.15, LON, "Doctolib"); // 17 km away: farther than everyone
        s.slot("Doctolib", near, 60, "OFFICE");
        s.slot("Doctolib", mt, 600, "OFFICE");
        s.slot("Doctolib", mt, 300, "OFFICE");
        paris().medecinTraitant(mt);
        assertThat(search(s.load())).isEqualTo(2);
        assertThat(results.kind(0)).isEqualTo(ResultKind.MEDECIN_TRAITANT);
        assertThat(results.rpps(0)).isEqualTo(mt);
        assertThat(results.start(0)).isEqualTo(Scenario.NOW.plus(Duration.ofMinutes(300)));
        assertThat(results.booking(0)).isEqualTo(BookingMethod.ONLINE);
        assertThat(results.kind(1)).isEqualTo(ResultKind.SLOT);
        assertThat(results.rpps(1)).isEqualTo(near);
    }

    @Test
    void medecinTraitantWithoutDisplayedSlotIsAPhoneContact() {
        final Scenario s = new Scenario(dir);
        final long mt = s.gp("mt", LAT + 0.01, LON, null);
        paris().medecinTraitant(mt);
        assertThat(search(s.load())).isGreaterThanOrEqualTo(1);
        assertThat(results.kind(0)).isEqualTo(ResultKind.MEDECIN_TRAITANT);
        assertThat(results.hasSlot(0)).isFalse();
        assertThat(results.booking(0)).isEqualTo(BookingMethod.PHONE);
        assertThat(results.phone(0)).isEqualTo("tel-mt");
        assertThat(results.start(0)).isNull();
    }

    @Test
    void aMedecinTraitantUnknownToTheDirectoryIsFlaggedNotInvented() {
        final Scenario s = new Scenario(dir);
        final long a = s.gp("a", LAT, LON + 0.01, "Doctolib");
        s.slot("Doctolib", a, 60, "OFFICE");
        paris().medecinTraitant(10000000017L);
        assertThat(search(s.load())).isEqualTo(1);
        assertThat(results.medecinTraitantUnknown()).isTrue();
        assertThat(results.kind(0)).isEqualTo(ResultKind.SLOT);
    }

    @Test
    void nearestFreeSlotsFirstOneRowPerPractitionerWithTheirEarliestSlot() {
        final Scenario s = new Scenario(dir);
        final long far = s.gp("far", LAT + 0.05, LON, "Doctolib");      // 5.6 km
        final long mid = s.gp("mid", LAT + 0.025, LON, "Doctolib");     // 2.8 km
        final long close = s.gp("close", LAT + 0.004, LON, "Doctolib"); // 0.4 km
        s.slot("Doctolib", far, 30, "OFFICE");
        s.slot("Doctolib", mid, 120, "OFFICE");
        s.slot("Doctolib", close, 900, "OFFICE");
        s.slot("Doctolib", close, 240, "OFFICE");
        s.slot("Doctolib", close, 2000, "OFFICE");
        paris();
        assertThat(search(s.load())).isEqualTo(3);
        assertThat(names()).containsExactly("close", "mid", "far");
        assertThat(results.start(0)).isEqualTo(Scenario.NOW.plus(Duration.ofMinutes(240)));
        assertThat(results.distanceKm(0)).isBetween(0.40, 0.50);
    }

    @Test
    void tiesInTheSameDistanceBandGoToTheEarliestSlot() {
        final Scenario s = new Scenario(dir);
        final long later = s.gp("later", LAT + 0.001, LON, "Doctolib");
        final long sooner = s.gp("sooner", LAT + 0.002, LON, "Doctolib");
        s.slot("Doctolib", later, 600, "OFFICE");
        s.slot("Doctolib", sooner, 60, "OFFICE");
        paris();
        search(s.load());
        assertThat(names()).containsExactly("sooner", "later");
    }

    @Test
    void onlyTheRequestedModalityProfessionAndWindow() {
        final Scenario s = new Scenario(dir);
        final long gp = s.gp("gp", LAT + 0.003, LON, "Doctolib");
        final long nurse = s.practitioner("nurse", "NURSE", LAT + 0.001, LON, "Doctolib", false, null);
        final long tele = s.gp("tele", LAT + 0.002, LON, "Doctolib");
        final long late = s.gp("late", LAT + 0.001, LON + 0.001, "Doctolib");
        s.slot("Doctolib", gp, 60, "OFFICE");
        s.slot("Doctolib", nurse, 60, "OFFICE");
        s.slot("Doctolib", tele, 60, "TELECONSULTATION");
        s.slot("Doctolib", late, 6 * 60, "OFFICE");
        final Creneau creneau = s.load();
        paris().windowMinutes(4 * 60);
        search(creneau);
        assertThat(names()).containsExactly("gp");
        paris().profession(Profession.NURSE);
        search(creneau);
        assertThat(names()).containsExactly("nurse");
        paris().modality(Modality.TELECONSULTATION);
        search(creneau);
        assertThat(names()).containsExactly("tele");
    }

    @Test
    void heldAndBookedSlotsAreNeverProposed() {
        final Scenario s = new Scenario(dir);
        final long a = s.gp("a", LAT + 0.002, LON, "Doctolib");
        s.slot("Doctolib", a, 60, "OFFICE");
        s.slot("Doctolib", a, 120, "OFFICE");
        final Creneau creneau = s.load();
        paris();
        search(creneau);
        assertThat(creneau.bookings().hold(results, 0, new Operator("op-1", "RICART", "Pauline", "op-1@ghsas.fr")).isHeld())
            .isTrue();
        search(creneau);
        assertThat(results.start(0)).isEqualTo(Scenario.NOW.plus(Duration.ofMinutes(120)));
    }

    @Test
    void aPractitionerBeyondTheMaximumDistanceIsNotNearAndTheSurnumeraireStepApplies() {
        final Scenario s = new Scenario(dir);
        final long paris = s.gp("paris", LAT, LON, "Doctolib");
        s.slot("Doctolib", paris, 60, "OFFICE");
        final long mende = s.practitioner("mende", "GP", 44.5181, 3.5006, null, true, null);
        s.practitioner("marvejols-cpts", "GP", 44.5539, 3.2917, null, true, "lozere");
        s.practitioner("langogne-cpts", "GP", 44.7272, 3.8556, null, true, "lozere");
        s.practitioner("not-extra", "GP", 44.52, 3.50, null, false, null);
        query.reset().patient(44.5180, 3.5000).now(Scenario.NOW); // Mende, Lozère
        assertThat(search(s.load())).isEqualTo(2);
        assertThat(results.kind(0)).isEqualTo(ResultKind.SURNUMERAIRE);
        assertThat(results.rpps(0)).isEqualTo(mende);
        assertThat(results.booking(0)).isEqualTo(BookingMethod.PHONE);
        assertThat(results.kind(1)).isEqualTo(ResultKind.CPTS);
        assertThat(results.rpps(1)).isEqualTo(-1);
        assertThat(results.name(1)).isEqualTo("CPTS lozere");
        assertThat(results.phone(1)).isEqualTo("tel-lozere");
        // The nearest member decides the CPTS's distance: Marvejols, ~17 km from Mende.
        assertThat(results.distanceKm(1)).isBetween(15.0, 20.0);
    }

    @Test
    void teleconsultationIsNotLimitedByDistance() {
        final Scenario s = new Scenario(dir);
        final long paris = s.gp("paris", LAT, LON, "Doctolib");
        s.slot("Doctolib", paris, 60, "TELECONSULTATION");
        query.reset().patient(44.5180, 3.5000).now(Scenario.NOW).modality(Modality.TELECONSULTATION);
        assertThat(search(s.load())).isEqualTo(1);
        assertThat(results.kind(0)).isEqualTo(ResultKind.SLOT);
        assertThat(results.distanceKm(0)).isGreaterThan(450);
    }

    @Test
    void aHomeVisitMustBeWithinTheTravelRadius() {
        final Scenario s = new Scenario(dir);
        final long near = s.gp("near", LAT + 0.05, LON, "Doctolib");  // 5.6 km
        final long far = s.gp("far", LAT + 0.12, LON, "Doctolib");    // 13 km
        s.slot("Doctolib", near, 60, "HOME_VISIT");
        s.slot("Doctolib", far, 30, "HOME_VISIT");
        paris().modality(Modality.HOME_VISIT);
        search(s.load());
        assertThat(names()).containsExactly("near");
    }

    @Test
    void eachRowSaysHowToBook() {
        final Scenario s = new Scenario(dir);
        final long online = s.gp("online", LAT + 0.001, LON, "Doctolib");
        final long maiia = s.gp("maiia", LAT + 0.02, LON, "Maiia");
        final long manual = s.gp("manual", LAT + 0.04, LON, null);
        s.slot("Doctolib", online, 60, "OFFICE");
        s.slot("Maiia", maiia, 60, "OFFICE");
        s.manualSlot(manual, 60);
        paris();
        assertThat(search(s.load())).isEqualTo(3);
        assertThat(names()).containsExactly("online", "maiia", "manual");
        assertThat(results.booking(0)).isEqualTo(BookingMethod.ONLINE);
        assertThat(results.booking(1)).isEqualTo(BookingMethod.PHONE);
        assertThat(results.booking(2)).isEqualTo(BookingMethod.PHONE);
        assertThat(results.source(2)).isZero();
    }

    @Test
    void theNextProposalDiffersWhenThePatientRefusedAPractitioner() {
        final Scenario s = new Scenario(dir);
        final long mt = s.gp("mt", LAT + 0.001, LON, "Doctolib");
        final long a = s.gp("a", LAT + 0.002, LON, "Doctolib");
        final long b = s.gp("b", LAT + 0.03, LON, "Doctolib");
        s.slot("Doctolib", mt, 60, "OFFICE");
        s.slot("Doctolib", a, 60, "OFFICE");
        s.slot("Doctolib", b, 60, "OFFICE");
        final Creneau creneau = s.load();
        paris().medecinTraitant(mt).exclude(mt).exclude(a);
        search(creneau);
        assertThat(names()).containsExactly("b");
    }

    @Test
    void theLimitCountsTheMedecinTraitantRow() {
        final Scenario s = new Scenario(dir);
        final long mt = s.gp("mt", LAT + 0.1, LON, null);
        for (int i = 0; i < 5; i++) {
            // 1.3 km apart: each in its own distance band, so the order is by distance alone.
            s.slot("Doctolib", s.gp("g" + i, LAT + 0.012 * i, LON, "Doctolib"), 60, "OFFICE");
        }
        paris().medecinTraitant(mt).limit(3);
        assertThat(search(s.load())).isEqualTo(3);
        assertThat(names()).containsExactly("mt", "g0", "g1");
    }

    @Test
    void practitionersAtTheSameDistanceTakeTurnsFromOneRotationPeriodToTheNext() {
        final Scenario s = new Scenario(dir);
        for (int i = 0; i < 8; i++) {
            // One building, one hour: only the rotation tells them apart.
            s.slot("Doctolib", s.gp("doctor-" + i, LAT + 0.003, LON + 0.0001 * i, "Doctolib"), 2400 + i, "OFFICE");
        }
        final SteppedClockForRank clock = new SteppedClockForRank();
        final Creneau creneau = s.load(clock);
        final Set<String> firsts = new HashSet<>();
        for (int hour = 0; hour < 12; hour++) {
            query.reset().patient(LAT, LON).now(Scenario.NOW.plus(Duration.ofMinutes(hour * 60L - 50))).limit(1);
            // Within the hour the answer is stable...
            assertThat(search(creneau)).isEqualTo(1);
            final String first = results.name(0);
            query.reset().patient(LAT, LON).now(Scenario.NOW.plus(Duration.ofMinutes(hour * 60L - 50 + 1))).limit(1);
            assertThat(search(creneau)).isEqualTo(1);
            if (hour > 0) {
                firsts.add(first);
            }
            assertThat(results.name(0)).as("same period, same first row").isEqualTo(first);
        }
        // ...and across hours the first place goes round (8 candidates, 11 periods).
        assertThat(firsts.size()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aQueryWithoutPositionOrTimeIsAClearError() {
        final Creneau creneau = new Scenario(dir).load();
        assertThatThrownBy(() -> creneau.search(new RegulatorQuery().now(Scenario.NOW), results))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("position");
        assertThatThrownBy(() -> new RegulatorQuery().windowMinutes(49 * 60))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> new RegulatorQuery().patient(91, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A fixed clock for ingestion; queries carry their own "now". */
    private static final class SteppedClockForRank extends Clock {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return Scenario.NOW;
        }
    }
}
