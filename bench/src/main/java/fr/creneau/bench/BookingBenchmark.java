package fr.creneau.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import fr.creneau.Creneau;
import fr.creneau.booking.BookingGateway;
import fr.creneau.booking.ConfirmResult;
import fr.creneau.booking.FsyncPolicy;
import fr.creneau.booking.HoldResult;
import fr.creneau.booking.Operator;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.examples.data.DataGenerator;
import fr.creneau.examples.data.GeneratorConfig;
import fr.creneau.examples.data.Scale;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.ResultKind;
import fr.creneau.rank.SearchResults;
import fr.creneau.slot.SlotId;

/**
 * Booking cost: one hold + confirm + release (three journal records, or three PostgreSQL
 * transactions) on a slot, uncontended and with two threads racing for the same slots, for each
 * journal policy and for the PostgreSQL store ({@code -p journal=POSTGRES}; {@code -t N} for N
 * clerks, {@code -p url=...} for two processes on one server: {@code bench/store.sh}). The slots come from the
 * {@code tiny} generated data set; releasing a booking frees its slot, so the cycle can run for
 * as long as JMH wants. End-to-end vendors answer through an in-process gateway that accepts at
 * once: what is measured is Créneau, not a vendor.
 *
 * <pre>
 * mvn -B -q -pl bench -am -Dmaven.test.skip=true package
 * java -jar bench/target/benchmarks.jar BookingBenchmark -prof gc
 * </pre>
 * Results depend on the disk for {@code ALWAYS} and {@code GROUP}: each acknowledged record is
 * forced ({@code fdatasync}) before the call returns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class BookingBenchmark {
    private static final Instant NOW = Instant.parse("2026-11-23T07:00:00Z"); // a Monday, 08:00 in Paris

    /**
     * MEMORY: no journal at all; NONE, GROUP, ALWAYS: a journal with that fsync policy; POSTGRES:
     * the PostgreSQL store ({@link #url}), through the same BookingService.
     */
    @Param({"MEMORY", "NONE", "GROUP", "ALWAYS"})
    public String journal;

    /** POSTGRES only: a JDBC URL to share one server between processes; empty: start one for this trial. */
    @Param({""})
    public String url;

    private fr.creneau.store.postgres.LocalPostgres server;
    /** Clerks numbered as they come, so that each thread starts its walk elsewhere. */
    private static final AtomicInteger CLERKS = new AtomicInteger();

    private Path dir;
    private Creneau creneau;
    private SlotId[] slots;
    private final AtomicInteger shared = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("creneau-booking-bench");
        final Path data = dir.resolve("data");
        new DataGenerator(GeneratorConfig.of(11, Scale.TINY, NOW)).generate(data);
        final Creneau.Builder builder = Creneau.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).expiryTimer(false)
            .bookingGateway(new AcceptingGateway());
        if ("POSTGRES".equals(journal)) {
            String jdbc = url;
            if (jdbc.isEmpty()) {
                server = fr.creneau.store.postgres.LocalPostgres.start("bench-booking");
                jdbc = server.jdbcUrl();
            }
            // The data set's fixed instant is the store's clock too (the database's would make its slots past).
            builder.bookingStore(fr.creneau.store.postgres.PostgresBookingStore.opener(
                new fr.creneau.store.postgres.PostgresClaimStore.Config(jdbc, "bench-" + ProcessHandle.current().pid(),
                    32, java.time.Duration.ofSeconds(5), Clock.fixed(NOW, ZoneOffset.UTC)),
                java.time.Duration.ofDays(1)));
        } else if (!"MEMORY".equals(journal)) {
            builder.journal(dir.resolve("journal")).fsync(FsyncPolicy.valueOf(journal));
        }
        creneau = builder.build();
        creneau.loadDirectory(data.resolve(DataGenerator.PRACTITIONERS_FILE));
        for (final Path feed : jsonFiles(data.resolve(DataGenerator.FEEDS_DIR))) {
            creneau.ingestVendorFeed(feed);
        }
        for (final Path manual : jsonFiles(data.resolve(DataGenerator.MANUAL_DIR))) {
            creneau.ingestManual(manual);
        }
        slots = freeSlots();
        if (slots.length < 100) {
            throw new IllegalStateException("too few free slots to cycle over: " + slots.length);
        }
    }

    /**
     * One free slot per practitioner who has one (their earliest, as the MT row of a search at
     * their own place shows it), as public ids: the host API's way to list slots.
     */
    private SlotId[] freeSlots() {
        final Directory directory = creneau.directory();
        final RegulatorQuery query = new RegulatorQuery();
        final SearchResults results = new SearchResults();
        final List<SlotId> ids = new ArrayList<>();
        for (int p = 0; p < directory.capacity(); p++) {
            final Practitioner practitioner = directory.get(p);
            if (practitioner == null) {
                continue;
            }
            query.reset().patient(practitioner.lat(), practitioner.lon()).now(NOW)
                .profession(practitioner.profession()).medecinTraitant(practitioner.rpps()).limit(1);
            if (creneau.search(query, results) > 0 && results.kind(0) == ResultKind.MEDECIN_TRAITANT
                && results.hasSlot(0)) {
                ids.add(results.slotId(0, creneau.vendors()));
            }
        }
        return ids.toArray(new SlotId[0]);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        creneau.close();
        if (server != null) {
            server.close();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Each thread's own walk over the slots and its own operator. */
    @State(Scope.Thread)
    public static class Clerk {
        final Operator operator = new Operator("osnp-" + Thread.currentThread().getId(), "Bench", "Osnp",
            "osnp@example.org");
        /** Threads (JMH's -t) and processes start their walks apart, so that they rarely meet. */
        int next = 97 * CLERKS.getAndIncrement() + 389 * (int) (ProcessHandle.current().pid() % 64);
    }

    /** Hold, confirm, release: uncontended (one thread). */
    @Benchmark
    @Threads(1)
    public Object holdConfirmRelease(final Clerk clerk) {
        return cycle(slots[clerk.next++ % slots.length], clerk.operator);
    }

    /**
     * Two threads on the same slots, one slot at a time: each slot is held by one and refused
     * (ALREADY_HELD or ALREADY_BOOKED) to the other, or taken in turn.
     */
    @Benchmark
    @Threads(2)
    public Object contended(final Clerk clerk) {
        return cycle(slots[(shared.getAndIncrement() >>> 1) % slots.length], clerk.operator);
    }

    private Object cycle(final SlotId slot, final Operator operator) {
        final HoldResult hold = creneau.bookings().hold(slot, operator);
        if (!hold.isHeld()) {
            return hold.refusal();
        }
        final ConfirmResult confirmed = creneau.bookings().confirm(hold.token());
        return creneau.bookings().release(hold.token()) == null ? confirmed : confirmed.booking();
    }

    private static List<Path> jsonFiles(final Path dir) throws IOException {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
            s.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    /** An end-to-end vendor that accepts at once, in process. */
    static final class AcceptingGateway implements BookingGateway {
        private final AtomicInteger references = new AtomicInteger();

        @Override
        public Response book(final Request request) {
            return Response.accepted("B" + references.incrementAndGet());
        }

        @Override
        public Response cancel(final Request request, final String vendorReference) {
            return Response.accepted(vendorReference);
        }
    }
}
