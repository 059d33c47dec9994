package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.index.SlotDescriptor;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;

/**
 * Real threads racing for the same and for overlapping slots, round after round, with the journal
 * on a real file: every slot is booked exactly once per round, every refusal is typed, the
 * counters add up, and a search run right after a hold never proposes the held slot.
 */
class BookingContentionTest {
    private static final int THREADS = 8;
    private static final int SLOTS = 6;

    @TempDir
    Path dir;

    /** What one thread saw. */
    private static final class Tally {
        long holds;
        long retried;
        long confirms;
        long repeated;
        long releases;
        final Map<Refusal, Long> refusals = new EnumMap<>(Refusal.class);

        void refused(final Refusal r) {
            refusals.merge(r, 1L, Long::sum);
        }
    }

    @ParameterizedTest(name = "{0}, {1} rounds")
    @CsvSource({"NONE, 2000", "GROUP, 150"})
    void racingOperatorsNeverBookASlotTwiceAndEveryRefusalIsTypedAndCounted(final FsyncPolicy fsync, final int rounds)
        throws Exception {
        final World w = new World(dir);
        final List<SlotId> slots = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            // Half end to end (through the gateway), half by phone; one slot per practitioner.
            final String vendor = i % 2 == 0 ? "Doctolib" : "Maiia";
            slots.add(w.slot(vendor, w.gp("DOC" + (char) ('A' + i), vendor), 60 + 30 * i));
        }
        final SteppedClock clock = new SteppedClock(World.NOW);
        final Path journal = dir.resolve("journal");
        final Creneau c = w.start(World.builder(clock).journal(journal).fsync(fsync)
            .bookingGateway(new RecordingBookingGateway()));

