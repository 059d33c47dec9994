package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.directory.VendorRegistry;

/**
 * Issue 12 #17: a 384 MB snapshot took 1.5 GB of heap and, under {@code -Xmx400m}, ended in an
 * {@code OutOfMemoryError} with a stack trace. Memory is checked in a child JVM with a small heap,
 * by outcome (it completes or refuses with a typed error) and by what a parse keeps, not by time.
 */
class LargeFeedTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path tmp;

    // ---- a feed of any size, generated as it is read --------------------------------------------

    /** A native vendor snapshot of {@code slots} slots, produced while read: nothing is held. */
    static final class GeneratedFeed extends InputStream {
        private static final String[] RPPS = {"10000000017", "10000000025", "10000000033", "10000000041",
            "10000000058", "10000000066", "10003456786", "10012345673"};
        private final long slots;
        private long next;
        private byte[] chunk = ("{\"vendor\": \"Doctolib\", \"integration\": \"END_TO_END\", "
            + "\"generatedAt\": \"2026-11-23T08:55:00Z\", \"slots\": [").getBytes(StandardCharsets.US_ASCII);
        private int pos;
        private boolean done;

        GeneratedFeed(final long slots) {
            this.slots = slots;
        }

        private boolean fill() {
            if (pos < chunk.length) {
                return true;
            }
            if (done) {
                return false;
            }
            pos = 0;
            if (next == slots) {
                chunk = "]}".getBytes(StandardCharsets.US_ASCII);
                done = true;
                return true;
            }
            final long i = next++;
            // Times repeat across practitioners, as in a real agenda: 48 h of 20-minute slots.
            final int minute = (int) (i / RPPS.length % 144) * 20;
            final String start = String.format("2026-11-%02dT%02d:%02d:00+01:00", 23 + minute / 1440,
                minute / 60 % 24, minute % 60);
            final String end = String.format("2026-11-%02dT%02d:%02d:00+01:00", 23 + (minute + 20) / 1440,
                (minute + 20) / 60 % 24, (minute + 20) % 60);
            chunk = ((i == 0 ? "" : ",\n") + "{\"id\": \"slot-" + i + "\", \"rpps\": \"" + RPPS[(int) (i % RPPS.length)]
                + "\", \"start\": \"" + start + "\", \"end\": \"" + end
                + "\", \"modality\": \"OFFICE\", \"visibility\": \"PUBLIC\"}").getBytes(StandardCharsets.US_ASCII);
            return true;
        }

        @Override
        public int read() {
            return fill() ? chunk[pos++] & 0xFF : -1;
        }

        @Override
        public int read(final byte[] b, final int off, final int len) {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len && fill()) {
                final int k = Math.min(len - n, chunk.length - pos);
                System.arraycopy(chunk, pos, b, off + n, k);
                pos += k;
                n += k;
            }
            return n == 0 ? -1 : n;
        }
    }

    /**
     * Child JVM: parses a generated feed of {@code args[0]} slots with a limit of {@code args[1]}
     * bytes, and prints {@code PARSED <slots> <bytes kept after the parse>} or
     * {@code REFUSED <message>}.
     */
    public static final class Child {
        public static void main(final String[] args) {
            final long slots = Long.parseLong(args[0]);
            final NativeFeedParser parser = new NativeFeedParser(IngestConfig.DEFAULTS.withMaxFeedBytes(Long.parseLong(args[1])));
            final long before = used();
            try {
                final ParsedFeed feed = parser.parseVendorFeed("generated", new GeneratedFeed(slots));
                final long kept = used() - before;
                System.out.println("PARSED " + feed.slots().size() + " " + kept);
            } catch (final FeedTooLargeException e) {
                System.out.println("REFUSED " + e.getMessage());
            }
        }

        private static long used() {
            final Runtime rt = Runtime.getRuntime();
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            return rt.totalMemory() - rt.freeMemory();
        }
    }

    private record Outcome(int exit, String out, String err) {
    }

    private Outcome child(final String heap, final long slots, final long limit) throws IOException, InterruptedException {
        final String java = ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final List<String> command = new ArrayList<>(List.of(java, heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"), Child.class.getName(), String.valueOf(slots),
            String.valueOf(limit)));
        final Path out = Files.createTempFile(tmp, "child", ".out");
        final Path err = Files.createTempFile(tmp, "child", ".err");
        final Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("child did not finish within 60 s");
        }
        return new Outcome(p.exitValue(), Files.readString(out).trim(), Files.readString(err));
    }

    private static long size(final long slots) throws IOException {
        try (InputStream in = new GeneratedFeed(slots)) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    @Test
    void aFeedFarLargerThanTheHeapIsRefusedWithATypedErrorNotAnOutOfMemoryError() throws Exception {
        // Two million slots, about 380 MB, the 384 MB snapshot; a 64 MB heap; a 16 MiB limit.
        final Outcome o = child("-Xmx64m", 2_000_000, 16 * MIB);
        assertThat(o.err()).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
        assertThat(o.exit()).isZero();
        assertThat(o.out()).startsWith("REFUSED generated: ").contains(String.valueOf(16 * MIB))
            .contains("maxFeedBytes");
    }

    @Test
    void whatAParseKeepsIsBoundedByTheInputsSize() throws Exception {
        // 150,000 slots, about 25 MB of JSON, parsed within a 64 MB heap. What the parse keeps (the
        // slots, before validation) must stay under the size of the text (0.72 of it measured; 1.94
        // before repeated values were shared): the limit on the input is then a limit on the heap.
        final long slots = 150_000;
        final long bytes = size(slots);
        final Outcome o = child("-Xmx64m", slots, IngestConfig.DEFAULT_MAX_FEED_BYTES);
        assertThat(o.err()).doesNotContain("\tat ");
        assertThat(o.exit()).isZero();
        assertThat(o.out()).startsWith("PARSED " + slots + " ");
        final long kept = Long.parseLong(o.out().split(" ")[2]);
        assertThat(kept).as("bytes kept for %s bytes of feed", bytes).isLessThan(bytes);
    }

    // ---- the limit, in process, on every parser ------------------------------------------------

    private static final IngestConfig SMALL = IngestConfig.DEFAULTS.withMaxFeedBytes(512);

    @Test
    void everyParserRefusesAnInputLargerThanTheLimit() throws IOException {
        assertThatThrownBy(() -> new NativeFeedParser(SMALL).parseVendorFeed(Fixtures.path("feeds/doctolib.json")))
            .isInstanceOf(FeedTooLargeException.class).hasMessageContaining("doctolib.json").hasMessageContaining("512 bytes");
        assertThatThrownBy(() -> new NativeFeedParser(SMALL).parseVendorFeed("stream", new GeneratedFeed(100)))
            .isInstanceOf(FeedTooLargeException.class).isInstanceOf(FeedFormatException.class)
            .satisfies(e -> assertThat(((FeedTooLargeException) e).limit()).isEqualTo(512));
        assertThatThrownBy(() -> new NativeFeedParser(SMALL).parseManual(Fixtures.path("manual/sas-agenda.json")))
            .isInstanceOf(FeedTooLargeException.class);
        assertThatThrownBy(() -> new DirectoryLoader(VendorRegistry.defaults(), SMALL).load(Fixtures.path("practitioners.json")))
            .isInstanceOf(FeedTooLargeException.class);
        try (InputStream in = LargeFeedTest.class.getResourceAsStream("/fhir/bundle-ps-indiv.json")) {
            assertThatThrownBy(() -> new FhirBundleParser(SMALL).parse("bundle-ps-indiv.json", "MonMédecin.org", in))
                .isInstanceOf(FeedTooLargeException.class);
        }
    }

    @Test
    void theFacadeGivesItsIngestConfigToItsParsers() throws IOException {
        try (fr.creneau.Creneau creneau = fr.creneau.Creneau.builder().clock(Fixtures.clockAt(Fixtures.NOW))
            .ingestConfig(SMALL).build();
             InputStream bundle = LargeFeedTest.class.getResourceAsStream("/fhir/bundle-ps-indiv.json")) {
            assertThatThrownBy(() -> creneau.loadDirectory(Fixtures.path("practitioners.json")))
                .isInstanceOf(FeedTooLargeException.class);
            assertThatThrownBy(() -> creneau.ingestVendorFeed(Fixtures.path("feeds/doctolib.json")))
                .isInstanceOf(FeedTooLargeException.class);
            assertThatThrownBy(() -> creneau.ingestFhirBundle("MonMédecin.org", "bundle", bundle))
                .isInstanceOf(FeedTooLargeException.class);
        }
    }

    @Test
    void anInputOfExactlyTheLimitIsRead() throws IOException {
        final byte[] text = Files.readAllBytes(Fixtures.path("feeds/doctolib.json"));
        final IngestConfig exact = IngestConfig.DEFAULTS.withMaxFeedBytes(text.length);
        assertThat(new NativeFeedParser(exact).parseVendorFeed("doctolib.json", new ByteArrayInputStream(text)).slots())
            .isNotEmpty();
        assertThat(new NativeFeedParser(exact).parseVendorFeed(Fixtures.path("feeds/doctolib.json")).slots()).isNotEmpty();
    }
}
