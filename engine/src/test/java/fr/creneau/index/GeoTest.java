package fr.creneau.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The haversine's series asin against {@code Math.asin}, and distances against known ones. */
class GeoTest {
    @Test
    void theSeriesAsinIsWithinTwoUlpsOfMathAsin() {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1_000_000; i++) {
            final double x = random.nextDouble() * (i % 2 == 0 ? 0.1 : 1e-3);
            final double expected = Math.asin(x);
            assertThat(Math.abs(Geo.asin(x) - expected)).as("asin(%s)", x).isLessThanOrEqualTo(2 * Math.ulp(expected));
        }
        assertThat(Geo.asin(0)).isZero();
        assertThat(Geo.asin(0.5)).isEqualTo(Math.asin(0.5));
    }

    @Test
    void theDistanceFromAPrecomputedOriginIsBitForBitTheSame() {
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            final double lat1 = -25 + random.nextDouble() * 80;
            final double lon1 = -65 + random.nextDouble() * 130;
            final double lat2 = lat1 + (random.nextDouble() - 0.5) * (i % 3 == 0 ? 60 : 1);
            final double lon2 = lon1 + (random.nextDouble() - 0.5) * (i % 3 == 0 ? 60 : 1);
            final double p1 = Math.toRadians(lat1);
            assertThat(Geo.distanceKm(lat1, lon1, p1, Math.cos(p1), lat2, lon2))
                .isEqualTo(Geo.distanceKm(lat1, lon1, lat2, lon2));
        }
    }

    @Test
    void theNearDistanceIsWithinItsBoundOfTheHaversineWhereItAnswers() {
        final SplittableRandom random = new SplittableRandom(13);
        double worst = 0;
        int answered = 0;
        for (int i = 0; i < 1_000_000; i++) {
            // Every latitude of the territories (and beyond, to 60°), spans up to past the domain.
            final double lat1 = -25 + random.nextDouble() * 85;
            final double lon1 = -65 + random.nextDouble() * 130;
            final double scale = i % 4 == 0 ? 1.5 : i % 4 == 1 ? 0.1 : 0.01;
            final double lat2 = lat1 + (random.nextDouble() - 0.5) * scale;
            final double lon2 = lon1 + (random.nextDouble() - 0.5) * scale * 2;
            final double p1 = Math.toRadians(lat1);
            final double near = Geo.nearKm(lon1, p1, Math.sin(p1), Math.cos(p1), lat2, lon2);
            if (Double.isNaN(near)) {
                continue;
            }
            answered++;
            final double exact = Geo.distanceKm(lat1, lon1, lat2, lon2);
            assertThat(Math.abs(near - exact)).as("%s,%s to %s,%s", lat1, lon1, lat2, lon2)
                .isLessThanOrEqualTo(near * Geo.NEAR_RELATIVE_ERROR + 1e-6);
            if (exact > 0.01) {
                worst = Math.max(worst, Math.abs(near - exact) / exact);
            }
        }
        assertThat(answered).isGreaterThan(500_000);
        // The documented margin: the error measured stays well inside the bound the searcher uses.
        assertThat(worst).isLessThan(Geo.NEAR_RELATIVE_ERROR * 0.8);
    }

    @Test
    void theNearDistanceDeclinesBeyondItsDomain() {
        final double p1 = Math.toRadians(48.85);
        assertThat(Geo.nearKm(2.35, p1, Math.sin(p1), Math.cos(p1), 48.85 + 0.6, 2.35)).isNaN();
        assertThat(Geo.nearKm(2.35, p1, Math.sin(p1), Math.cos(p1), 48.85, 2.35 + 1.2)).isNaN();
        final double north = Math.toRadians(61);
        assertThat(Geo.nearKm(2.35, north, Math.sin(north), Math.cos(north), 61.001, 2.35)).isNaN();
    }

    @Test
    void distancesAreTheHaversines() {
        // Paris (Notre-Dame) to Lyon (Bellecour): 391.5 km on the mean sphere.
        assertThat(Geo.distanceKm(48.8530, 2.3499, 45.7578, 4.8320)).isBetween(391.0, 392.0);
        assertThat(Geo.distanceKm(48.85, 2.35, 48.85, 2.35)).isZero();
        // Paris to Saint-Denis de La Réunion (above the series' range): ~9,370 km.
        assertThat(Geo.distanceKm(48.85, 2.35, -20.88, 55.45)).isBetween(9300.0, 9450.0);
    }
}
