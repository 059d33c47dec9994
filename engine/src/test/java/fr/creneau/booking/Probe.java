package fr.creneau.booking;

import fr.creneau.Creneau;
import fr.creneau.slot.SlotId;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.SearchResults;

/** Runs a regulator search around {@link World#LAT}/{@link World#LON}. One per thread. */
final class Probe {
    private final RegulatorQuery query = new RegulatorQuery();
    final SearchResults results = new SearchResults();

    /** {@code true} when a 48 h office search at the clock's now proposes {@code slot}. */
    boolean proposes(final Creneau creneau, final SlotId slot) {
        query.reset().patient(World.LAT, World.LON).now(creneau.clock().instant()).limit(SearchResults.MAX_ROWS);
        final int rows = creneau.search(query, results);
        for (int i = 0; i < rows; i++) {
            if (results.hasSlot(i) && slot.equals(results.slotId(i, creneau.vendors()))) {
                return true;
            }
        }
        return false;
    }
}
