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
import fr.creneau.feed.IngestConfig;
import fr.creneau.feed.IngestReport;
import fr.creneau.feed.Ingestor;
import fr.creneau.feed.Modality;
import fr.creneau.feed.ParsedFeed;
import fr.creneau.feed.RawSlot;
import fr.creneau.feed.Visibility;
import fr.creneau.slot.Minutes;
import fr.creneau.index.SlotIndex;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.SearchResults;
import fr.creneau.rank.Searcher;

/**
 * Query latency while a vendor snapshot is applied, against idle. {@code underIngest} runs one
 * query thread ({@code underIngest:query}) beside one writer thread ({@code underIngest:writer})
 * that applies, back to back, snapshots of the data set's biggest vendor (Doctolib: about 60% of
 * the slots) through the engine's {@link Ingestor} (validation, then replacement practitioner by
 * practitioner), alternating the full snapshot with a copy lacking every tenth slot: each
 * application removes or restores 10% of the vendor's slots, and allocates what validation
 * allocates. The snapshots are pre-parsed ({@link ParsedFeed} of {@link RawSlot}s with
 * {@code Z} times): parsing would compete for the same two cores without touching the index.
 * {@code idle} runs the same queries alone, on an index in the same state (the full snapshot
 * applied once in {@code @Setup} for both). Compare {@code p99} (target: within 1.5x). On the
 * 2-core machine the two threads of {@code underIngest} have a core each.
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

    /** Index, ingestor, snapshots and queries, shared by the group's two threads. */
    @State(Scope.Group)
    public static class Shared {
        @Param({"1000000", "5000000", "20000000"})
        public int size;
        @Param({"PARIS", "RURAL"})
        public Place place;
        DataSet data;
        SlotIndex index;
        Ingestor ingestor;
        final ParsedFeed[] snapshots = new ParsedFeed[2];
        QuerySpec[] queries;
        int turn;

        @Setup(Level.Trial)
        public void setup() {
            data = DataSet.ofSize(size);
            index = CreneauIndex.load(data);
            final Vendor doctolib = data.vendors.require("Doctolib");
            final List<RawSlot> full = new ArrayList<>();
            final List<RawSlot> thinned = new ArrayList<>();
            int previous = -1;
            int inRun = 0;
            for (int i = 0; i < data.size; i++) {
                if (data.source[i] != doctolib.id()) {
                    continue;
                }
                inRun = data.practitioner[i] == previous ? inRun + 1 : 0;
                previous = data.practitioner[i];
                final RawSlot raw = new RawSlot("d" + i, data.directory.get(data.practitioner[i]).rppsText(),
                    Minutes.toInstant(data.start[i]).toString(), Minutes.toInstant(data.end[i]).toString(),
                    data.modalities[i], Visibility.values()[data.visibility[i]], true, null);
                full.add(raw);
                if (inRun % 10 != 9) {
                    thinned.add(raw);
                }
            }
            snapshots[0] = new ParsedFeed("doctolib-full", doctolib.displayName(), data.now, full, List.of(),
                doctolib.integration());
            snapshots[1] = new ParsedFeed("doctolib-thinned", doctolib.displayName(), data.now, thinned, List.of(),
                doctolib.integration());
            ingestor = new Ingestor(data.directory, data.vendors, IngestConfig.DEFAULTS, data.clock, index);
            final long t0 = System.nanoTime();
            final IngestReport first = ingestor.applyVendorSnapshot(snapshots[0]);
            System.out.printf("# writer: snapshots of %,d and %,d slots; first application %.1f s: %s; index %,d live slots%n",
                full.size(), thinned.size(), (System.nanoTime() - t0) / 1e9, first, index.stats().liveSlots());
            queries = Workload.draw(data, place, Set.of(), Modality.OFFICE, false, Workload.Window.H48,
                RegulatorQueryBenchmark.QUERIES, DataSet.DEFAULT_SEED + 7);
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
    public IngestReport writer(final Shared s) {
        return s.ingestor.applyVendorSnapshot(s.snapshots[++s.turn & 1]);
    }

    @Benchmark
    @Group("idle")
    @GroupThreads(1)
    public int idle(final Shared s, final Reader r) {
        return search(s, r);
    }
}
