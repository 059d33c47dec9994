package fr.creneau.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import fr.creneau.slot.IndexStats;
import fr.creneau.index.SlotIndex;

/**
 * Memory of Créneau's index at each size, from {@link SlotIndex#stats()} (off-heap pages and the
 * index's own heap arrays) and from the JVM (heap used after a full GC, before and after building
 * it); optionally the same for the baselines (Lucene's in-memory files, the on-heap version's heap
 * delta). Writes one JSON object per line. Not a JMH benchmark: memory is a state, not a rate.
 *
 * <pre>
 * java -Xmx10g -XX:MaxDirectMemorySize=3g -cp bench/target/benchmarks.jar fr.creneau.bench.MemoryReport \
 *     --sizes=1000000,5000000,20000000 --baselines=1000000 --out=memory.json
 * </pre>
 */
public final class MemoryReport {
    private MemoryReport() {
    }

    public static void main(final String[] args) throws Exception {
        List<Integer> sizes = List.of(1_000_000, 5_000_000, 20_000_000);
        List<Integer> baselines = List.of();
        Path out = null;
        for (final String a : args) {
            if (a.startsWith("--sizes=")) {
                sizes = ints(a.substring(8));
            } else if (a.startsWith("--baselines=")) {
                baselines = ints(a.substring(12));
            } else if (a.startsWith("--out=")) {
                out = Path.of(a.substring(6));
            } else {
                throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        final List<String> lines = new ArrayList<>();
        for (final int size : sizes) {
            final DataSet data = DataSet.ofSize(size);
            final long before = heapAfterGc();
            final long t0 = System.nanoTime();
            SlotIndex index = CreneauIndex.load(data);
            final double loadSeconds = (System.nanoTime() - t0) / 1e9;
            final long after = heapAfterGc();
            final IndexStats s = index.stats();
            lines.add(String.format(Locale.ROOT, "{\"impl\":\"creneau\",\"size\":%d,\"practitioners\":%d,\"liveSlots\":%d,"
                    + "\"offHeapBytes\":%d,\"indexHeapBytes\":%d,\"offHeapBytesPerSlot\":%.2f,\"bytesPerSlot\":%.2f,"
                    + "\"jvmHeapDeltaBytes\":%d,\"jvmHeapUsedBytes\":%d,\"pages\":%d,\"cells\":%d,\"loadSeconds\":%.2f}",
                size, data.directory.size(), s.liveSlots(), s.offHeapBytes(), s.heapBytes(), s.offHeapBytesPerSlot(),
                s.bytesPerSlot(), after - before, after, s.pages(), s.cells(), loadSeconds));
            System.out.println(lines.get(lines.size() - 1));
            index = null;
            if (baselines.contains(size)) {
                final long b0 = heapAfterGc();
                final long t1 = System.nanoTime();
                LuceneBaseline lucene = new LuceneBaseline(data);
                final double luceneSeconds = (System.nanoTime() - t1) / 1e9;
                final long b1 = heapAfterGc();
                lines.add(String.format(Locale.ROOT, "{\"impl\":\"lucene\",\"size\":%d,\"ramBytes\":%d,\"bytesPerSlot\":%.2f,"
                        + "\"jvmHeapDeltaBytes\":%d,\"loadSeconds\":%.2f}", size, lucene.ramBytesUsed(),
                    (double) lucene.ramBytesUsed() / data.size, b1 - b0, luceneSeconds));
                System.out.println(lines.get(lines.size() - 1));
                lucene.close();
                lucene = null;
                final long h0 = heapAfterGc();
                final long t2 = System.nanoTime();
                OnHeapBaseline onHeap = new OnHeapBaseline(data);
                final double onHeapSeconds = (System.nanoTime() - t2) / 1e9;
                final long h1 = heapAfterGc();
                lines.add(String.format(Locale.ROOT, "{\"impl\":\"onHeap\",\"size\":%d,\"jvmHeapDeltaBytes\":%d,"
                        + "\"bytesPerSlot\":%.2f,\"practitioners\":%d,\"loadSeconds\":%.2f}", size, h1 - h0,
                    (double) (h1 - h0) / data.size, onHeap.practitioners(), onHeapSeconds));
                System.out.println(lines.get(lines.size() - 1));
                onHeap = null;
            }
        }
        if (out != null) {
            Files.write(out, lines);
        }
    }

    private static List<Integer> ints(final String csv) {
        final List<Integer> out = new ArrayList<>();
        for (final String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(Integer.parseInt(s.trim()));
            }
        }
        return out;
    }

    private static long heapAfterGc() throws IOException {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
