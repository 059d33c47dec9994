package fr.creneau.bench;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import fr.creneau.feed.Modality;
import fr.creneau.slot.IndexStats;
import fr.creneau.index.SlotIndex;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.ResultKind;
import fr.creneau.rank.SearchResults;
import fr.creneau.rank.Searcher;

/**
 * Regulator query latency (p50, p99, p99.9) of Créneau and of the two baselines on the same data
 * and the same pre-drawn queries: {@code creneau}, {@code lucene}, {@code onHeap}. Data: the France
 * scale grown to {@code size} live slots ({@link DataSet}); queries: 4,096 patients of a
 * {@link Place} per scenario, a GP wanted, 10 rows, walked by a per-thread masked cursor. Before
 * timing a baseline, its {@code @Setup} checks that it returns the same rows as Créneau for the
 * first 128 queries (and fails the run otherwise).
 *
 * <pre>
 * mvn -B -q -pl bench -am -Dmaven.test.skip=true package
 * java -jar bench/target/benchmarks.jar RegulatorQueryBenchmark -prof gc -rf json -rff query.json
 * java -jar bench/target/benchmarks.jar 'RegulatorQueryBenchmark.creneau' -p size=5000000 -p place=PARIS \
 *     -p modality=OFFICE -p mt=none -p window=48h -prof gc
 * </pre>
 * {@code ./bench/run.sh quick} runs a subset; {@code full} the whole cross product.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx10g", "-XX:MaxDirectMemorySize=2g"})
public class RegulatorQueryBenchmark {
    static final int QUERIES = 4096;
    static final int MASK = QUERIES - 1;
    static final int CHECKED = 128;

    /** The data set of a size, built once per fork. */
    @State(Scope.Benchmark)
    public static class Data {
        @Param({"1000000", "5000000", "20000000"})
        public int size;
        DataSet data;

        @Setup(Level.Trial)
        public void build() {
            data = DataSet.ofSize(size);
        }
    }

    /** Créneau's off-heap index holding the data set. */
    @State(Scope.Benchmark)
    public static class CreneauState {
        SlotIndex index;

        @Setup(Level.Trial)
        public void load(final Data d) {
            final long t0 = System.nanoTime();
            index = CreneauIndex.load(d.data);
            final IndexStats s = index.stats();
            System.out.printf("# créneau index: %,d live slots in %.1f s, %.1f B/slot off-heap, %.1f B/slot all included%n",
                s.liveSlots(), (System.nanoTime() - t0) / 1e9, s.offHeapBytesPerSlot(), s.bytesPerSlot());
        }
    }

    /** Lucene baseline on the same data. */
    @State(Scope.Benchmark)
    public static class LuceneState {
        LuceneBaseline lucene;

        @Setup(Level.Trial)
        public void build(final Data d) {
            final long t0 = System.nanoTime();
            lucene = new LuceneBaseline(d.data);
            System.out.printf("# lucene index: %,d bytes in %.1f s%n", lucene.ramBytesUsed(), (System.nanoTime() - t0) / 1e9);
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            lucene.close();
        }
    }

    /** Plain on-heap baseline on the same data. */
    @State(Scope.Benchmark)
    public static class OnHeapState {
        OnHeapBaseline onHeap;

        @Setup(Level.Trial)
        public void build(final Data d) {
            onHeap = new OnHeapBaseline(d.data);
        }
    }

    /** One scenario's pre-drawn queries and this thread's cursor over them. */
    @State(Scope.Thread)
    public static class Queries {
        @Param({"PARIS", "TOWN", "RURAL", "OVERSEAS"})
        public Place place;
        @Param({"OFFICE", "TELECONSULTATION", "HOME_VISIT"})
        public Modality modality;
        @Param({"none", "mt"})
        public String mt;
        @Param({"4h", "48h", "night4h"})
        public String window;
        QuerySpec[] specs;
        int cursor;

        @Setup(Level.Trial)
        public void draw(final Data d) {
            specs = Workload.draw(d.data, place, Set.of(), modality, "mt".equals(mt), Workload.Window.parse(window), QUERIES,
                DataSet.DEFAULT_SEED + 7);
        }

        QuerySpec next() {
            return specs[cursor++ & MASK];
        }
    }

    /** This thread's searcher and reusable query and results: nothing allocated per query. */
    @State(Scope.Thread)
    public static class CreneauThread {
        Searcher searcher;
        final RegulatorQuery query = new RegulatorQuery();
        final SearchResults results = new SearchResults();

        @Setup(Level.Trial)
        public void warm(final Data d, final CreneauState c, final Queries q) {
            searcher = CreneauIndex.searcher(c.index, d.data);
            int slotRows = 0;
            int nothingFree = 0;
            long rows = 0;
            for (final QuerySpec spec : q.specs) { // builds every patient cell's ring table once
                rows += searcher.search(spec.fill(query), results);
                boolean slot = false;
                boolean extra = false;
                for (int i = 0; i < results.size(); i++) {
                    slot |= results.kind(i) == ResultKind.SLOT;
                    extra |= results.kind(i) == ResultKind.SURNUMERAIRE || results.kind(i) == ResultKind.CPTS;
                }
                slotRows += slot ? 1 : 0;
                nothingFree += extra || !slot ? 1 : 0;
            }
            System.out.printf("# queries: %.1f rows on average; %d%% with free slots, %d%% nothing free (surnuméraire path)%n",
                (double) rows / q.specs.length, 100 * slotRows / q.specs.length, 100 * nothingFree / q.specs.length);
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            final long tid = Thread.currentThread().getId();
            final long before = threads.getThreadAllocatedBytes(tid);
            for (final QuerySpec spec : q.specs) {
                searcher.search(spec.fill(query), results);
            }
            final long allocated = threads.getThreadAllocatedBytes(tid) - before;
            System.out.printf("# créneau allocation: %d bytes over %d queries (%s, %s, %s, mt=%s, %s, %,d slots)%n",
                allocated, q.specs.length, q.place, q.modality, q.window, q.mt, "GP", d.size);
        }
    }

    /** Baseline per-thread rows, after the equivalence check. */
    @State(Scope.Thread)
    public static class LuceneThread {
        final Rows rows = new Rows();

        @Setup(Level.Trial)
        public void check(final Data d, final CreneauState c, final LuceneState l, final Queries q) {
            System.out.printf("# lucene: same rows as créneau on %d queries%n",
                Equivalence.check("lucene", d.data, c.index, l.lucene::search, q.specs, CHECKED));
        }
    }

    /** Baseline per-thread rows, after the equivalence check. */
    @State(Scope.Thread)
    public static class OnHeapThread {
        final Rows rows = new Rows();

        @Setup(Level.Trial)
        public void check(final Data d, final CreneauState c, final OnHeapState o, final Queries q) {
            System.out.printf("# on-heap: same rows as créneau on %d queries%n",
                Equivalence.check("on-heap", d.data, c.index, o.onHeap::search, q.specs, CHECKED));
        }
    }

    @Benchmark
    public int creneau(final Queries q, final CreneauThread t) {
        return t.searcher.search(q.next().fill(t.query), t.results);
    }

    @Benchmark
    public int lucene(final Queries q, final LuceneState l, final LuceneThread t) {
        return l.lucene.search(q.next(), t.rows);
    }

    @Benchmark
    public int onHeap(final Queries q, final OnHeapState o, final OnHeapThread t) {
        return o.onHeap.search(q.next(), t.rows);
    }
}
