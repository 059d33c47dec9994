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
import org.openjdk.jmh.annotations.Warmup;

import fr.creneau.index.CellTable;
import fr.creneau.index.H3;

/**
 * What finding the patient's h3 cell costs, the call the search no longer makes on its path (its
 * ring tables are keyed by a latitude-longitude square instead, see {@code RingTable}): h3-java's
 * {@code latLngToCell} at the index's resolution over the 4,096 patients of a {@link Place}, as
 * the query benchmark draws them. No data set is needed.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar PatientCellBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PatientCellBenchmark {
    @Param({"PARIS", "RURAL"})
    public Place place;
    private final double[] lat = new double[RegulatorQueryBenchmark.QUERIES];
    private final double[] lon = new double[RegulatorQueryBenchmark.QUERIES];
    private int next;

    @Setup(Level.Trial)
    public void draw() {
        final Place.Sampler patients = place.sampler(Set.of(), DataSet.DEFAULT_SEED);
        for (int i = 0; i < lat.length; i++) {
            final double[] at = patients.next();
            lat[i] = at[0];
            lon[i] = at[1];
        }
    }

    @Benchmark
    public long latLngToCell() {
        final int i = next++ & RegulatorQueryBenchmark.MASK;
        return H3.CORE.latLngToCell(lat[i], lon[i], CellTable.RESOLUTION);
    }
}
