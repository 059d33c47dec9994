package fr.creneau.rank;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import fr.creneau.index.CellTable;
import fr.creneau.index.Geo;
import fr.creneau.index.SlotIndex;
import fr.creneau.index.TestDirectories;

class RingTableTest {

    @Test
    void theDefaultTableCoversEveryDefaultSearchRadiusSoOrdinaryQueriesNeverGoExhaustive() {
        final SlotIndex index = new SlotIndex(TestDirectories.paris(8), java.time.Clock.systemUTC());
        final CellTable cells = index.cells();
        // Paris and a Lozère village: the table's guarantee holds wherever the patient is.
        for (final double[] at : new double[][] {{48.8566, 2.3522}, {44.5181, 3.5006}, {-21.1151, 55.5364}}) {
            final RingTable table = RingTable.build(RingTable.squareOf(at[0], at[1]), cells,
                RankingConfig.DEFAULTS.ringTableRadiusKm());
            assertThat(table.coverageKm).as("coverage at %s,%s", at[0], at[1])
                .isGreaterThanOrEqualTo(RankingConfig.DEFAULTS.surnumeraireMaxKm())
                .isGreaterThanOrEqualTo(RankingConfig.DEFAULTS.officeMaxKm());
        }
    }

    @Test
    void cellsAreListedNearestFirst() {
        final SlotIndex index = new SlotIndex(TestDirectories.paris(16), java.time.Clock.systemUTC());
        final RingTable table = RingTable.build(RingTable.squareOf(48.8566, 2.3522),
            index.cells(), 20);
        assertThat(table.ids.length).isEqualTo(index.cells().groupCount());
        for (int i = 1; i < table.centerKm.length; i++) {
            assertThat(table.centerKm[i]).isGreaterThanOrEqualTo(table.centerKm[i - 1]);
        }
    }

    @Test
    void everyPositionLiesWithinItsSquaresRadiusOfTheTablesPoint() {
        final SlotIndex index = new SlotIndex(TestDirectories.paris(4), java.time.Clock.systemUTC());
        final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        final java.util.List<double[]> at = new java.util.ArrayList<>(java.util.List.of(
            new double[] {90, 180}, new double[] {-90, -180}, new double[] {89.999, 179.999}, new double[] {0, 0},
            new double[] {48.8566, 2.3522}, new double[] {-12.78, 45.23}, new double[] {4.93, -52.33}));
        for (int i = 0; i < 300; i++) {
            at.add(new double[] {random.nextDouble(-90, 90), random.nextDouble(-180, 180)});
            at.add(new double[] {random.nextDouble(41, 51.5), random.nextDouble(-5.5, 10)});
        }
        for (final double[] p : at) {
            final long square = RingTable.squareOf(p[0], p[1]);
            // Tables are built for the squares of France's territories; the geometry must hold anywhere.
            final RingTable table = RingTable.build(square, index.cells(), 5);
            assertThat(Geo.distanceKm(p[0], p[1], table.patientLat, table.patientLon))
                .as("%s,%s", p[0], p[1]).isLessThanOrEqualTo(table.patientRadiusKm);
            assertThat(table.patientRadiusKm).as("%s,%s", p[0], p[1]).isLessThan(1.2);
            // A neighbour a metre away lies in the same square or an adjacent one.
            final long next = RingTable.squareOf(Math.min(90, p[0] + 1e-5), p[1]);
            assertThat(Math.abs((next >>> 32) - (square >>> 32))).isLessThanOrEqualTo(1);
        }
    }
}
