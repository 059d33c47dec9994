package fr.creneau.bench;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import fr.creneau.feed.Modality;
import fr.creneau.index.CellTable;
import fr.creneau.index.H3;
import fr.creneau.index.SlotCursor;
import fr.creneau.index.SlotIndex;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.SearchResults;
import fr.creneau.rank.Searcher;

/**
 * Where a query's time goes, for the analysis in {@code bench/README.md}: for the benchmark's
 * office / 48 h / no-MT queries of a place at a size, the distinct patient cells (against the
 * searcher's ring-table cache), the live slots of the patient's H3 cell over 48 h, the cost of
 * walking them with a {@link SlotCursor} (ns per record), the mean query time, the slot records a
 * query reads ({@link Searcher#recordsRead()}), and the slowest queries. {@code System.nanoTime} around single calls after warm-up: indicative, not JMH.
 *
 * <pre>
 * java -Xmx10g -XX:MaxDirectMemorySize=2g -cp bench/target/benchmarks.jar fr.creneau.bench.QueryAnatomy 5000000 PARIS
 * </pre>
 * An optional third argument, seconds, then loops over the same queries that long: a steady state
 * for a profiler (JFR: {@code -XX:StartFlightRecording=...}), no figure printed.
 */
public final class QueryAnatomy {
    private QueryAnatomy() {
    }

