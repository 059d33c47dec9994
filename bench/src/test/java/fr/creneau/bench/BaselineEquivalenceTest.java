package fr.creneau.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.examples.data.Scale;
import fr.creneau.feed.Modality;
import fr.creneau.index.SlotIndex;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.ResultKind;
import fr.creneau.rank.SearchResults;
import fr.creneau.rank.Searcher;

/**
 * The three implementations answer the same queries with the same ordered rows, on the tiny
 * generated data set (Paris, Lozère, La Réunion) grown to twice its size by the benchmarks' own
 * stacking and replication: every place, modality, MT or not, and window, the night window taking
 * the surnuméraire path. A few seconds; benchmarks themselves never run in {@code mvn verify}.
 */
class BaselineEquivalenceTest {
    private static final Set<String> DEPS = Set.of("75", "48", "974");

    @TempDir
    static Path cache;

    static DataSet data;
    static SlotIndex index;
    static LuceneBaseline lucene;
    static OnHeapBaseline onHeap;
    static List<QuerySpec> queries = new ArrayList<>();

    @BeforeAll
    static void build() {
        final DataSet base = DataSet.base(cache, Scale.TINY, DataSet.DEFAULT_SEED, DataSet.DEFAULT_NOW);
        data = DataSet.grow(base, base.size * 2 + 17, DataSet.DEFAULT_SEED);
        index = CreneauIndex.load(data);
        lucene = new LuceneBaseline(data);
        onHeap = new OnHeapBaseline(data);
        long seed = 1;
        for (final Place place : Place.values()) {
            for (final Modality m : Modality.values()) {
                for (final boolean mt : new boolean[] {false, true}) {
                    for (final Workload.Window w : Workload.Window.values()) {
                        queries.addAll(List.of(Workload.draw(data, place, DEPS, m, mt, w, 12, seed++)));
                    }
                }
            }
        }
    }

    @AfterAll
    static void close() throws Exception {
        lucene.close();
    }

    @Test
    void shouldKeyParisInCellsFinerThanResolution7() {
        // So that the equivalences below cover a walk over cells of mixed resolutions.
        final fr.creneau.index.CellTable cells = index.cells();
        int fine = 0;
        for (int c = 0; c < cells.cellCount(); c++) {
            fine += fr.creneau.index.H3.CORE.getResolution(cells.cell(c)) > fr.creneau.index.CellTable.RESOLUTION ? 1 : 0;
        }
        assertThat(fine).isPositive();
        assertThat(fine).isLessThan(cells.cellCount());
    }

    @Test
    void shouldGrowToTheExactSizeWithReplicas() {
        assertThat(index.stats().liveSlots()).isEqualTo(data.size);
        assertThat(data.directory.size()).isGreaterThan(data.basePractitioners);
    }

    @Test
    void shouldReturnTheSameRowsWithLucene() {
        final QuerySpec[] all = queries.toArray(new QuerySpec[0]);
        assertThat(Equivalence.check("lucene", data, index, lucene::search, all, all.length)).isEqualTo(all.length);
    }

    @Test
    void shouldReturnTheSameRowsWithThePlainOnHeapVersion() {
        final QuerySpec[] all = queries.toArray(new QuerySpec[0]);
        assertThat(Equivalence.check("on-heap", data, index, onHeap::search, all, all.length)).isEqualTo(all.length);
    }

    @Test
    void shouldExerciseEveryKindOfRow() {
        final Searcher searcher = CreneauIndex.searcher(index, data);
        final RegulatorQuery q = new RegulatorQuery();
        final SearchResults r = new SearchResults();
        final Set<ResultKind> seen = java.util.EnumSet.noneOf(ResultKind.class);
        int atSecondSite = 0;
        for (final QuerySpec spec : queries) {
            searcher.search(spec.fill(q), r);
            for (int i = 0; i < r.size(); i++) {
                seen.add(r.kind(i));
                if (r.site(i) != null && r.site(i) != r.practitionerEntry(i).mainSite()) {
                    atSecondSite++;
                }
            }
        }
        // PDSA rows need the PDSA channel, which the baselines' protocol leaves out (see Ranking.PROTOCOL).
        assertThat(seen).containsExactlyInAnyOrderElementsOf(
            java.util.EnumSet.complementOf(java.util.EnumSet.of(ResultKind.PDSA)));
        assertThat(atSecondSite).as("rows at a practitioner's second site, compared with the baselines").isPositive();
    }
}
