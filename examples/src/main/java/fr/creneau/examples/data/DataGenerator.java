package fr.creneau.examples.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonGenerator;

import fr.creneau.directory.Participation;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Vendor;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.examples.data.ReferenceData.Departement;
import fr.creneau.feed.Modality;
import fr.creneau.feed.Visibility;

/**
 * Generates a realistic data set for the engine: {@code practitioners.json}, one feed per vendor
 * ({@code feeds/<vendor code>.json}) and one manual SAS agenda per département
 * ({@code manual/sas-<dep>.json}), for the 48 hours from {@link GeneratorConfig#now()}.
 *
 * <pre>
 * GeneratedSummary s = new DataGenerator(GeneratorConfig.of(42, Scale.DEPARTEMENT, Instant.now()))
 *     .generate(Path.of("target/data"));
 * </pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Deterministic: the same configuration writes the same bytes (no clock, no hash order, no
 *       default locale or time zone is read).</li>
 *   <li>Streaming: slots are written as they are drawn, in two passes over the départements (the
 *       directory, then the slots), so memory holds one département at a time, not the ~20M slots
 *       of the stress scale.</li>
 *   <li>Every vendor of the registry gets a feed file (possibly with no slot); every generated
 *       département gets a manual file. Stale {@code feeds/*.json} and {@code manual/*.json} in
 *       the output directory are deleted first, so the directory holds one data set.</li>
 *   <li>A PDSA layer ({@code pdsa/sectors.geojson}, {@code pdsa/roster.json}) for the generated
 *       départements: see {@link PdsaPlanner}.</li>
 * </ul>
 * Slot-level invariants are listed in {@link AgendaPlanner}; proportions in {@link Proportions}.
 *
 * <p>Thread-safe: an instance holds only immutable configuration; concurrent {@link #generate}
 * calls must use different output directories.
 */
public final class DataGenerator {
    /** Directory file name. */
    public static final String PRACTITIONERS_FILE = "practitioners.json";
    /** Sub-directory of the vendor feeds. */
    public static final String FEEDS_DIR = "feeds";
    /** Sub-directory of the manual SAS agendas. */
    public static final String MANUAL_DIR = "manual";
    /** The structures file, beside {@link #PRACTITIONERS_FILE}. */
    public static final String STRUCTURES_FILE = "structures.json";

    private final GeneratorConfig config;
    private final VendorRegistry vendors;
    private final ReferenceData data;

    /** A generator using the default vendor registry. */
    public DataGenerator(final GeneratorConfig config) {
        this(config, VendorRegistry.defaults());
    }

    /** A generator whose vendor names and integration levels come from {@code vendors}. */
    public DataGenerator(final GeneratorConfig config, final VendorRegistry vendors) {
        this.config = Objects.requireNonNull(config, "config");
        this.vendors = Objects.requireNonNull(vendors, "vendors");
        this.data = ReferenceData.get();
        config.effectiveDepartements(data); // fail fast on an unknown code
    }

    /** The configuration. */
    public GeneratorConfig config() {
        return config;
    }

    /**
     * Number of GPs this configuration places per département (ameli {@code gp_excl_mep_count}
     * times the scale's factor), in generation order, without generating anything.
     */
    public Map<String, Integer> plannedGpCounts() {
        final Map<String, Integer> counts = new LinkedHashMap<>();
        for (final String code : config.effectiveDepartements(data)) {
            counts.put(code, config.scale().gpCount(data.departement(code).gpCount()));
        }
        return counts;
    }

