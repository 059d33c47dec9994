package fr.creneau.rank;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import fr.creneau.directory.Communes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

/**
 * {@link Departements#indexAt}'s lookup table answers exactly what the ring search
 * ({@link Departements#indexAtExact}) answers: over every territory, densely along département
 * borders, at sea and abroad, and on the sub-cells' corners and edges (where the grid's floors
 * round). Each check counts disagreements over all its points and shows the first ones.
 */
class DepartementsTest {
    private static final Departements D = Departements.bundled();
    private static final double CELL = 0.1;
    private static final double SUB = CELL / Departements.Lookup.FINE;

    /** lat0, lat1, lon0, lon1 of each territory, a little wider than its communes. */
    private static final double[][] TERRITORIES = {
        {41.2, 51.3, -5.3, 9.7},     // metropolitan France and Corsica
        {15.8, 16.6, -61.9, -60.9},  // Guadeloupe
        {14.3, 14.95, -61.3, -60.75}, // Martinique
        {2.0, 6.0, -54.7, -51.5},    // Guyane
        {-21.45, -20.85, 55.15, 55.9}, // La Réunion
        {-13.1, -12.55, 44.95, 45.35}, // Mayotte
    };

    /** Disagreements over a run of points, with the first few for the message. */
    private static final class Check {
        long points;
        long wrong;
        long none;
        final List<String> first = new ArrayList<>();

        void at(final double lat, final double lon) {
            points++;
            final int fast = D.indexAt(lat, lon);
            final int exact = D.indexAtExact(lat, lon);
            if (exact < 0) {
                none++;
            }
            if (fast != exact) {
                if (++wrong <= 5) {
                    first.add(lat + "," + lon + ": " + fast + " instead of " + exact);
                }
            }
        }

        void assertNone() {
            assertThat(first).as("disagreements of %d in %d points", wrong, points).isEmpty();
        }
    }

    @Test
    void randomPointsOfEveryTerritoryGetTheExactAnswer() {
        final SplittableRandom random = new SplittableRandom(20261201);
        final Check check = new Check();
        for (int t = 0; t < TERRITORIES.length; t++) {
            final double[] b = TERRITORIES[t];
            final int n = t == 0 ? 400_000 : 40_000;
            for (int i = 0; i < n; i++) {
                check.at(b[0] + random.nextDouble() * (b[1] - b[0]), b[2] + random.nextDouble() * (b[3] - b[2]));
            }
        }
        check.assertNone();
        assertThat(check.none).as("some of the points are at sea or abroad").isPositive();
    }

    @Test
    void pointsBetweenNearbyCommunesOfTwoDepartementsGetTheExactAnswer() {
        final List<Communes.Commune> all = new ArrayList<>(Communes.bundled().all());
        all.sort(Comparator.comparingDouble(Communes.Commune::lat));
        final SplittableRandom random = new SplittableRandom(7);
        final Check check = new Check();
        final double[] jitters = {0, 1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 3e-3};
        long pairs = 0;
        for (int i = 0; i < all.size(); i++) {
            final Communes.Commune a = all.get(i);
            for (int j = i + 1; j < all.size() && all.get(j).lat() - a.lat() < 0.08; j++) {
                final Communes.Commune b = all.get(j);
                if (a.departement().equals(b.departement()) || Math.abs(b.lon() - a.lon()) > 0.11) {
                    continue;
                }
                pairs++;
                // The metric's bisector passes near the midpoint; points around it on both sides.
                final double mLat = (a.lat() + b.lat()) / 2;
                final double mLon = (a.lon() + b.lon()) / 2;
                for (final double j0 : jitters) {
                    check.at(mLat + j0 * (random.nextDouble() * 2 - 1), mLon + j0 * (random.nextDouble() * 2 - 1));
                }
                final double f = 0.45 + random.nextDouble() * 0.1;
                check.at(a.lat() + f * (b.lat() - a.lat()), a.lon() + f * (b.lon() - a.lon()));
            }
        }
        check.assertNone();
        assertThat(pairs).as("pairs of communes across a border").isGreaterThan(10_000);
    }

    @Test
    void cornersAndEdgesOfTheSubCellsGetTheExactAnswer() {
        final SplittableRandom random = new SplittableRandom(11);
        final Check check = new Check();
        for (final double[] b : TERRITORIES) {
            final int cells = 1_500;
            for (int c = 0; c < cells; c++) {
                final long la = (long) Math.floor((b[0] + random.nextDouble() * (b[1] - b[0])) / CELL);
                final long lo = (long) Math.floor((b[2] + random.nextDouble() * (b[3] - b[2])) / CELL);
                for (int sy = 0; sy <= Departements.Lookup.FINE; sy++) {
                    for (int sx = 0; sx <= Departements.Lookup.FINE; sx++) {
                        final double y = la * CELL + sy * SUB;
                        final double x = lo * CELL + sx * SUB;
                        for (final double yy : new double[] {Math.nextDown(y), y, Math.nextUp(y), y + SUB / 2}) {
                            for (final double xx : new double[] {Math.nextDown(x), x, Math.nextUp(x), x + SUB / 2}) {
                                check.at(yy, xx);
                            }
                        }
                    }
                }
            }
        }
        check.assertNone();
    }

