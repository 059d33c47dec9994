package fr.creneau.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.Territory;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.examples.data.DataGenerator;
import fr.creneau.examples.data.GeneratorConfig;
import fr.creneau.examples.data.Scale;
import fr.creneau.feed.DirectoryLoader;
import fr.creneau.feed.IngestConfig;
import fr.creneau.feed.Ingestor;
import fr.creneau.feed.NativeFeedParser;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.SlotSink;
import fr.creneau.feed.Visibility;
import fr.creneau.slot.Minutes;

/**
 * The live slots every benchmark and baseline is given: a directory and, for each slot, its
 * practitioner, source, start and end minute, modality set and visibility, in compact parallel
 * arrays sorted by (practitioner, source, start). Immutable once built; thread-safe.
 *
 * <h2>Where the data comes from</h2>
 * <ol>
 *   <li><b>Base</b>: the examples' {@link DataGenerator} at {@link Scale#FRANCE} (seed 42, now
 *       {@link #DEFAULT_NOW}, a Monday 08:00 in Paris), written once to a cache directory
 *       ({@code bench/target/bench-data/}, system property {@code creneau.bench.data}) and read
 *       back through the engine's own {@link DirectoryLoader}, {@link NativeFeedParser} and
 *       {@link Ingestor} (every SAS rule applied): about 100,000 practitioners and 330,000 live
 *       slots. The generator keeps its in-memory model package-private, so the JSON round trip
 *       (2-3 s, 110 MB) is the only public way in.</li>
 *   <li><b>Stacking</b> (more slots per practitioner, as the stress scale publishes whole agendas):
 *       each base slot is copied shifted by +1, -1, +2, -2 times its own length, the copies kept
 *       when they lie in [now, now + 48 h) and do not repeat a start of the same (practitioner,
 *       source). {@code v} variants (1 to 5: the original first) are used, the largest whose total
 *       does not exceed the target. A shifted copy may overlap a neighbour of another length
 *       (home visit next to an office slot): neither the index nor the ranking relies on slots not
 *       overlapping.</li>
 *   <li><b>Replication</b> to reach the exact target: rounds {@code r = 1, 2, ...} add one replica
 *       of every base practitioner, in an order shuffled per round, until the target is reached
 *       (the last list is cut). Replica {@code r} of practitioner {@code p}: RPPS
 *       {@code (10 + r)} followed by the base RPPS's 8 digits and a new Luhn key; same profession,
 *       vendor, participation, CPTS and surnuméraire flag; position moved uniformly within 1 km
 *       (kept in the same territory, else unmoved); its stacked slots shifted by
 *       {@code 5 * (k - 12)} minutes, {@code k} uniform in 0..24, dropped outside the window.
 *       All draws come from {@code SplittableRandom(mix(seed, r, p))}.</li>
 * </ol>
 * So slots stay where people live (the generator places practitioners by commune population),
 * the agenda hours stay those of the generator, and a size is the same bytes on every run.
 */
public final class DataSet {
    /** Monday 2026-11-23 08:00 Europe/Paris: SAS daytime, two working days ahead. */
    public static final Instant DEFAULT_NOW = Instant.parse("2026-11-23T07:00:00Z");
    /** Seed of the generator and of the replication. */
    public static final long DEFAULT_SEED = 42;
    static final String SLOT_ID = "bench";
    private static final int WINDOW_MINUTES = 48 * 60;
    private static final Map<String, DataSet> CACHE = new ConcurrentHashMap<>();

    public final Instant now;
    public final Clock clock;
    public final int nowMinute;
    public final VendorRegistry vendors;
    public final Directory directory;
    /** Number of base practitioners (the first indices); the rest are replicas. */
    public final int basePractitioners;
    public final int size;
    public final int[] practitioner;
    public final int[] start;
    public final int[] end;
    public final byte[] source;
    public final byte[] modalities;
    public final byte[] visibility;
    /** Site ordinal of each slot in its practitioner's sites (0: the main site). */
    public final byte[] site;
    /** What was done to reach the size, for the reports. */
    public final String provenance;

