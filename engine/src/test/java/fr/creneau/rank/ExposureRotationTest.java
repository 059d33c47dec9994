package fr.creneau.rank;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;

/**
 * Fairness from exposure (issue 17): inside a band and an hour, the practitioners least proposed
 * to operators come first. Within one rotation period the hash alone always put the same doctor on
 * top; with the rows shown counted, a doctor never proposed rises to the top at the next search.
 */
class ExposureRotationTest {
    private static final double LAT = 48.8566;
    private static final double LON = 2.3522;

    @TempDir
    Path dir;

    private final RegulatorQuery query = new RegulatorQuery();
    private final SearchResults results = new SearchResults();

    private List<String> top(final Creneau c, final int limit) {
        query.reset().patient(LAT, LON).now(Scenario.NOW).limit(limit);
        c.search(query, results);
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            names.add(results.name(i));
        }
        return names;
    }

    private static Creneau fourInOneBuilding(final Scenario s) {
        for (int i = 0; i < 4; i++) {
            // One building, one hour: only the rotation tells them apart.
            s.slot("Doctolib", s.gp("doctor-" + i, LAT + 0.003, LON + 0.0001 * i, "Doctolib"), 120 + i, "OFFICE");
        }
        return s.load();
    }

    @Test
    void withoutExposureTheSameDoctorStaysOnTopForTheWholePeriod() {
        try (Creneau c = fourInOneBuilding(new Scenario(dir))) {
            final String first = top(c, 1).get(0);
            for (int i = 0; i < 5; i++) {
                assertThat(top(c, 1)).containsExactly(first); // searches alone count nothing
            }
        }
    }

    @Test
    void aDoctorNeverProposedRisesToTheTopAtTheNextSearch() {
        try (Creneau c = fourInOneBuilding(new Scenario(dir))) {
            final List<String> hashOrder = top(c, 4);
            final String last = hashOrder.get(3);
            // The operator is shown the top row, four times: each search proposes the least proposed.
            final Set<String> shown = new LinkedHashSet<>();
            for (int i = 0; i < 4; i++) {
                final List<String> row = top(c, 1);
                shown.add(row.get(0));
                c.recordSearch("case-" + i, "anne", results);
            }
            assertThat(shown).containsExactlyElementsOf(hashOrder); // in hash order, one turn each
            assertThat(shown).contains(last);
            // Everyone proposed once: the hash order again; a doctor left behind rises.
            assertThat(top(c, 4)).isEqualTo(hashOrder);
            top(c, 3);
            c.recordSearch("case-x", "anne", results);
            assertThat(top(c, 1)).containsExactly(last);
        }
    }

    /** A clock the test moves. */
    private static final class MovableClock extends java.time.Clock {
        private volatile java.time.Instant now;

        MovableClock(final java.time.Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(final java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void theCountsHalveOnceAHalfLifeOnTheInstancesClock() {
        final MovableClock clock = new MovableClock(Scenario.NOW);
        final Scenario s = new Scenario(dir);
        final long often = s.gp("often", LAT + 0.003, LON, "Doctolib");
        s.slot("Doctolib", often, 120, "OFFICE");
        try (Creneau c = s.load(clock)) {
            final int i = c.directory().indexOf(often);
            for (int k = 0; k < 5; k++) {
                c.exposure().proposed(c.directory(), often);
            }
            c.exposure().taken(c.directory(), often);
            clock.now = Scenario.NOW.plus(java.time.Duration.ofDays(7)).minusSeconds(1);
            c.advance();
            assertThat(c.exposure().proposed(i)).isEqualTo(5); // not a half-life yet (the default: 7 days)
            clock.now = Scenario.NOW.plus(java.time.Duration.ofDays(7));
            c.advance();
            assertThat(c.exposure().proposed(i)).isEqualTo(2);
            assertThat(c.exposure().taken(i)).isZero();
            c.advance();
            assertThat(c.exposure().proposed(i)).isEqualTo(2); // once per half-life, not per call
            for (int k = 0; k < 6; k++) {
                c.exposure().proposed(c.directory(), often);
            }
            clock.now = Scenario.NOW.plus(java.time.Duration.ofDays(21)); // two half-lives later: two halvings
            c.advance();
            assertThat(c.exposure().proposed(i)).isEqualTo(2); // 8 -> 4 -> 2
        }
    }

    @Test
    void aHalfLifeUnderAMinuteIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Creneau.builder().exposureHalfLife(java.time.Duration.ofSeconds(30)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exposureHalfLife");
    }

    @Test
    void theRotationComponentPutsTheLeastProposedFirstAndKeepsTheBandAndHourAbove() {
        final long a = 10000000017L;
        final int seed = 12345;
        assertThat(Integer.toUnsignedLong(Searcher.rotation(a, seed, 0)))
            .isLessThan(Integer.toUnsignedLong(Searcher.rotation(a, seed, 1)));
        assertThat(Searcher.rotation(a, seed, 70_000)).isEqualTo(Searcher.rotation(a, seed, 0xFFFF)); // saturates
        // However often proposed, a nearer band or an earlier hour still wins.
        assertThat(Searcher.rankKey(0.1, 0, a, seed, 1.0, 0xFFFF)).isLessThan(Searcher.rankKey(1.5, 0, a, seed, 1.0, 0));
        assertThat(Searcher.rankKey(0.1, 1, a, seed, 1.0, 0)).isGreaterThan(Searcher.rankKey(0.1, 0, a, seed, 1.0, 9));
        assertThat(Searcher.rankKey(0.1, 2, a, seed, 1.0)).isEqualTo(Searcher.rankKey(0.1, 2, a, seed, 1.0, 0));
    }
}
