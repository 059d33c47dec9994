package fr.creneau.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

import fr.creneau.examples.data.DataGenerator;
import fr.creneau.examples.data.Scale;
import fr.creneau.feed.IngestConfig;
import fr.creneau.feed.IngestReport;
import fr.creneau.feed.Ingestor;
import fr.creneau.feed.NativeFeedParser;
import fr.creneau.feed.ParsedFeed;
import fr.creneau.index.SlotIndex;

/**
 * Ingest throughput, in slots per second (the {@code slots} counter; the primary score is
 * operations per second). An operation is:
 * <ul>
 *   <li>{@code parseSnapshot}: parse the France-scale Doctolib snapshot (the generator's file, in
 *       memory: ~350,000 slots, all visibilities) with {@link NativeFeedParser};</li>
 *   <li>{@code applySnapshot}: validate and apply that parsed snapshot with {@link Ingestor} to an
 *       index holding the whole France data set;</li>
 *   <li>{@code parseAndApply}: both;</li>
 * </ul>
 * each alternating with a copy of the snapshot that lacks every tenth slot (same
 * {@code generatedAt}), so that every application removes or restores 10% of the vendor's slots.
 * Slots counted are the snapshot's (received, before the SAS rules reject invisible ones). And
 * {@code reload}: every slot of the data set of {@code size}, as parsed records, into a new
 * {@link SlotIndex} (the "full reload" figure).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar IngestBenchmark -prof gc -rf json -rff ingest.json
 * java -jar bench/target/benchmarks.jar 'IngestBenchmark.reload' -p size=20000000
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx10g", "-XX:MaxDirectMemorySize=3g"})
public class IngestBenchmark {
    static final String VENDOR_FILE = "doctolib.json";

    /** Slots handled, as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long slots;

        @Setup(Level.Iteration)
        public void reset() {
            slots = 0;
        }
    }

    /** The Doctolib snapshot and a thinned copy, as bytes and parsed, and an index to apply them to. */
    @State(Scope.Benchmark)
    public static class Snapshots {
        final byte[][] bytes = new byte[2][];
        final ParsedFeed[] parsed = new ParsedFeed[2];
        final NativeFeedParser parser = new NativeFeedParser();
        Ingestor ingestor;
        int turn;

        @Setup(Level.Trial)
        public void setup() throws IOException {
            final DataSet base = DataSet.france();
            final Path file = DataSet.generated(DataSet.cacheDir(), Scale.FRANCE, DataSet.DEFAULT_SEED, DataSet.DEFAULT_NOW)
                .resolve(DataGenerator.FEEDS_DIR).resolve(VENDOR_FILE);
            bytes[0] = Files.readAllBytes(file);
            bytes[1] = thinned(bytes[0]);
            for (int i = 0; i < 2; i++) {
                parsed[i] = parser.parseVendorFeed(VENDOR_FILE, new ByteArrayInputStream(bytes[i]));
            }
            final SlotIndex index = CreneauIndex.load(base);
            ingestor = new Ingestor(base.directory, base.vendors, IngestConfig.DEFAULTS, base.clock, index);
            final IngestReport r = ingestor.applyVendorSnapshot(parsed[0]);
            System.out.printf("# snapshot: %,d slots received (%,d in the thinned copy), %s%n", parsed[0].slots().size(),
                parsed[1].slots().size(), r);
        }

        int next() {
            return turn++ & 1;
        }
    }

    /** The data set of a size as parsed records. */
    @State(Scope.Benchmark)
    public static class Records {
        @Param({"1000000", "5000000", "20000000"})
        public int size;
        DataSet data;
        List<CreneauIndex.Run> runs;

        @Setup(Level.Trial)
        public void setup() {
            data = DataSet.ofSize(size);
            runs = CreneauIndex.runs(data);
        }
    }

    /** The snapshot without every tenth entry of its slots array (streamed copy, same header). */
    static byte[] thinned(final byte[] json) {
        final JsonFactory f = new JsonFactory();
        final ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
        try (JsonParser p = f.createParser(json); JsonGenerator g = f.createGenerator(out, JsonEncoding.UTF8)) {
            int depth = 0;
            int entry = 0;
            boolean inSlots = false;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (inSlots && depth == 2 && t == JsonToken.START_OBJECT) {
                    if (entry++ % 10 == 9) {
                        p.skipChildren();
                        continue;
                    }
                    g.copyCurrentStructure(p);
                    continue;
                }
                if (t == JsonToken.FIELD_NAME && depth == 1) {
                    inSlots = "slots".equals(p.currentName());
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                }
                g.copyCurrentEvent(p);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Benchmark
    public ParsedFeed parseSnapshot(final Snapshots s, final Counters c) {
        final ParsedFeed feed = s.parser.parseVendorFeed(VENDOR_FILE, new ByteArrayInputStream(s.bytes[s.next()]));
        c.slots += feed.slots().size();
        return feed;
    }

    @Benchmark
    public IngestReport applySnapshot(final Snapshots s, final Counters c) {
        final ParsedFeed feed = s.parsed[s.next()];
        c.slots += feed.slots().size();
        return s.ingestor.applyVendorSnapshot(feed);
    }

    @Benchmark
    public IngestReport parseAndApply(final Snapshots s, final Counters c) {
        final ParsedFeed feed = s.parser.parseVendorFeed(VENDOR_FILE, new ByteArrayInputStream(s.bytes[s.next()]));
        c.slots += feed.slots().size();
        return s.ingestor.applyVendorSnapshot(feed);
    }

    @Benchmark
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 3, time = 1)
    public SlotIndex reload(final Records r, final Counters c) {
        final SlotIndex index = new SlotIndex(r.data.directory, r.data.clock);
        for (final CreneauIndex.Run run : r.runs) {
            index.replace(run.source(), run.practitioner(), run.slots());
        }
        c.slots += r.size;
        return index;
    }
}