    private DataSet(final Instant now, final VendorRegistry vendors, final Directory directory, final int basePractitioners,
                    final int size, final int[] practitioner, final int[] start, final int[] end, final byte[] source,
                    final byte[] modalities, final byte[] visibility, final byte[] site, final String provenance) {
        this.now = now;
        this.clock = Clock.fixed(now, ZoneOffset.UTC);
        this.nowMinute = Minutes.floor(now);
        this.vendors = vendors;
        this.directory = directory;
        this.basePractitioners = basePractitioners;
        this.size = size;
        this.practitioner = practitioner;
        this.start = start;
        this.end = end;
        this.source = source;
        this.modalities = modalities;
        this.visibility = visibility;
        this.site = site;
        this.provenance = provenance;
    }

    /** The cache directory of generated data sets. */
    public static Path cacheDir() {
        return Path.of(System.getProperty("creneau.bench.data", "bench/target/bench-data"));
    }

    /** France scale grown to {@code size} live slots (see the class comment); one per JVM and size. */
    public static DataSet ofSize(final int size) {
        return CACHE.computeIfAbsent("france-" + size, k -> {
            final long t0 = System.nanoTime();
            final DataSet base = france();
            final long t1 = System.nanoTime();
            final DataSet d = grow(base, size, DEFAULT_SEED);
            System.out.printf("# data set: %,d slots, %,d practitioners (%s); base %.1f s, grown in %.1f s%n", d.size,
                d.directory.size(), d.provenance, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
            return d;
        });
    }

    /** The base France data set (no stacking, no replica), one per JVM. */
    public static DataSet france() {
        return CACHE.computeIfAbsent("france", k -> base(cacheDir(), Scale.FRANCE, DEFAULT_SEED, DEFAULT_NOW));
    }

    /**
     * Directory of the generated JSON of a scale, generated on first use. Its name carries the
     * generator's fingerprint ({@link #generatorFingerprint}): a data set generated by an older
     * generator is not reused (one was, for half a day of committed runs, without the second
     * sites the generator had learnt meanwhile).
     */
    public static Path generated(final Path cache, final Scale scale, final long seed, final Instant now) {
        final Path dir = cache.resolve(scale.name().toLowerCase() + "-" + seed + "-" + now.getEpochSecond()
            + "-" + generatorFingerprint());
        if (Files.exists(dir.resolve("COMPLETE"))) {
            return dir;
        }
        try {
            final Path tmp = Files.createDirectories(cache).resolve(dir.getFileName() + ".tmp" + ProcessHandle.current().pid());
            new DataGenerator(GeneratorConfig.of(seed, scale, now)).generate(tmp);
            Files.writeString(tmp.resolve("COMPLETE"), "generated by fr.creneau.bench.DataSet\n");
            if (Files.exists(dir)) {
                deleteTree(dir);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static volatile String fingerprint;

    /**
     * CRC-32 of the generator's package as loaded (its classes and the reference data beside
     * them, in name order), hexadecimal: what decides the generated files besides the seed, the
     * scale and "now".
     */
    static String generatorFingerprint() {
        String f = fingerprint;
        if (f == null) {
            final String prefix = DataGenerator.class.getPackageName().replace('.', '/') + "/";
            final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            try {
                final Path root = Path.of(DataGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                final java.util.TreeMap<String, byte[]> entries = new java.util.TreeMap<>();
                if (Files.isDirectory(root)) {
                    try (var files = Files.walk(root.resolve(prefix))) {
                        for (final Path file : files.filter(Files::isRegularFile).toList()) {
                            entries.put(root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                        }
                    }
                } else {
                    try (var jar = new java.util.jar.JarFile(root.toFile())) {
                        for (final var e : java.util.Collections.list(jar.entries())) {
                            if (!e.isDirectory() && e.getName().startsWith(prefix)) {
                                try (var in = jar.getInputStream(e)) {
                                    entries.put(e.getName(), in.readAllBytes());
                                }
                            }
                        }
                    }
                }
                for (final var e : entries.entrySet()) {
                    crc.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    crc.update(e.getValue());
                }
            } catch (final IOException | java.net.URISyntaxException e) {
                throw new IllegalStateException("cannot read the generator's classes to fingerprint them", e);
            }
            f = Long.toHexString(crc.getValue());
            fingerprint = f;
        }
        return f;
    }

    /** Feed files of a generated directory, sorted by name. */
    public static List<Path> files(final Path dir) {
        final List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
            s.forEach(out::add);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    /** Loads a generated data set through the engine's parsers and validation (every SAS rule). */
    public static DataSet base(final Path cache, final Scale scale, final long seed, final Instant now) {
        final Path dir = generated(cache, scale, seed, now);
        final VendorRegistry vendors = VendorRegistry.defaults();
        final Directory directory = new DirectoryLoader(vendors).load(dir.resolve(DataGenerator.PRACTITIONERS_FILE)).directory();
        final Collector sink = new Collector();
        final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        final Ingestor ingestor = new Ingestor(directory, vendors, IngestConfig.DEFAULTS, clock, sink);
        final NativeFeedParser parser = new NativeFeedParser();
        for (final Path f : files(dir.resolve(DataGenerator.FEEDS_DIR))) {
            ingestor.applyVendorSnapshot(parser.parseVendorFeed(f));
        }
        for (final Path f : files(dir.resolve(DataGenerator.MANUAL_DIR))) {
            ingestor.applyManual(parser.parseManual(f));
        }
        return sink.toDataSet(now, vendors, directory, scale + " seed " + seed + " as generated");
    }

    /** Receives the validated slots of the real ingestion path. */
    private static final class Collector implements SlotSink {
        final List<long[]> rows = new ArrayList<>();

        @Override
        public boolean replace(final int source, final int practitioner, final List<SlotRecord> slots) {
            for (final SlotRecord s : slots) {
                rows.add(new long[] {practitioner, source, Minutes.floor(s.start()), Minutes.ceil(s.end()),
                    s.modalities(), s.visibility().ordinal(), s.site()});
            }
            return !slots.isEmpty();
        }

        DataSet toDataSet(final Instant now, final VendorRegistry vendors, final Directory directory, final String what) {
            rows.sort((a, b) -> {
                for (int i = 0; i < 3; i++) {
                    final int c = Long.compare(a[i], b[i]);
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            });
            final Builder b = new Builder(rows.size());
            for (final long[] r : rows) {
                b.add((int) r[0], (int) r[1], (int) r[2], (int) r[3], (int) r[4], (int) r[5], (int) r[6]);
            }
            return b.build(now, vendors, directory, directory.capacity(), what);
        }
    }

    /** Appends slots in (practitioner, source, start) order. */
    private static final class Builder {
        int n;
        int[] practitioner;
        int[] start;
        int[] end;
        byte[] source;
        byte[] modalities;
        byte[] visibility;
        byte[] site;

        Builder(final int capacity) {
            final int c = Math.max(16, capacity);
            practitioner = new int[c];
            start = new int[c];
            end = new int[c];
            source = new byte[c];
            modalities = new byte[c];
            visibility = new byte[c];
            site = new byte[c];
        }

        void add(final int p, final int src, final int s, final int e, final int mod, final int vis, final int at) {
            if (n == practitioner.length) {
                final int c = n * 2;
                practitioner = Arrays.copyOf(practitioner, c);
                start = Arrays.copyOf(start, c);
                end = Arrays.copyOf(end, c);
                source = Arrays.copyOf(source, c);
                modalities = Arrays.copyOf(modalities, c);
                visibility = Arrays.copyOf(visibility, c);
                site = Arrays.copyOf(site, c);
            }
            practitioner[n] = p;
            source[n] = (byte) src;
            start[n] = s;
            end[n] = e;
            modalities[n] = (byte) mod;
            visibility[n] = (byte) vis;
            site[n] = (byte) at;
            n++;
        }

        DataSet build(final Instant now, final VendorRegistry vendors, final Directory directory, final int base,
                      final String what) {
            return new DataSet(now, vendors, directory, base, n, Arrays.copyOf(practitioner, n), Arrays.copyOf(start, n),
                Arrays.copyOf(end, n), Arrays.copyOf(source, n), Arrays.copyOf(modalities, n), Arrays.copyOf(visibility, n),
                Arrays.copyOf(site, n), what);
        }
    }

    /** One practitioner's stacked slots, in (source, start) order. */
    private static final class Agenda {
        int n;
        int[] source = new int[8];
        int[] start = new int[8];
        int[] end = new int[8];
        int[] modalities = new int[8];
        int[] visibility = new int[8];
        int[] site = new int[8];

        void add(final int src, final int s, final int e, final int mod, final int vis, final int at) {
            if (n == source.length) {
                source = Arrays.copyOf(source, n * 2);
                start = Arrays.copyOf(start, n * 2);
                end = Arrays.copyOf(end, n * 2);
                modalities = Arrays.copyOf(modalities, n * 2);
                visibility = Arrays.copyOf(visibility, n * 2);
                site = Arrays.copyOf(site, n * 2);
            }
            source[n] = src;
            start[n] = s;
            end[n] = e;
            modalities[n] = mod;
            visibility[n] = vis;
            site[n] = at;
            n++;
        }

        boolean hasStart(final int src, final int s) {
            for (int i = 0; i < n; i++) {
                if (source[i] == src && start[i] == s) {
                    return true;
                }
            }
            return false;
        }

        /** Sorts by (source, start): insertion sort, one practitioner's few dozen slots. */
        void sort() {
            for (int i = 1; i < n; i++) {
                final int src = source[i];
                final int s = start[i];
                final int e = end[i];
                final int m = modalities[i];
                final int v = visibility[i];
                final int at = site[i];
                int j = i - 1;
                while (j >= 0 && (source[j] > src || (source[j] == src && start[j] > s))) {
                    source[j + 1] = source[j];
                    start[j + 1] = start[j];
                    end[j + 1] = end[j];
                    modalities[j + 1] = modalities[j];
                    visibility[j + 1] = visibility[j];
                    site[j + 1] = site[j];
                    j--;
                }
                source[j + 1] = src;
                start[j + 1] = s;
                end[j + 1] = e;
                modalities[j + 1] = m;
                visibility[j + 1] = v;
                site[j + 1] = at;
            }
        }
    }

    private static final int[] SHIFTS = {0, 1, -1, 2, -2};

    /** Stacked agendas of the base practitioners with {@code variants} shifts each. */
    private static Agenda[] stack(final DataSet base, final int variants) {
        final Agenda[] agendas = new Agenda[base.directory.capacity()];
        final int from = base.nowMinute;
        final int to = from + WINDOW_MINUTES;
        for (int v = 0; v < variants; v++) {
            for (int i = 0; i < base.size; i++) {
                final int p = base.practitioner[i];
                final int length = base.end[i] - base.start[i];
                final int s = base.start[i] + SHIFTS[v] * length;
                final int e = s + length;
                if (s < from || e > to) {
                    continue;
                }
                Agenda a = agendas[p];
                if (a == null) {
                    a = agendas[p] = new Agenda();
                }
                if (v > 0 && a.hasStart(base.source[i], s)) {
                    continue;
                }
                a.add(base.source[i], s, e, base.modalities[i], base.visibility[i], base.site[i]);
            }
        }
        for (final Agenda a : agendas) {
            if (a != null) {
                a.sort();
            }
        }
        return agendas;
    }

    private static long total(final Agenda[] agendas) {
        long n = 0;
        for (final Agenda a : agendas) {
            n += a == null ? 0 : a.n;
        }
        return n;
    }

    /** The base grown to exactly {@code size} slots (see the class comment). */
    public static DataSet grow(final DataSet base, final int size, final long seed) {
        Agenda[] agendas = stack(base, 1);
        int variants = 1;
        for (int v = 2; v <= SHIFTS.length; v++) {
            final Agenda[] more = stack(base, v);
            if (total(more) > size) {
                break;
            }
            agendas = more;
            variants = v;
        }
        final int baseCount = base.directory.capacity();
        final Directory.Builder directory = Directory.builder();
        for (int p = 0; p < baseCount; p++) {
            directory.add(base.directory.get(p));
        }
        for (final fr.creneau.directory.Structure st : base.directory.structures()) {
            directory.addStructure(st); // replicas keep their structure: one row per structure still
        }
        final Builder out = new Builder(size);
        // Round 0: the base practitioners (all of them unless the size is below the stacked base).
        final int[] order = new int[baseCount];
        fillShuffled(order, seed, 0, size < total(agendas));
        int round = 0;
        int practitioners = baseCount;
        outer:
        while (true) {
            if (round > 0) {
                fillShuffled(order, seed, round, true);
            }
            for (final int p : order) {
                if (out.n == size) {
                    break outer;
                }
                final Agenda a = agendas[p];
                if (round == 0) {
                    append(out, p, a, 0, size, base.nowMinute);
                    continue;
                }
                if (round > 89) {
                    throw new IllegalStateException("more than 89 replicas: base too small for " + size);
                }
                final Practitioner original = base.directory.get(p);
                final SplittableRandom rng = new SplittableRandom(mix(mix(seed, round), p));
                final Practitioner replica = replica(original, round, rng);
                final int shift = 5 * (rng.nextInt(25) - 12);
                directory.add(replica);
                append(out, practitioners++, a, shift, size, base.nowMinute);
            }
            if (round == 0 && out.n == 0) {
                throw new IllegalStateException("base has no slot");
            }
            round++;
        }
        final Directory grown = directory.build();
        return out.build(base.now, base.vendors, grown, baseCount, String.format(
            "%s; %d shift variant(s) per slot; %d replica round(s) of the practitioners", base.provenance, variants,
            round));
    }

    private static void append(final Builder out, final int p, final Agenda a, final int shift, final int size,
                               final int nowMinute) {
        if (a == null) {
            return;
        }
        for (int i = 0; i < a.n && out.n < size; i++) {
            final int s = a.start[i] + shift;
            final int e = a.end[i] + shift;
            if (s < nowMinute || e > nowMinute + WINDOW_MINUTES) {
                continue;
            }
            out.add(p, a.source[i], s, e, a.modalities[i], a.visibility[i], a.site[i]);
        }
    }

    private static Practitioner replica(final Practitioner p, final int round, final SplittableRandom rng) {
        final String digits = p.rppsText().substring(2, 10);
        final long rpps = Rpps.parse(Rpps.withCheckDigit((10 + round) + digits));
        final double r = Math.sqrt(rng.nextDouble());
        final double theta = 2 * Math.PI * rng.nextDouble();
        double lat = round6(p.lat() + r * Math.cos(theta) / 111.2);
        double lon = round6(p.lon() + r * Math.sin(theta) / (111.2 * Math.cos(Math.toRadians(p.lat()))));
        if (Territory.of(lat, lon) != p.territory()) {
            lat = p.lat();
            lon = p.lon();
        }
        // Every site moves with the main one (a replica is the same practice elsewhere).
        final double dLat = lat - p.lat();
        final double dLon = lon - p.lon();
        final List<fr.creneau.directory.Site> sites = new ArrayList<>(p.sites().size());
        for (final fr.creneau.directory.Site st : p.sites()) {
            double sLat = round6(st.lat() + dLat);
            double sLon = round6(st.lon() + dLon);
            if (Territory.of(sLat, sLon) == null) {
                sLat = st.lat();
                sLon = st.lon();
            }
            sites.add(new fr.creneau.directory.Site(st.id(), st.address(), sLat, sLon, st.approximate(), st.phone(),
                st.role()));
        }
        return new Practitioner(rpps, p.name(), p.profession(), sites.get(0).lat(), sites.get(0).lon(), p.phone(),
            p.vendor(), p.refusesVendorSlots(), p.participation(), p.acceptsExtraPatients(), p.cpts(),
            Territory.of(sites.get(0).lat(), sites.get(0).lon()), sites, p.structure(), p.regulationPhone(),
            p.homeVisitRadiusKm());
    }

    /** Identity, or a permutation keyed by (seed, round). */
    private static void fillShuffled(final int[] order, final long seed, final int round, final boolean shuffle) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (!shuffle) {
            return;
        }
        final SplittableRandom rng = new SplittableRandom(mix(seed, 1000 + round));
        for (int i = order.length - 1; i > 0; i--) {
            final int j = rng.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    static double round6(final double degrees) {
        return Math.round(degrees * 1e6) / 1e6;
    }

    /** SplitMix64 finaliser of two values. */
    static long mix(final long a, final long b) {
        long z = a * 0x9E37_79B9_7F4A_7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** Slot {@code i} as the record the index takes (allocates: setup only). */
    public SlotRecord record(final int i) {
        return new SlotRecord(SLOT_ID, practitioner[i], Minutes.toInstant(start[i]), Minutes.toInstant(end[i]),
            modalities[i], Visibility.values()[visibility[i]], source[i], null, site[i]);
    }

    private static void deleteTree(final Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (final Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
