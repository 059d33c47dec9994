package fr.creneau.rank;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import fr.creneau.index.CellTable;
import fr.creneau.index.H3;
import fr.creneau.index.SlotIndex;
import fr.creneau.index.TestDirectories;

class RingTableTest {

    @Test
    void theDefaultTableCoversEveryDefaultSearchRadiusSoOrdinaryQueriesNeverGoExhaustive() {
        final SlotIndex index = new SlotIndex(TestDirectories.paris(8), java.time.Clock.systemUTC());
        final CellTable cells = index.cells();
        // Paris and a Lozère village: the table's guarantee holds wherever the patient is.
        for (final double[] at : new double[][] {{48.8566, 2.3522}, {44.5181, 3.5006}, {-21.1151, 55.5364}}) {
            final RingTable table = RingTable.build(H3.CORE.latLngToCell(at[0], at[1], CellTable.RESOLUTION), cells,
                RankingConfig.DEFAULTS.ringTableRadiusKm());
            assertThat(table.coverageKm).as("coverage at %s,%s", at[0], at[1])
                .isGreaterThanOrEqualTo(RankingConfig.DEFAULTS.surnumeraireMaxKm())
                .isGreaterThanOrEqualTo(RankingConfig.DEFAULTS.officeMaxKm());
        }
    }

    @Test
    void cellsAreListedNearestFirst() {
        final SlotIndex index = new SlotIndex(TestDirectories.paris(16), java.time.Clock.systemUTC());
        final RingTable table = RingTable.build(H3.CORE.latLngToCell(48.8566, 2.3522, CellTable.RESOLUTION),
            index.cells(), 20);
        assertThat(table.ids.length).isEqualTo(index.cells().groupCount());
        for (int i = 1; i < table.centerKm.length; i++) {
            assertThat(table.centerKm[i]).isGreaterThanOrEqualTo(table.centerKm[i - 1]);
        }
    }
}