    /** Writes the data set into {@code outDir} (created if needed) and returns what it wrote. */
    public GeneratedSummary generate(final Path outDir) throws IOException {
        Files.createDirectories(outDir);
        deleteStale(outDir.resolve(FEEDS_DIR));
        deleteStale(outDir.resolve(MANUAL_DIR));
        final List<String> codes = config.effectiveDepartements(data);
        final Counters counters = new Counters();

        // Pass 1: the directory, the structures its entries name (and one MMG per département, which
        // the PDSA second level proposes at night), and the GPs who may hold a PDSA shift.
        final Sites.Structures structures = new Sites.Structures();
        final List<Departement> deps = new ArrayList<>();
        final List<List<PdsaPlanner.Gp>> gpsByDep = new ArrayList<>();
        try (JsonGenerator g = JsonOutput.open(outDir.resolve(PRACTITIONERS_FILE))) {
            g.writeStartArray();
            final PractitionerFactory factory = newFactory();
            for (final String code : codes) {
                final Departement dep = data.departement(code);
                final List<PdsaPlanner.Gp> depGps = new ArrayList<>();
                deps.add(dep);
                gpsByDep.add(depGps);
                int gps = 0;
                for (final GeneratedPractitioner p : factory.departement(dep)) {
                    final ReferenceData.Commune second = Sites.secondSite(config.seed(), p, dep);
                    writePractitioner(g, p, second, second != null && Sites.secondSiteHasPosition(config.seed(), p),
                        structures.register(p));
                    if (second != null) {
                        counters.secondSites++;
                    }
                    final PdsaPlanner.Gp gp = PdsaPlanner.gpOf(p);
                    if (gp != null) {
                        depGps.add(gp);
                    }
                    counters.practitioner(p);
                    if (p.profession() == Profession.GP) {
                        gps++;
                    }
                }
                counters.gpsByDepartement.put(code, gps);
                structures.mmg(dep);
            }
            g.writeEndArray();
        }
        try (JsonGenerator g = JsonOutput.open(outDir.resolve(STRUCTURES_FILE))) {
            structures.write(g);
        }
        counters.structures = structures.size();

        // The PDSA layer: sectors grouping the communes of each département, the 48 h roster.
        PdsaPlanner.write(outDir, deps, gpsByDep, config.now());

        // Pass 2: the slots, from the same draws (a fresh factory replays the RPPS sequence).
        final String generatedAt = config.now().truncatedTo(ChronoUnit.SECONDS).toString();
        final List<Vendor> feedVendors = vendors.vendors();
        final Map<Vendor, FeedFile> feeds = new LinkedHashMap<>();
        try {
            for (final Vendor v : feedVendors) {
                feeds.put(v, new FeedFile(outDir, v, generatedAt));
            }
            final AgendaPlanner planner = new AgendaPlanner(config.now(), config.scale().wholeAgenda());
            final PractitionerFactory factory = newFactory();
            for (final String code : codes) {
                try (ManualFile manual = new ManualFile(outDir, code)) {
                    // Whether the practitioner being planned has a second site (set before each plan).
                    final boolean[] twoSites = new boolean[1];
                    final AgendaPlanner.Sink sink = new AgendaPlanner.Sink() {
                        @Override
                        public void vendorSlot(final GeneratedPractitioner p, final LocalDateTime start,
                                               final ZoneOffset startOffset, final LocalDateTime end,
                                               final ZoneOffset endOffset, final Modality modality,
                                               final Visibility visibility) throws IOException {
                            feeds.get(p.vendor()).write(p, start, startOffset, end, endOffset, modality, visibility,
                                twoSites[0] && Sites.atSecondSite(start));
                            counters.vendorSlot(modality, visibility);
                        }

                        @Override
                        public void manualSlot(final GeneratedPractitioner p, final LocalDateTime start,
                                               final ZoneOffset startOffset, final LocalDateTime end,
                                               final ZoneOffset endOffset, final int modalities) throws IOException {
                            manual.write(p, start, startOffset, end, endOffset, modalities,
                                twoSites[0] && Sites.atSecondSite(start));
                        }
                    };
                    final Departement dep = data.departement(code);
                    for (final GeneratedPractitioner p : factory.departement(dep)) {
                        twoSites[0] = Sites.secondSite(config.seed(), p, dep) != null;
                        planner.plan(p, sink);
                    }
                    counters.slotsByFile.put(manual.relativePath, manual.count);
                    counters.manualSlots += manual.count;
                }
            }
        } finally {
            IOException failure = null;
            for (final FeedFile f : feeds.values()) {
                try {
                    f.close();
                } catch (final IOException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
        for (final FeedFile f : feeds.values()) {
            counters.slotsByFile.put(f.relativePath, f.count);
        }
        return counters.summary(outDir);
    }

    /** The whole directory in memory, in generation order (for tests and small scales). */
    List<GeneratedPractitioner> practitioners() {
        final List<GeneratedPractitioner> all = new ArrayList<>();
        final PractitionerFactory factory = newFactory();
        for (final String code : config.effectiveDepartements(data)) {
            all.addAll(factory.departement(data.departement(code)));
        }
        return all;
    }

    private PractitionerFactory newFactory() {
        return new PractitionerFactory(config.seed(), config.scale(), data, vendors);
    }

    private static void writePractitioner(final JsonGenerator g, final GeneratedPractitioner p,
                                          final ReferenceData.Commune second, final boolean secondHasPosition,
                                          final String structure) throws IOException {
        g.writeStartObject();
        g.writeStringField("rpps", p.rpps());
        g.writeStringField("name", p.name());
        g.writeStringField("profession", p.profession().name());
        JsonOutput.writeDegrees(g, "lat", p.lat());
        JsonOutput.writeDegrees(g, "lon", p.lon());
        g.writeStringField("phone", p.phone());
        if (p.vendor() == null) {
            g.writeNullField("vendor");
        } else {
            g.writeStringField("vendor", p.vendor().displayName());
        }
        g.writeBooleanField("refusesVendorSlots", p.refusesVendorSlots());
        g.writeStringField("participation", p.participation().name());
        g.writeBooleanField("acceptsExtraPatients", p.acceptsExtraPatients());
        if (p.cpts() == null) {
            g.writeNullField("cpts");
        } else {
            g.writeObjectFieldStart("cpts");
            g.writeStringField("id", p.cpts().id());
            g.writeStringField("name", p.cpts().name());
            g.writeStringField("phone", p.cpts().phone());
            g.writeEndObject();
        }
        if (second != null) {
            Sites.writeSites(g, p, second, secondHasPosition);
        }
        if (structure != null) {
            g.writeStringField("structure", structure);
        }
        g.writeEndObject();
    }

    /** Deletes the {@code *.json} files directly in {@code dir}, if it exists. */
    private static void deleteStale(final Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, "*.json")) {
            for (final Path f : stale) {
                Files.delete(f);
            }
        }
    }

    /** {@code feeds/<code>.json}: header written on open, slots streamed, closed at the end. */
    private static final class FeedFile implements AutoCloseable {
        final String relativePath;
        final JsonGenerator g;
        final String idPrefix;
        long count;

        FeedFile(final Path outDir, final Vendor vendor, final String generatedAt) throws IOException {
            this.relativePath = FEEDS_DIR + '/' + vendor.code() + ".json";
            this.idPrefix = vendor.code() + '-';
            this.g = JsonOutput.open(outDir.resolve(FEEDS_DIR).resolve(vendor.code() + ".json"));
            g.writeStartObject();
            g.writeStringField("vendor", vendor.displayName());
            g.writeStringField("integration", vendor.integration().name());
            g.writeStringField("generatedAt", generatedAt);
            g.writeArrayFieldStart("slots");
        }

        void write(final GeneratedPractitioner p, final LocalDateTime start, final ZoneOffset startOffset,
                   final LocalDateTime end, final ZoneOffset endOffset, final Modality modality,
                   final Visibility visibility, final boolean secondSite) throws IOException {
            g.writeStartObject();
            g.writeStringField("id", idPrefix + (++count)); // unique per file by construction
            g.writeStringField("rpps", p.rpps());
            g.writeStringField("start", JsonOutput.isoOffset(start, startOffset));
            g.writeStringField("end", JsonOutput.isoOffset(end, endOffset));
            g.writeStringField("modality", modality.name());
            g.writeStringField("visibility", visibility.name());
            if (secondSite) {
                g.writeStringField("site", Sites.SECOND);
            }
            g.writeEndObject();
        }

        @Override
        public void close() throws IOException {
            try (JsonGenerator closing = g) {
                if (!closing.isClosed()) {
                    closing.writeEndArray();
                    closing.writeEndObject();
                }
            }
        }
    }

    /** {@code manual/sas-<dep>.json}: the SAS agenda entries of one département. */
    private static final class ManualFile implements AutoCloseable {
        private static final Modality[] MODALITIES = Modality.values();
        final String relativePath;
        final JsonGenerator g;
        final String idPrefix;
        long count;

        ManualFile(final Path outDir, final String dep) throws IOException {
            this.relativePath = MANUAL_DIR + "/sas-" + dep + ".json";
            this.idPrefix = "sas-" + dep + '-';
            this.g = JsonOutput.open(outDir.resolve(MANUAL_DIR).resolve("sas-" + dep + ".json"));
            g.writeStartObject();
            g.writeArrayFieldStart("slots");
        }

        void write(final GeneratedPractitioner p, final LocalDateTime start, final ZoneOffset startOffset,
                   final LocalDateTime end, final ZoneOffset endOffset, final int modalities, final boolean secondSite)
            throws IOException {
            g.writeStartObject();
            g.writeStringField("id", idPrefix + (++count));
            g.writeStringField("rpps", p.rpps());
            g.writeStringField("start", JsonOutput.isoOffset(start, startOffset));
            g.writeStringField("end", JsonOutput.isoOffset(end, endOffset));
            if (secondSite) {
                g.writeStringField("site", Sites.SECOND);
            }
            g.writeArrayFieldStart("modalities");
            for (final Modality m : MODALITIES) {
                if ((modalities & m.bit()) != 0) {
                    g.writeString(m.name());
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }

        @Override
        public void close() throws IOException {
            try (JsonGenerator closing = g) {
                closing.writeEndArray();
                closing.writeEndObject();
            }
        }
    }

    /** Running totals of one generation. Not thread-safe. */
    private static final class Counters {
        final Map<Profession, Integer> byProfession = new EnumMap<>(Profession.class);
        final Map<Participation, Integer> byParticipation = new EnumMap<>(Participation.class);
        final Map<String, Integer> gpsByDepartement = new LinkedHashMap<>();
        final Map<String, Long> slotsByFile = new LinkedHashMap<>();
        final long[] byVisibility = new long[Visibility.values().length];
        final long[] byModality = new long[Modality.values().length];
        int practitioners;
        int withoutVendor;
        int refusing;
        long manualSlots;
        int secondSites;
        int structures;

        void practitioner(final GeneratedPractitioner p) {
            practitioners++;
            byProfession.merge(p.profession(), 1, Integer::sum);
            byParticipation.merge(p.participation(), 1, Integer::sum);
            if (p.vendor() == null) {
                withoutVendor++;
            }
            if (p.refusesVendorSlots()) {
                refusing++;
            }
        }

        void vendorSlot(final Modality modality, final Visibility visibility) {
            byVisibility[visibility.ordinal()]++;
            byModality[modality.ordinal()]++;
        }

        GeneratedSummary summary(final Path outDir) throws IOException {
            final Map<Visibility, Long> vis = new EnumMap<>(Visibility.class);
            for (final Visibility v : Visibility.values()) {
                vis.put(v, byVisibility[v.ordinal()]);
            }
            final Map<Modality, Long> mod = new EnumMap<>(Modality.class);
            for (final Modality m : Modality.values()) {
                mod.put(m, byModality[m.ordinal()]);
            }
            long bytes = Files.size(outDir.resolve(PRACTITIONERS_FILE)) + Files.size(outDir.resolve(STRUCTURES_FILE));
            for (final String f : slotsByFile.keySet()) {
                bytes += Files.size(outDir.resolve(f));
            }
            return new GeneratedSummary(practitioners, byProfession, byParticipation, gpsByDepartement, withoutVendor,
                refusing, slotsByFile, vis, mod, manualSlots, bytes, secondSites, structures);
        }
    }

    /**
     * Command line: {@code <tiny|departement|france|stress> <outDir> [--seed=N] [--now=ISO-instant]
     * [--departements=75,48]}. The default {@code now} is the current minute.
     */
    public static void main(final String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: DataGenerator <tiny|departement|france|stress> <outDir>"
                + " [--seed=N] [--now=2025-03-29T08:00:00Z] [--departements=75,48]");
            System.exit(2);
        }
        long seed = 1;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<String> deps = List.of();
        for (final String arg : Arrays.copyOfRange(args, 2, args.length)) {
            if (arg.startsWith("--seed=")) {
                seed = Long.parseLong(arg.substring("--seed=".length()));
            } else if (arg.startsWith("--now=")) {
                now = Instant.parse(arg.substring("--now=".length()));
            } else if (arg.startsWith("--departements=")) {
                deps = Arrays.asList(arg.substring("--departements=".length()).split(","));
            } else {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        final GeneratorConfig config = new GeneratorConfig(seed, Scale.parse(args[0]), now, deps);
        final long t0 = System.nanoTime();
        final GeneratedSummary summary = new DataGenerator(config).generate(Path.of(args[1]));
        final long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.print(summary.describe());
        System.out.println("scale " + config.scale() + ", seed " + seed + ", now " + now + ": " + millis + " ms");
    }
}
