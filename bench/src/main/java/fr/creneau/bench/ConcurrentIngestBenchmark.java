package fr.creneau.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import fr.creneau.directory.Vendor;
import fr.creneau.feed.Modality;
import fr.creneau.feed.SlotRecord;
import fr.creneau.index.SlotIndex;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.SearchResults;
import fr.creneau.rank.Searcher;

/**
 * Query latency while a vendor snapshot is applied, against idle: {@code underIngest} runs one
 * query thread ({@code underIngest:query}) beside one writer thread ({@code underIngest:writer})
 * that replaces, practitioner by practitioner and without pause, every Doctolib slot run of the
 * data set, alternating between the full run and the run without every tenth slot (so each pass
 * removes or restores 10% of the vendor's slots: what a snapshot application does to the index);
 * {@code idle} runs the same queries alone. Compare {@code p99} of the two (target: within 1.5x).
 * On the 2-core machine the two threads of {@code underIngest} have a core each.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar ConcurrentIngestBenchmark -p size=5000000 -prof gc -rf json -rff concurrent.json
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx10g", "-XX:MaxDirectMemorySize=3g"})
public class ConcurrentIngestBenchmark {

    /** Index, writer runs and queries, shared by the group's two threads. */
    @State(Scope.Group)
    public static class Shared {
        @Param({"1000000", "5000000", "20000000"})
        public int size;
        @Param({"PARIS", "RURAL"})
        public Place place;
        DataSet data;
        SlotIndex index;
        final List<CreneauIndex.Run> full = new ArrayList<>();
        final List<CreneauIndex.Run> thinned = new ArrayList<>();
        QuerySpec[] queries;
        int writerCursor;

        @Setup(Level.Trial)
        public void setup() {
            data = DataSet.ofSize(size);
            index = CreneauIndex.load(data);
            final Vendor doctolib = data.vendors.require("Doctolib");
            for (final CreneauIndex.Run run : CreneauIndex.runs(data)) {
                if (run.source() == doctolib.id()) {
                    full.add(run);
                    final List<SlotRecord> fewer = new ArrayList<>();
                    for (int i = 0; i < run.slots().size(); i++) {
                        if (i % 10 != 9) {
                            fewer.add(run.slots().get(i));
                        }
                    }
                    thinned.add(new CreneauIndex.Run(run.source(), run.practitioner(), List.copyOf(fewer)));
                }
            }
            queries = Workload.draw(data, place, Set.of(), Modality.OFFICE, false, Workload.Window.H48,
                RegulatorQueryBenchmark.QUERIES, DataSet.DEFAULT_SEED + 7);
            System.out.printf("# writer: %,d Doctolib runs, %,d slots per pass%n", full.size(),
                full.stream().mapToInt(r -> r.slots().size()).sum());
        }
    }

    /** The query thread's searcher and cursor. */
    @State(Scope.Thread)
    public static class Reader {
        Searcher searcher;
        final RegulatorQuery query = new RegulatorQuery();
        final SearchResults results = new SearchResults();
        int cursor;

        @Setup(Level.Trial)
        public void setup(final Shared s) {
            searcher = CreneauIndex.searcher(s.index, s.data);
            for (final QuerySpec q : s.queries) {
                searcher.search(q.fill(query), results);
            }
        }
    }

    private static int search(final Shared s, final Reader r) {
        return r.searcher.search(s.queries[r.cursor++ & RegulatorQueryBenchmark.MASK].fill(r.query), r.results);
    }

    @Benchmark
    @Group("underIngest")
    @GroupThreads(1)
    public int query(final Shared s, final Reader r) {
        return search(s, r);
    }

    @Benchmark
    @Group("underIngest")
    @GroupThreads(1)
    public boolean writer(final Shared s) {
        final int i = s.writerCursor++;
        final int n = s.full.size();
        final CreneauIndex.Run run = ((i / n) & 1) == 0 ? s.thinned.get(i % n) : s.full.get(i % n);
        return s.index.replace(run.source(), run.practitioner(), run.slots());
    }

    @Benchmark
    @Group("idle")
    @GroupThreads(1)
    public int idle(final Shared s, final Reader r) {
        return search(s, r);
    }
}
