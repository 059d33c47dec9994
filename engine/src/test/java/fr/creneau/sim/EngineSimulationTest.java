package fr.creneau.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deterministic simulation of the whole engine: one seeded run drives simulated days through the
 * real {@link fr.creneau.Creneau} and checks it, after every step, against a plain model.
 *
 * <p><b>What it drives.</b> A {@link fr.creneau.index.SteppedClock} moved 5 to 45 minutes a step
 * through three periods of {@code days / 3} each: from 2026-10-24 over the autumn change of
 * Europe/Paris (25 October), from 2026-11-10 over the 11 November public holiday, from
 * 2027-03-27 over the spring change (28 March); the engine jumps weeks forward between them. 66
 * practitioners (GPs and nurses in Paris, Lyon and Lozère) and what three vendors list for them:
 * native snapshots from Doctolib (END_TO_END) and Maiia (AGGREGATION_ONLY), FHIR R4 Bundles from
 * Keldoc (END_TO_END), written as real files with slots taken elsewhere, new openings, modality and
 * visibility changes, slots no rule lets through (PATIENTELE, CPTS-only, busy, an offset Paris
 * does not have) and older snapshots arriving late; manual-slot files; {@code practitioners.json}
 * reloads with movers (in and across cells and cities), leavers, returners (in place or elsewhere)
 * and practitioners refusing vendor display. Booking operations run in batches on 8 real threads
 * released at once: several operators racing for one slot, the holder asking again, holds of
 * taken and gone slots, two confirms of one token at once with a hold racing them, confirms of
 * expired holds, releases of holds and bookings, repeated releases, a sweep
 * ({@code expireHolds}) and a vendor snapshot (changing that vendor's other slots) beside them; holds of 2 to 60 minutes expire by the sweep of
 * {@code Creneau.advance()} each step, or lazily when the timer is late. The end-to-end vendors
 * go down now and then (the gateway times out): confirmations and cancellations are then in
 * doubt (never expired, not releasable) until a sweep or a start finds the vendor back. Restarts close the engine
 * and build a new one on the same journal, and once per period (and about every three days) a phase runs in a child JVM
 * ({@link Child}) that is halted with {@code Runtime.halt} while an operation is in flight.
 *
 * <p><b>What it checks, after every step.</b> Every record of the index (a cursor over every cell
 * and live hour) is the model's: no slot twice, none missing, none the model has gone, each with
 * the model's state (free, held, booked, unlisted) and attributes, and a free one in its
 * practitioner's current cell; {@code stats().liveSlots()} equals that recount. The real search
 * finds, for every practitioner as médecin traitant and every modality, the earliest free visible
 * slot of the model; a search around two random patients returns exactly the practitioners in
 * reach with a free slot, each with their earliest. No slot is given twice (exactly one winner of
 * a race), every acknowledged booking is in {@code bookings()} and nothing else is, and the booking
 * stats count the model's holds and bookings. The index's pages stay bounded (pages of past hours
 * reused). Every ingest accepts the number of slots the SAS rules keep in the model.
 *
 * <p><b>What replays from a seed.</b> The seed ({@code SIM seed=...} on stdout; set it with
 * {@code -Dcreneau.sim.seed=}, the length with {@code -Dcreneau.sim.days=}) fixes every step: the
 * clock, every file's content, every directory change, every batch of operations, restarts and
 * kills, the patients searched and every check. What it does not fix: the interleaving of the
 * threads of a batch (so which racing operator wins), the hold tokens (a {@code SecureRandom}),
 * and how far the operation in flight got before the kill. The model accepts every linearization,
 * and no choice of the driver depends on them (a race's winner is "the holder"; the operation in
 * flight at a kill is undone after the restart, once checked), so a seed replays the same steps
 * and the same checks.
 */
@Timeout(1200) // a guard against a hang; the CI run takes well under a minute
class EngineSimulationTest {
    @TempDir
    Path dir;

    @Test
    void daysOfSimulatedTimeAgreeWithThePlainModel() {
        final long seed = Long.getLong("creneau.sim.seed", System.nanoTime());
        final double days = Double.parseDouble(System.getProperty("creneau.sim.days", "4.5"));
        System.out.println("SIM seed=" + seed + " days=" + days);
        final long t0 = System.nanoTime();
        try (Simulation sim = new Simulation(seed, days, dir, Child.JVM)) {
            sim.run();
            System.out.printf("SIM seed=%d passed in %.1f s: %s%n", seed, (System.nanoTime() - t0) / 1e9, sim.summary());
            assertThat(sim.counts.get("kills")).as("a real child-JVM kill per period").isGreaterThanOrEqualTo(3);
            assertThat(sim.reusedSeen()).as("pages of past hours waited for reuse").isPositive();
        }
    }
}