        final Map<SlotId, HoldToken> winners = new ConcurrentHashMap<>();
        final Queue<String> violations = new ConcurrentLinkedQueue<>();
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final CyclicBarrier start = new CyclicBarrier(THREADS);
        final CyclicBarrier mid = new CyclicBarrier(THREADS);
        final CyclicBarrier end = new CyclicBarrier(THREADS, () -> {
            // Every slot was tried by at least two threads and nothing was booked before the round.
            if (winners.size() != SLOTS) {
                violations.add("round ended with " + winners.size() + " of " + SLOTS + " slots booked");
            }
            for (final SlotId s : slots) {
                final int r = c.index().findSlot(c.directory().indexOf(s.rpps()), s.sourceId(c.vendors()), s.startMinute());
                if (SlotDescriptor.state(c.index().stateWord(r)) != SlotDescriptor.STATE_FREE) {
                    violations.add(s + " not free after its release");
                }
            }
            winners.clear();
        });
        final Tally[] tallies = new Tally[THREADS];
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            final int id = t;
            final Tally tally = tallies[t] = new Tally();
            threads.add(new Thread(() -> {
                final Operator me = World.operator("osnp-" + id);
                final Probe probe = new Probe();
                final List<HoldToken> mine = new ArrayList<>();
                try {
                    for (int round = 0; round < rounds; round++) {
                        // Overlapping pairs: thread t wants slots t and t+1 (mod 6), in a random order.
                        final boolean flip = ThreadLocalRandom.current().nextBoolean();
                        final SlotId first = slots.get((id + (flip ? 1 : 0)) % SLOTS);
                        final SlotId second = slots.get((id + (flip ? 0 : 1)) % SLOTS);
                        start.await();
                        for (final SlotId slot : List.of(first, second)) {
                            final HoldResult h = c.bookings().hold(slot, me);
                            if (!h.isHeld()) {
                                if (h.refusal() != Refusal.ALREADY_HELD && h.refusal() != Refusal.ALREADY_BOOKED) {
                                    violations.add("unexpected refusal " + h.refusal());
                                }
                                tally.refused(h.refusal());
                                continue;
                            }
                            tally.holds++;
                            if (probe.proposes(c, slot)) {
                                violations.add(slot + " proposed by a search after it was held");
                            }
                            final HoldResult again = c.bookings().hold(slot, me);
                            if (!again.retried() || !h.token().equals(again.token())) {
                                violations.add("retried hold did not return the same token");
                            }
                            tally.retried++;
                            final ConfirmResult done = c.bookings().confirm(h.token());
                            if (!done.isBooked()) {
                                violations.add("confirm of a fresh hold refused: " + done.refusal());
                                continue;
                            }
                            tally.confirms++;
                            if (!c.bookings().confirm(h.token()).repeated()) {
                                violations.add("second confirm was not a repeat");
                            }
                            tally.repeated++;
                            if (winners.putIfAbsent(slot, h.token()) != null) {
                                violations.add(slot + " booked twice in one round");
                            }
                            mine.add(h.token());
                        }
                        mid.await();
                        for (final HoldToken token : mine) {
                            if (!c.bookings().release(token).cancelled()) {
                                violations.add("release of a booking did not cancel it");
                            }
                            tally.releases++;
                        }
                        mine.clear();
                        end.await();
                    }
                } catch (final Throwable e) {
                    failures.add(e);
                    start.reset();
                    mid.reset();
                    end.reset();
                }
            }, "osnp-" + id));
        }
        // A reader searching all along: it never waits for the bookers.
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicLong searches = new AtomicLong();
        final Thread reader = new Thread(() -> {
            final Probe probe = new Probe();
            while (!done.get()) {
                probe.proposes(c, slots.get(0));
                searches.incrementAndGet();
            }
        }, "reader");
        reader.start();
        threads.forEach(Thread::start);
        for (final Thread t : threads) {
            t.join();
        }
        done.set(true);
        reader.join();

        assertThat(failures).isEmpty();
        assertThat(violations).isEmpty();
        assertThat(searches.get()).isPositive();

        final Tally sum = new Tally();
        for (final Tally t : tallies) {
            sum.holds += t.holds;
            sum.retried += t.retried;
            sum.confirms += t.confirms;
            sum.repeated += t.repeated;
            sum.releases += t.releases;
            t.refusals.forEach((k, v) -> sum.refusals.merge(k, v, Long::sum));
        }
        final BookingStats s = c.bookings().stats();
        final long bookings = (long) rounds * SLOTS;
        assertThat(sum.confirms).isEqualTo(bookings);
        assertThat(s.holds()).isEqualTo(sum.holds).isEqualTo(bookings);
        assertThat(s.retriedHolds()).isEqualTo(sum.retried);
        assertThat(s.confirms()).isEqualTo(sum.confirms);
        assertThat(s.repeatedConfirms()).isEqualTo(sum.repeated);
        assertThat(s.releases()).isEqualTo(sum.releases).isEqualTo(bookings);
        assertThat(s.cancellations()).isEqualTo(bookings);
        final long attempts = (long) rounds * THREADS * 2;
        assertThat(sum.holds + sum.refusals.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(attempts);
        for (final Refusal r : Refusal.values()) {
            assertThat(s.refusals().get(r)).as(r.name()).isEqualTo(sum.refusals.getOrDefault(r, 0L));
        }
        assertThat(s.standingHolds()).isZero();
        assertThat(s.standingBookings()).isZero();
        // Hold, confirm, release each; online ones (half) also journal CONFIRMING and CANCELLING
        // before their vendor calls.
        final long records = 3 * bookings + 2 * (bookings / 2);
        assertThat(s.journalAppends()).isEqualTo(records);
        System.out.printf("%s: %d rounds, %d appends, %d forces (%.2f appends per force), %d concurrent searches%n",
            fsync, rounds, s.journalAppends(), s.journalForces(),
            s.journalForces() == 0 ? 0.0 : (double) s.journalAppends() / s.journalForces(), searches.get());
        c.close();

        // The journal tells the same story: per slot, bookings and cancellations alternate.
        final Map<HoldToken, SlotId> slotOf = new HashMap<>();
        final Map<SlotId, HoldToken> standing = new HashMap<>();
        for (final BookingRecord r : Journal.readAll(journal.resolve(Journal.FILE))) {
            if (r instanceof BookingRecord.Hold) {
                slotOf.put(r.token(), ((BookingRecord.Hold) r).facts().slot());
            } else if (r instanceof BookingRecord.Confirm) {
                assertThat(standing.put(slotOf.get(r.token()), r.token())).as("booked while booked").isNull();
            } else if (r instanceof BookingRecord.Confirming) {
                assertThat(standing).as("confirming a booked slot").doesNotContainKey(slotOf.get(r.token()));
            } else if (r instanceof BookingRecord.Cancelling) {
                assertThat(standing.get(slotOf.get(r.token()))).as("cancelling what is not booked").isEqualTo(r.token());
            } else {
                assertThat(standing.remove(slotOf.get(r.token()), r.token())).isTrue();
            }
        }
        assertThat(standing).isEmpty();
        try (Creneau again = w.start(World.builder(clock).journal(journal))) {
            assertThat(again.bookings().replayReport().records()).isEqualTo(records);
            assertThat(again.bookings().replayReport().standingBookings()).isZero();
        }
    }
}
