package fr.creneau.rank;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.feed.Modality;

/**
 * The query path allocates nothing in steady state: 100,000 queries over warmed patient cells,
 * measured with the JVM's per-thread allocation counter (HotSpot's
 * {@code com.sun.management.ThreadMXBean}), not with a clock.
 */
class SearchAllocationTest {
    private static final int QUERIES = 100_000;

    @TempDir
    Path dir;

    @Test
    void steadyStateQueriesAllocateNothing() {
        final SplittableRandom random = new SplittableRandom(42);
        final Scenario s = new Scenario(dir);
        final long[] rpps = new long[600];
        final String[] vendors = {"Doctolib", "Keldoc", "Maiia", null};
        final String[] modalities = {"OFFICE", "OFFICE", "TELECONSULTATION", "HOME_VISIT"};
        for (int i = 0; i < rpps.length; i++) {
            // Paris and its suburbs, and a rural band: both the busy and the "nothing free" paths.
            final boolean rural = i % 10 == 0;
            final double lat = rural ? 44.3 + random.nextDouble() * 0.5 : 48.75 + random.nextDouble() * 0.2;
            final double lon = rural ? 3.2 + random.nextDouble() * 0.6 : 2.2 + random.nextDouble() * 0.3;
            final String vendor = vendors[i % vendors.length];
            rpps[i] = s.practitioner("p" + i, i % 7 == 0 ? "NURSE" : "GP", lat, lon, vendor, i % 3 == 0,
                i % 5 == 0 ? "cpts-" + (i % 4) : null);
            if (rural) {
                continue; // nothing free in the countryside
            }
            for (int k = 0; k < 10; k++) {
                final int minutes = 30 + 60 * k + random.nextInt(30);
                if (vendor == null) {
                    s.manualSlot(rpps[i], minutes);
                } else {
                    s.slot(vendor, rpps[i], minutes, modalities[k % modalities.length]);
                }
            }
        }
        final Creneau creneau = s.load();
        // Cases with refusals (issue 17): a search for a case adds its exclusions on the query path.
        final fr.creneau.booking.Operator anne = new fr.creneau.booking.Operator("anne", "RICART", "Anne", "a@x.fr");
        for (int c = 0; c < CASES.length; c++) {
            creneau.bookings().outcome(CASES[c], fr.creneau.outcome.RowRef.rpps(rpps[c * 13]),
                fr.creneau.outcome.Outcome.DECLINED, anne);
            creneau.bookings().outcome(CASES[c], fr.creneau.outcome.RowRef.structure("cpts-" + (c % 4)),
                fr.creneau.outcome.Outcome.PATIENT_REFUSED, anne);
        }
        final RegulatorQuery query = new RegulatorQuery();
        final SearchResults results = new SearchResults();
        final double[][] patients = new double[64][];
        for (int i = 0; i < patients.length; i++) {
            patients[i] = i % 8 == 0
                ? new double[] {44.3 + random.nextDouble() * 0.5, 3.2 + random.nextDouble() * 0.6}
                : new double[] {48.75 + random.nextDouble() * 0.2, 2.2 + random.nextDouble() * 0.3};
        }
        final Instant now = Scenario.NOW;
        final Modality[] asked = Modality.values();
        int rows = 0;
        // Warm-up: every patient cell's ring table, every path (MT, exclusions, cases, each modality), and the JIT.
        // 60,000: after other tests in the same JVM (the brute force, the baselines' equivalence)
        // left some branch profiles one-sided, the JIT still recompiled the searcher in the first
        // few thousand queries after a 20,000-query warm-up, and each recompilation's switch
        // cost the thread about 1 KB once (seen in 2 runs of 3; never after 60,000).
        for (int i = 0; i < 60_000; i++) {
            rows += query(creneau, query, results, patients, rpps, now, asked, i);
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        // The counter's first calls allocate (its own JIT warm-up, a few hundred bytes that vary
        // with the machine's load): warm it like the queries, so that what is left is theirs.
        long counter = 0;
        for (int i = 0; i < 10_000; i++) {
            counter += threads.getThreadAllocatedBytes(thread);
        }
        assertThat(counter).isPositive();
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < QUERIES; i++) {
            rows += query(creneau, query, results, patients, rpps, now, asked, i);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(rows).isGreaterThan(QUERIES); // the queries found things
        // Zero per query; a few hundred bytes of slack for the measurement itself.
        assertThat(allocated).as("bytes allocated by %d queries", QUERIES).isLessThan(1024);
    }

    private static int query(final Creneau creneau, final RegulatorQuery query, final SearchResults results,
                             final double[][] patients, final long[] rpps, final Instant now, final Modality[] modalities,
                             final int i) {
        final double[] patient = patients[i % patients.length];
        query.reset().patient(patient[0], patient[1]).now(now).modality(modalities[i % modalities.length]);
        if (i % 3 == 0) {
            query.medecinTraitant(rpps[i % rpps.length]);
        }
        if (i % 5 == 0) {
            query.exclude(rpps[(i * 7) % rpps.length]).exclude(rpps[(i * 11) % rpps.length]);
        }
        if (i % 4 == 0) {
            query.windowMinutes(240);
        }
        return i % 6 == 0 ? creneau.search(query, CASES[i % CASES.length], results) : creneau.search(query, results);
    }

    private static final String[] CASES = {"case-a", "case-b", "case-c", "case-d", "case-e"};
}
