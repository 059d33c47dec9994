package fr.creneau.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.Territory;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.Modality;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.Visibility;
import fr.creneau.index.SlotIndex;
import fr.creneau.rank.RankingConfig;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.SearchResults;
import fr.creneau.rank.Searcher;
import fr.creneau.slot.Minutes;

/**
 * The office hint (a unit's earliest office record, which a search takes without walking its
 * chain) against a snapshot. Practitioner 0 has office slots at 11:40 (X) and 14:00 (Z); the
 * writer replaces them with 11:10 (Y: earlier, in the same hour) and Z, which publishes Y, removes
 * X, then moves the hint from X to Y. A real {@code Searcher} reads practitioner 0's row: its slot
 * must be X (the old snapshot: the hint still X and X still free) or Y (the new one), never Z
 * (the hint, or the chain after it, led past both) and never none; and a search that begins
 * after the snapshot returned (the first result: it read the writer's flag set) must show Y.
 * The search's checks of a hint (the unit's, FREE, in the hour) make each single slip of the
 * writer's here fall back to the chain rather than show a wrong row: what this states is the
 * outcome, at the memory-model level, with the real writer and search.
 */
@JCStressTest
@Outcome(id = {"0, 1", "0, 2"}, expect = ACCEPTABLE, desc = "during the snapshot: the old earliest (X) or the new one (Y)")
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "after the snapshot: the new earliest (Y)")
@Outcome(expect = FORBIDDEN, desc = "a later slot than both, none, or the old slot after the snapshot")
@State
public class SnapshotVsHint {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Instant X = T0.plus(Duration.ofMinutes(160));
    private static final Instant Y = T0.plus(Duration.ofMinutes(130));
    private static final Instant Z = T0.plus(Duration.ofHours(5));
    private static final Directory DIRECTORY = Directory.builder()
        .add(gp(0, 48.8566, 2.3522))
        .add(gp(1, 48.8570, 2.3530))
        .build();

    private final SlotIndex index = new SlotIndex(DIRECTORY, Clock.fixed(T0, ZoneOffset.UTC));
    private final Searcher searcher = new Searcher(index, VendorRegistry.defaults(), RankingConfig.DEFAULTS);
    private final RegulatorQuery query = new RegulatorQuery().patient(48.8566, 2.3522).now(T0)
        .windowMinutes(48 * 60).modality(Modality.OFFICE).limit(10);
    private final SearchResults results = new SearchResults();
    private volatile boolean applied;

    private static Practitioner gp(final int n, final double lat, final double lon) {
        final long rpps = Long.parseLong(Rpps.withCheckDigit(String.format("1%09d", n)));
        return new Practitioner(rpps, "Dr " + n, Profession.GP, lat, lon, "01 00 00 00 0" + n, "doctolib", false,
            Participation.INDIVIDUAL, false, null, Territory.of(lat, lon));
    }

    private static SlotRecord office(final int practitioner, final Instant start) {
        return new SlotRecord("h", practitioner, start, start.plus(Duration.ofMinutes(20)), Modality.OFFICE.bit(),
            Visibility.PUBLIC, 1, null);
    }

    public SnapshotVsHint() {
        index.replace(1, 0, List.of(office(0, X), office(0, Z)));
        index.replace(1, 1, List.of(office(1, Z.plus(Duration.ofHours(1)))));
    }

    @Actor
    public void snapshot() {
        index.replace(1, 0, List.of(office(0, Y), office(0, Z)));
        applied = true;
    }

    @Actor
    public void search(final II_Result r) {
        final boolean after = applied;
        searcher.search(query, results);
        int start = -1;
        for (int i = 0; i < results.size(); i++) {
            if (results.practitioner(i) == 0 && results.hasSlot(i)) {
                start = results.startMinute(i);
            }
        }
        r.r1 = after ? 1 : 0;
        r.r2 = start == Minutes.floor(X) ? 1 : start == Minutes.floor(Y) ? 2 : start == Minutes.floor(Z) ? 3 : 0;
    }
}