    /**
     * Every area the table answers for (a whole cell, a sub-cell's département or candidate list),
     * at its corners, edge midpoints and centre: where its proof has the least room (the farthest
     * from the centres, the cos(lat) of the metric at its extremes).
     */
    @Test
    void everyAreaOfTheTableGetsTheExactAnswerOnItsCornersEdgesAndCentre() {
        final Departements.Lookup t = D.lookup();
        final int fine = Departements.Lookup.FINE;
        final Check check = new Check();
        long areas = 0;
        for (int k = 0; k < t.boxLat0.length; k++) {
            for (int y = 0; y < t.boxHeight[k]; y++) {
                for (int x = 0; x < t.boxWidth[k]; x++) {
                    final int a = t.boxLat0[k] + y;
                    final int b = t.boxLon0[k] + x;
                    final int v = t.coarse[t.boxBase[k] + y * t.boxWidth[k] + x];
                    if (v >= 0) {
                        areas++;
                        corners(check, a * CELL, b * CELL, CELL);
                    } else if (v < -1 && v != Departements.Lookup.EXACT) {
                        for (int s = 0; s < fine * fine; s++) {
                            if (t.fine[-2 - v + s] != Departements.Lookup.EXACT) {
                                areas++;
                                corners(check, a * CELL + (s / fine) * SUB, b * CELL + (s % fine) * SUB, SUB);
                            }
                        }
                    }
                }
            }
        }
        check.assertNone();
        assertThat(areas).isGreaterThan(50_000);
    }

    private static void corners(final Check check, final double lat0, final double lon0, final double size) {
        final double[] ys = {lat0, Math.nextUp(lat0), lat0 + size / 2, Math.nextDown(lat0 + size), lat0 + size};
        final double[] xs = {lon0, Math.nextUp(lon0), lon0 + size / 2, Math.nextDown(lon0 + size), lon0 + size};
        for (final double y : ys) {
            for (final double x : xs) {
                check.at(y, x);
            }
        }
    }

    @Test
    void atSeaAbroadAndOddInputsTheAnswerIsTheExactOne() {
        final Check check = new Check();
        final double[][] points = {
            {46.0, -8.0}, {43.0, 6.5}, {40.4, -3.7}, {46.8, 8.2}, {50.1, 10.0}, {51.5, -0.1}, {0, 0},
            {45.0, 0.0}, {-45.0, 0.0}, {90, 180}, {-90, -180}, {1e300, 2.0}, {45.0, -1e300},
            {Double.NaN, 2.0}, {45.0, Double.NaN}, {Double.POSITIVE_INFINITY, 2.0}, {45.0, Double.NEGATIVE_INFINITY},
            {-0.0, -0.0}, {Double.MIN_VALUE, -Double.MIN_VALUE},
        };
        for (final double[] p : points) {
            check.at(p[0], p[1]);
        }
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            check.at(-90 + random.nextDouble() * 180, -180 + random.nextDouble() * 360);
        }
        check.assertNone();
        assertThat(D.indexAt(46.0, -8.0)).as("the Atlantic").isEqualTo(-1);
        assertThat(D.indexAt(Double.NaN, 2.0)).isEqualTo(-1);
        assertThat(D.code(D.indexAt(48.8566, 2.3522))).isEqualTo("75");
        assertThat(D.code(D.indexAt(41.9192, 8.7386))).isEqualTo("2A");
        assertThat(D.code(D.indexAt(-21.1151, 55.5364))).isEqualTo("974");
    }

    @Property(tries = 2_000)
    void anyPointOfTheMetropolitanAreaGetsTheExactAnswer(
        @ForAll @DoubleRange(min = 41.0, max = 51.5) final double lat,
        @ForAll @DoubleRange(min = -5.5, max = 10.0) final double lon) {
        assertThat(D.indexAt(lat, lon)).isEqualTo(D.indexAtExact(lat, lon));
    }

    /**
     * The table answers without the ring search over most of France (else the equivalence above
     * would hold vacuously): at points within about 2 km of a commune centre (where patients are),
     * and over the area of the cells that hold a centre. Prints its statistics for the record.
     */
    @Test
    void theTableAnswersMostQueriesWithoutTheRingSearch() {
        final Departements.Lookup t = D.lookup();
        final int fine = Departements.Lookup.FINE * Departements.Lookup.FINE;
        final long[] paths = new long[4];
        final SplittableRandom random = new SplittableRandom(5);
        final List<Communes.Commune> all = new ArrayList<>(Communes.bundled().all());
        for (int i = 0; i < 200_000; i++) {
            final Communes.Commune c = all.get(random.nextInt(all.size()));
            paths[D.pathOf(c.lat() + (random.nextDouble() - 0.5) * 0.04, c.lon() + (random.nextDouble() - 0.5) * 0.05)]++;
        }
        final double n = 200_000;
        final long land = (long) (t.uniformCells + t.splitCells) * fine;
        System.out.printf("Departements lookup: %d boxes, %d cells: %d uniform, %d none (-1), %d ring search,"
                + " %d split into %d sub-cells (%d uniform, %d candidate lists, %d ring search); %d candidate ints;"
                + " %.1f KB; built in %.1f ms. Near communes: %.2f%% whole cell, %.2f%% sub-cell, %.2f%% candidates,"
                + " %.2f%% ring search. Area of the cells proved or split: %.2f%% uniform%n",
            t.boxLat0.length, t.coarse.length, t.uniformCells, t.noneCells, t.exactCells, t.splitCells,
            t.splitCells * fine, t.uniformSubCells, t.candidateSubCells, t.exactSubCells, t.candidates.length,
            t.bytes() / 1024.0, t.buildNanos / 1e6, 100 * paths[0] / n, 100 * paths[1] / n, 100 * paths[2] / n,
            100 * paths[3] / n, 100.0 * ((long) t.uniformCells * fine + t.uniformSubCells) / land);
        assertThat((paths[0] + paths[1]) / n).as("uniform near communes").isGreaterThan(0.8);
        assertThat(paths[3] / n).as("ring search near communes").isLessThan(0.01);
    }
}