    public static void main(final String[] args) {
        final DataSet data = DataSet.ofSize(Integer.parseInt(args[0]));
        final Place place = Place.valueOf(args[1]);
        final SlotIndex index = CreneauIndex.load(data);
        final QuerySpec[] qs = Workload.draw(data, place, Set.of(), Modality.OFFICE, false, Workload.Window.H48,
            RegulatorQueryBenchmark.QUERIES, DataSet.DEFAULT_SEED + 7);
        final CellTable cells = index.cells();
        final SlotCursor cursor = index.cursor();
        final Set<Long> patientCells = new HashSet<>();
        final int[] cellOf = new int[qs.length];
        long records = 0;
        for (int i = 0; i < qs.length; i++) {
            final long cell = cells.cellAt(qs[i].lat(), qs[i].lon());
            patientCells.add(cell);
            cellOf[i] = cells.idOf(cell);
        }
        long sink = 0;
        final long[] scan = new long[2];
        long adjacent = 0;
        for (int round = 0; round < 2; round++) { // first round warms up
            records = 0;
            adjacent = 0;
            final long t0 = System.nanoTime();
            for (int i = 0; i < qs.length; i++) {
                if (cellOf[i] < 0) {
                    continue;
                }
                cursor.open(cellOf[i], qs[i].nowMinute(), qs[i].nowMinute() + qs[i].windowMinutes(), qs[i].nowMinute());
                int previous = Integer.MIN_VALUE;
                while (cursor.next()) {
                    sink += cursor.practitioner();
                    records++;
                    // Layout: a hop to the record just before or after in memory is a sequential read.
                    if (Math.abs(cursor.record() - previous) == 1) {
                        adjacent++;
                    }
                    previous = cursor.record();
                }
            }
            scan[round] = System.nanoTime() - t0;
        }
        final Searcher searcher = CreneauIndex.searcher(index, data);
        final RegulatorQuery q = new RegulatorQuery();
        final SearchResults r = new SearchResults();
        for (int round = 0; round < 3; round++) {
            for (final QuerySpec spec : qs) {
                searcher.search(spec.fill(q), r);
            }
        }
        final long read0 = searcher.recordsRead();
        final long cells0 = searcher.cellsVisited();
        final long units0 = searcher.unitsExamined();
        final long bounded0 = searcher.cellsBounded();
        final long chains0 = searcher.chainsRead();
        final long resolved0 = searcher.candidatesResolved();
        final long hints0 = searcher.hintsTaken();
        for (final QuerySpec spec : qs) {
            searcher.search(spec.fill(q), r);
        }
        final double recordsPerQuery = (double) (searcher.recordsRead() - read0) / qs.length;
        final double cellsPerQuery = (double) (searcher.cellsVisited() - cells0) / qs.length;
        final double unitsPerQuery = (double) (searcher.unitsExamined() - units0) / qs.length;
        final double boundedPerQuery = (double) (searcher.cellsBounded() - bounded0) / qs.length;
        final double chainsPerQuery = (double) (searcher.chainsRead() - chains0) / qs.length;
        final double resolvedPerQuery = (double) (searcher.candidatesResolved() - resolved0) / qs.length;
        final double hintsPerQuery = (double) (searcher.hintsTaken() - hints0) / qs.length;
        final long[] nanos = new long[qs.length];
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < qs.length; i++) {
                final long t0 = System.nanoTime();
                searcher.search(qs[i].fill(q), r);
                nanos[i] += System.nanoTime() - t0;
            }
        }
        System.out.printf("%s, %,d slots, %,d occupied cells: %,d distinct patient cells in %,d queries%n", place, data.size,
            cells.cellCount(), patientCells.size(), qs.length);
        final int[] byResolution = new int[CellTable.MAX_RESOLUTION + 1];
        for (int c = 0; c < cells.cellCount(); c++) {
            byResolution[H3.CORE.getResolution(cells.cell(c))]++;
        }
        System.out.printf("%,d groups (resolution-7 areas); cells at resolution 7..%d: %s (LEAF_UNITS %d)%n", cells.groupCount(),
            CellTable.MAX_RESOLUTION, Arrays.toString(Arrays.copyOfRange(byResolution, CellTable.RESOLUTION,
                CellTable.MAX_RESOLUTION + 1)), CellTable.LEAF_UNITS);
        System.out.printf("index: %.1f B/slot off-heap, %.1f B/slot all included (SlotIndex.stats)%n",
            index.stats().offHeapBytesPerSlot(), index.stats().bytesPerSlot());
        System.out.printf("patient cell: %,d live slots in the window on average; cursor walk %.1f ns per record (%d)%n",
            records / qs.length, (double) scan[1] / Math.max(1, records), sink & 1);
        System.out.printf("layout: %.1f%% of the hops in a chain go to the adjacent record%n",
            100.0 * adjacent / Math.max(1, records));
        System.out.printf("query: %.1f µs on average%n", Arrays.stream(nanos).sum() / 3e3 / qs.length);
        System.out.printf("query: %,.0f slot records read on average; %,.1f cells visited (%,.0f bounded by the walk), %,.0f units of the profession examined%n",
            recordsPerQuery, cellsPerQuery, boundedPerQuery, unitsPerQuery);
        System.out.printf("query: %,.1f chains read on average, for %,.1f candidates (each counted once per hour it was tried in);"
            + " %,.1f candidates resolved from their office hint alone%n", chainsPerQuery, resolvedPerQuery, hintsPerQuery);
        if (Boolean.getBoolean("anatomy.hot")) {
            // Each query five times in a row, the last timed: its data in cache (a lower bound on
            // what the memory hierarchy costs the cold query above).
            long hot = 0;
            for (int round = 0; round < 2; round++) {
                hot = 0;
                for (final QuerySpec spec : qs) {
                    for (int k = 0; k < 4; k++) {
                        searcher.search(spec.fill(q), r);
                    }
                    final long t0 = System.nanoTime();
                    searcher.search(spec.fill(q), r);
                    hot += System.nanoTime() - t0;
                }
            }
            System.out.printf("query, hot (each repeated, data in cache): %.1f µs on average%n", hot / 1e3 / qs.length);
            // Blocks of queries cycled: each block's data fits the cache (a block reads about
            // 25 kB a query), but its branches vary as much as cold queries'. Near "hot": the
            // difference is memory; near "cold": branches mispredicted.
            final int block = Integer.getInteger("anatomy.block", 32);
            long cycled = 0;
            for (int from = 0; from + block <= qs.length; from += block) {
                for (int k = 0; k < 4; k++) {
                    for (int i = from; i < from + block; i++) {
                        searcher.search(qs[i].fill(q), r);
                    }
                }
                final long t0 = System.nanoTime();
                for (int i = from; i < from + block; i++) {
                    searcher.search(qs[i].fill(q), r);
                }
                cycled += System.nanoTime() - t0;
            }
            System.out.printf("query, blocks of %d cycled (data in cache, branches varied): %.1f µs on average%n", block,
                cycled / 1e3 / (qs.length / block * block));
        }
        final Integer[] order = new Integer[qs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(nanos[b], nanos[a]));
        for (int j = 0; j < 5; j++) {
            final int i = order[j];
            searcher.search(qs[i].fill(q), r);
            System.out.printf("slowest %d: %.0f µs at %.4f,%.4f: %d rows, first %s, last at %.1f km%n", j + 1,
                nanos[i] / 3e3, qs[i].lat(), qs[i].lon(), r.size(), r.size() > 0 ? r.kind(0) : "-",
                r.size() > 0 ? r.distanceKm(r.size() - 1) : -1.0);
        }
        if (args.length > 2) {
            final long until = System.nanoTime() + (long) (Double.parseDouble(args[2]) * 1e9);
            long queries = 0;
            while (System.nanoTime() < until) {
                final int repeat = Boolean.getBoolean("anatomy.hot") ? 5 : 1;
                final int loopBlock = Integer.getInteger("anatomy.loopBlock", 0);
                if (loopBlock > 0) { // blocks of queries cycled five times: the compute, its data in cache
                    for (int from = 0; from + loopBlock <= qs.length; from += loopBlock) {
                        for (int k = 0; k < 5; k++) {
                            for (int i = from; i < from + loopBlock; i++) {
                                searcher.search(qs[i].fill(q), r);
                            }
                        }
                    }
                    queries += (long) qs.length / loopBlock * loopBlock * 5;
                    continue;
                }
                for (final QuerySpec spec : qs) {
                    for (int k = 0; k < repeat; k++) {
                        searcher.search(spec.fill(q), r);
                    }
                }
                queries += (long) qs.length * repeat;
            }
            System.out.printf("profiling loop: %,d queries%n", queries);
        }
    }
}
