package fr.creneau.bench;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

import fr.creneau.slot.SlotId;
import fr.creneau.store.postgres.LocalPostgres;
import fr.creneau.store.postgres.PostgresClaimStore;
import fr.creneau.store.postgres.PostgresClaimStore.Message;

/**
 * Hold + confirm against the PostgreSQL store: two transactions (the hold with its audit line, the
 * booking with its outbox message and audit line), each a round trip to a real server on
 * loopback, on a fresh slot every time (as operators book different slots). Threads with JMH's
 * {@code -t}; two processes by running two of these at once against one server
 * ({@code -p url=jdbc:postgresql://...}); {@code bench/store.sh} does all of it beside the
 * journal's {@code BookingBenchmark}.
 *
 * <pre>
 * mvn -B -q -pl bench -am -Dmaven.test.skip=true package
 * java -jar bench/target/benchmarks.jar PostgresStoreBenchmark -t 4
 * </pre>
 * Without {@code -p url=...} the trial starts its own PostgreSQL (the machine's binaries, as the
 * tests do) with {@code fsync=off}: the figures are Créneau's and the wire's, not the disk's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
public class PostgresStoreBenchmark {
    /** A JDBC URL to share one server between processes; empty: start one for this trial. */
    @Param({""})
    public String url;

    private LocalPostgres server;
    private PostgresClaimStore store;
    /** Fresh start minutes for this process; the pid keeps two processes' slots apart. */
    private final AtomicInteger next = new AtomicInteger();
    private long rpps;

    @Setup(Level.Trial)
    public void setUp() {
        String jdbc = url;
        if (jdbc.isEmpty()) {
            server = LocalPostgres.start("bench");
            jdbc = server.jdbcUrl();
        }
        store = PostgresClaimStore.open(new PostgresClaimStore.Config(jdbc, "bench-" + ProcessHandle.current().pid(),
            32, Duration.ofSeconds(5), null));
        rpps = 10_000_000_000L + ProcessHandle.current().pid();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
        if (server != null) {
            server.close();
        }
    }

    @Benchmark
    public Object holdConfirm() {
        final SlotId slot = new SlotId("doctolib", rpps, 3_000_000 + next.getAndIncrement());
        final UUID token = UUID.randomUUID();
        final PostgresClaimStore.Answer held = store.hold(token, slot, "osnp-bench", "case-bench",
            Duration.ofMinutes(5), List.of(), new PostgresClaimStore.AuditEvent("HOLD", "case-bench", "osnp-bench",
                "SLOT", rpps, null, null));
        if (!held.done()) {
            throw new IllegalStateException("hold refused: " + held.outcome());
        }
        final PostgresClaimStore.Answer booked = store.completeConfirm(token, "REF",
            List.of(new Message("bench_" + token, "CreateAppointment", "{}")),
            new PostgresClaimStore.AuditEvent("CONFIRM", "case-bench", "osnp-bench", "SLOT", rpps, null, null));
        if (!booked.done()) {
            throw new IllegalStateException("confirm refused: " + booked.outcome());
        }
        return booked;
    }
}
