package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.directory.Directory;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.DirectoryLoader;
import fr.creneau.feed.IngestConfig;
import fr.creneau.feed.Ingestor;
import fr.creneau.feed.NativeFeedParser;
import fr.creneau.feed.ParsedFeed;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SlotIndex;
import fr.creneau.index.SteppedClock;
import fr.creneau.rank.BookingMethod;

/**
 * Fault injection at every position of a scripted run. The script (two sessions on one journal:
 * holds, ONLINE and PHONE confirmations, releases of a hold, of a PHONE booking and of an ONLINE
 * booking, an expiry, a compaction, appends after it) runs once clean through {@link FaultyIo} to
 * count its writes and forces; then once for every position N, under ALWAYS and GROUP, with the
 * N-th write failing (ENOSPC after half its bytes; EIO after all of them, the worst case for the
 * cut-back: a whole, valid record the caller is told failed) and, separately, the N-th force
 * failing (ENOSPC, EIO). The counts include the journal's creation, its lock, the compaction's
 * file and the directory forces.
 *
 * <p>After each run the journal is opened again by a new {@link BookingService} over real files
 * and a fresh index, and must: open; hold every operation that was acknowledged (a booking with
 * its token and vendor reference, a hold with its token); book nothing that was not acknowledged;
 * leave in doubt exactly the confirmations and cancellations that reached the vendor without a
 * recorded answer (and finish them with the same key); and the failure must have been reported,
 * to the caller as an exception naming the cause and to the journal failure listener and the
 * stats. Every failing position is collected and listed, not only the first.
 */
class JournalFaultMatrixTest {
    private static final Operator ANNE = World.operator("anne");
    private static final Operator BRUNO = World.operator("bruno");
    private static final Operator CLAIRE = World.operator("claire");

    @TempDir
    static Path shared;

    private static World world;
    /** A, C, D, E: Doctolib (ONLINE); B, F: Maiia (aggregation only, PHONE). */
    private static SlotId a, b, c, d, e, f;
    private static Directory directory;
    private static ParsedFeed doctolib;
    private static ParsedFeed maiia;

    @BeforeAll
    static void world() {
        world = new World(shared.resolve("data"));
        a = world.slot("Doctolib", world.gp("ARNAUD", "Doctolib"), 60);
        c = world.slot("Doctolib", world.gp("CARON", "Doctolib"), 60);
        d = world.slot("Doctolib", world.gp("DUVAL", "Doctolib"), 60);
        e = world.slot("Doctolib", world.gp("EVRARD", "Doctolib"), 60);
        b = world.slot("Maiia", world.gp("BLANC", "Maiia"), 60);
        f = world.slot("Maiia", world.gp("FAURE", "Maiia"), 60);
        try (Creneau written = world.start(World.builder(new SteppedClock(World.NOW)))) {
            assertThat(written.stats().liveSlots()).isEqualTo(6); // the files are written and sound
        }
        final VendorRegistry vendors = VendorRegistry.defaults();
        directory = new DirectoryLoader(vendors).load(world.dir.resolve("practitioners.json"),
            Directory.builder().build()).directory();
        doctolib = new NativeFeedParser().parseVendorFeed(world.dir.resolve("doctolib.json"));
        maiia = new NativeFeedParser().parseVendorFeed(world.dir.resolve("maiia.json"));
    }

    /** A fresh index with the world's slots, as a restarted process builds from the feeds. */
    private static SlotIndex index(final SteppedClock clock) {
        final Directory empty = Directory.builder().build();
        final SlotIndex index = new SlotIndex(empty, clock);
        final Ingestor ingestor = new Ingestor(empty, VendorRegistry.defaults(), IngestConfig.DEFAULTS, clock, index);
        index.updateDirectory(directory);
        ingestor.updateDirectory(directory);
        ingestor.applyVendorSnapshot(doctolib);
        ingestor.applyVendorSnapshot(maiia);
        return index;
    }

    enum Kind { WRITE, FORCE }

    @Test
    void everyWriteAndEveryForceOfTheScriptFailingLosesNothingAcknowledgedAndBooksNothingElse() throws IOException {
        final List<String> findings = new ArrayList<>();
        int runs = 0;
        for (final FsyncPolicy policy : List.of(FsyncPolicy.ALWAYS, FsyncPolicy.GROUP)) {
            final Run clean = new Run(policy, Files.createTempDirectory(shared, "clean"), new FaultyIo());
            clean.script();
            assertThat(clean.thrown).as("the clean run (%s) fails nowhere", policy).isEmpty();
            assertThat(clean.compactions).as("the script compacts once (%s)", policy).isEqualTo(1);
            clean.verify();
            final int writes = clean.io.writes.get();
            final int forces = clean.io.forces.get();
            System.out.printf("%s: the script makes %d writes and %d forces%n", policy, writes, forces);
            for (final Kind kind : Kind.values()) {
                for (final String fault : List.of(FaultyIo.ENOSPC, FaultyIo.EIO)) {
                    for (int n = 1; n <= (kind == Kind.WRITE ? writes : forces); n++) {
                        final FaultyIo io = new FaultyIo();
                        io.failAtMessage = fault;
                        if (kind == Kind.WRITE) {
                            io.failWriteAt = n;
                            io.failAtWritesFirst = fault.equals(FaultyIo.EIO) ? -1 : 40;
                        } else {
                            io.failForceAt = n;
                        }
                        final Run run = new Run(policy, Files.createTempDirectory(shared, "run"), io);
                        final String label = String.format("%s %s #%d %s", policy, kind, n, fault);
                        runs++;
                        try {
                            run.script();
                            assertThat(io.failedAt).as("the fault was reached").isNotNull();
                            run.verifyReported(fault);
                            run.verify();
                        } catch (final AssertionError | RuntimeException x) {
                            findings.add(label + " (" + io.failedAt + "): " + x.getMessage().replace('\n', ' '));
                        }
                    }
                }
            }
        }
        System.out.printf("%d faulty runs, %d findings%n", runs, findings.size());
        findings.forEach(System.out::println);
        assertThat(findings).as("positions where a fault broke an invariant").isEmpty();
    }

    /** What the journal must say about one hold, from what its callers were told. */
    private static final class Expect {
        enum State { HELD, BOOKED, ENDED }

        final HoldToken token;
        final SlotId slot;
        final Operator operator;
        final Instant expiresAt;
        final boolean online;
        State state = State.HELD;
        /** A confirmation reached the vendor and no answer is recorded. */
        boolean inDoubt;
        /** A cancellation reached the vendor and no answer is recorded. */
        boolean cancelInDoubt;
        String reference;

        Expect(final HoldResult h, final Operator operator) {
            this.token = h.token();
            this.slot = h.slot();
            this.operator = operator;
            this.expiresAt = h.expiresAt();
            this.online = h.method() == BookingMethod.ONLINE;
        }

        /** Owns its slot at {@code now}: booked, or held and not run out (a hold in doubt never runs out). */
        boolean standing(final Instant now) {
            return state == State.BOOKED || state == State.HELD && (inDoubt || now.isBefore(expiresAt));
        }

        @Override
        public String toString() {
            return slot + " " + state + (inDoubt ? " in doubt" : "") + (cancelInDoubt ? " cancel in doubt" : "");
        }
    }

    /** One execution of the script against a journal directory, with its oracle. */
    private static final class Run {
        final FsyncPolicy policy;
        final Path journal;
        final FaultyIo io;
        final SteppedClock clock = new SteppedClock(World.NOW);
        /** The vendor outlives every restart (it is another system): one gateway for all sessions. */
        final RecordingBookingGateway vendor = new RecordingBookingGateway();
        final Map<SlotId, List<Expect>> bySlot = new LinkedHashMap<>();
        /** Exceptions the callers got, with the step that got each. */
        final List<String> thrown = new ArrayList<>();
        final List<Throwable> exceptions = new ArrayList<>();
        final List<JournalWriteException> told = new CopyOnWriteArrayList<>();
        long writeFailures;
        long compactions;
        boolean openFailed;

        Run(final FsyncPolicy policy, final Path root, final FaultyIo io) {
            this.policy = policy;
            this.journal = root.resolve("journal");
            this.io = io;
        }

        BookingConfig config() {
            return BookingConfig.DEFAULTS.withJournal(journal).withFsync(policy)
                .withCompactAboveBytes(Journal.HEADER_BYTES); // the sweep compacts whenever half is dead
        }

        private BookingService open() {
            try {
                final BookingService s = BookingService.open(index(clock), VendorRegistry.defaults(), clock, config(),
                    vendor, io);
                s.addJournalFailureListener(told::add);
                return s;
            } catch (final JournalException x) {
                failed("open", x);
                openFailed = true;
                return null;
            }
        }

        private void failed(final String step, final Throwable x) {
            thrown.add(step + ": " + x.getMessage());
            exceptions.add(x);
        }

        private void close(final BookingService s) {
            writeFailures += s.stats().journalWriteFailures();
            compactions += s.stats().compactions();
            s.close();
        }

        /** The call, or {@code null} when it threw a journal exception (a failure it was told of). */
        private <T> T attempt(final String step, final Supplier<T> call) {
            try {
                return call.get();
            } catch (final JournalException x) {
                failed(step, x);
                return null;
            }
        }

        void script() {
            BookingService s = open();
            if (s == null) {
                return;
            }
            final Expect ha = hold(s, a, ANNE);
            final Expect hb = hold(s, b, BRUNO);
            confirm(s, ha);
            confirm(s, hb);
            final Expect hc = hold(s, c, ANNE);
            release(s, hc);
            hold(s, d, BRUNO);
            close(s);

            clock.advance(Duration.ofMinutes(1));
            s = open(); // a restart in the middle: replay, then more appends on the same file
            if (s == null) {
                return;
            }
            release(s, hb); // a PHONE booking cancelled
            clock.advance(Duration.ofMinutes(1));
            final Expect he = hold(s, e, ANNE);
            clock.advance(Duration.ofMinutes(3)); // D (held at 0) runs out at 5; E (at 2) at 7
            sweep(s);
            confirm(s, he); // ONLINE, appended to the compacted file
            release(s, ha); // an ONLINE booking cancelled
            final Expect hf = hold(s, f, BRUNO);
            confirm(s, hf);
            close(s);
        }

        private Expect hold(final BookingService s, final SlotId slot, final Operator op) {
            final HoldResult r = attempt("hold " + slot, () -> s.hold(slot, op));
            if (r == null) {
                return null;
            }
            assertThat(r.isHeld()).as("hold %s: %s", slot, r.refusal()).isTrue();
            assertThat(r.retried()).isFalse();
            final Expect x = new Expect(r, op);
            bySlot.computeIfAbsent(slot, k -> new ArrayList<>()).add(x);
            return x;
        }

        private void confirm(final BookingService s, final Expect x) {
            if (x == null) {
                return;
            }
            final ConfirmResult r = attempt("confirm " + x.slot, () -> s.confirm(x.token));
            if (r == null) {
                // The hold stands; in doubt when the vendor heard of it (CONFIRMING was recorded).
                x.inDoubt = x.online && vendorBooked(x.token);
                return;
            }
            assertThat(r.isBooked()).as("confirm %s: %s %s", x.slot, r.refusal(), r.detail()).isTrue();
            assertThat(r.repeated()).isFalse();
            x.state = Expect.State.BOOKED;
            x.inDoubt = false;
            x.reference = r.booking().vendorReference();
        }

        private void release(final BookingService s, final Expect x) {
            if (x == null) {
                return;
            }
            final ReleaseResult r = attempt("release " + x.slot, () -> s.release(x.token));
            final Instant now = clock.instant();
            if (r == null) {
                if (x.state == Expect.State.BOOKED && x.online && vendorCancelled(x.reference)) {
                    x.cancelInDoubt = true; // CANCELLING was recorded, the vendor cancelled, its answer was not
                }
                return;
            }
            if (x.state == Expect.State.HELD && x.inDoubt) {
                assertThat(r.refusal()).as("release of a hold in doubt %s", x.slot).isEqualTo(Refusal.VENDOR_UNAVAILABLE);
                return;
            }
            if (x.state == Expect.State.HELD && !now.isBefore(x.expiresAt)) {
                assertThat(r.refusal()).as("release of a hold run out %s", x.slot).isEqualTo(Refusal.EXPIRED);
                x.state = Expect.State.ENDED;
                return;
            }
            assertThat(r.released()).as("release %s: %s %s", x.slot, r.refusal(), r.detail()).isTrue();
            assertThat(r.repeated()).isFalse();
            assertThat(r.cancelled()).isEqualTo(x.state == Expect.State.BOOKED);
            x.state = Expect.State.ENDED;
            x.cancelInDoubt = false;
        }

        private void sweep(final BookingService s) {
            attempt("sweep", s::expireHolds);
            // The sweep finishes holds in doubt with the vendor (same key), catching journal
            // failures: what it finished, its own queries say. Expiries need no bookkeeping: a hold
            // run out is not standing whether or not its EXPIRE made it to the file.
            for (final List<Expect> list : bySlot.values()) {
                for (final Expect x : list) {
                    final Booking now = s.booking(x.slot);
                    if (x.state == Expect.State.HELD && x.inDoubt && now != null && now.token().equals(x.token)) {
                        x.state = Expect.State.BOOKED;
                        x.inDoubt = false;
                        x.reference = now.vendorReference();
                    } else if (x.state == Expect.State.BOOKED && x.cancelInDoubt && now == null) {
                        x.state = Expect.State.ENDED;
                        x.cancelInDoubt = false;
                    }
                }
            }
        }

        private boolean vendorBooked(final HoldToken token) {
            return vendor.requests().stream().anyMatch(r -> r.idempotencyKey().equals(token));
        }

        private boolean vendorCancelled(final String reference) {
            return vendor.cancellations().contains(reference);
        }

        /** The failure reached the caller (naming its cause), the failure listener and the stats. */
        void verifyReported(final String fault) {
            assertThat(exceptions).as("an exception to a caller").isNotEmpty();
            final Throwable first = exceptions.get(0);
            assertThat(chain(first)).as("the first exception names the cause: %s", thrown.get(0)).contains(fault);
            if (!openFailed) {
                assertThat(told).as("the journal failure listener heard of it (%s)", thrown).isNotEmpty();
                assertThat(chain(told.get(0))).contains(fault);
                assertThat(writeFailures).as("stats().journalWriteFailures()").isPositive();
            }
        }

        /** Reopens the journal over real files and checks it against what the callers were told. */
        void verify() {
            final Instant now = clock.instant();
            try (BookingService r = BookingService.open(index(clock), VendorRegistry.defaults(), clock, config(), vendor,
                JournalIo.REAL)) {
                int inDoubt = 0;
                int cancelsInDoubt = 0;
                final List<HoldToken> claire = new ArrayList<>();
                for (final SlotId slot : List.of(a, b, c, d, e, f)) {
                    final List<Expect> standing = new ArrayList<>();
                    for (final Expect x : bySlot.getOrDefault(slot, List.of())) {
                        if (x.standing(now)) {
                            standing.add(x);
                        }
                    }
                    assertThat(standing).as("the script never has two standing holds on %s", slot).hasSizeLessThan(2);
                    final Expect x = standing.isEmpty() ? null : standing.get(0);
                    final Booking booking = r.booking(slot);
                    if (x != null && x.state == Expect.State.BOOKED) {
                        assertThat(booking).as("acknowledged booking of %s lost (%s)", slot, thrown).isNotNull();
                        assertThat(booking.token()).isEqualTo(x.token);
                        assertThat(booking.vendorReference()).isEqualTo(x.reference);
                        cancelsInDoubt += x.cancelInDoubt ? 1 : 0;
                    } else {
                        assertThat(booking).as("%s booked although no confirmation of it was acknowledged (%s)", slot,
                            thrown).isNull();
                    }
                    for (final Operator op : List.of(ANNE, BRUNO)) {
                        assertThat(r.tokenHeldBy(slot, op.id())).as("%s's claim on %s (%s)", op.id(), slot, thrown)
                            .isEqualTo(x != null && x.operator.equals(op) ? x.token : null);
                    }
                    if (x != null && x.state == Expect.State.HELD) {
                        inDoubt += x.inDoubt ? 1 : 0;
                    }
                    final HoldResult other = r.hold(slot, CLAIRE);
                    if (x == null) {
                        assertThat(other.isHeld()).as("%s free again (%s): %s", slot, thrown, other.refusal()).isTrue();
                        claire.add(other.token());
                    } else {
                        assertThat(other.refusal()).as("%s refused to another operator", slot)
                            .isEqualTo(x.state == Expect.State.BOOKED ? Refusal.ALREADY_BOOKED : Refusal.ALREADY_HELD);
                    }
                }
                assertThat(r.replayReport().confirmationsInDoubt()).as("confirmations in doubt (%s)", thrown)
                    .isEqualTo(inDoubt);
                assertThat(r.replayReport().cancellationsInDoubt()).as("cancellations in doubt (%s)", thrown)
                    .isEqualTo(cancelsInDoubt);
                assertThat(r.stats().unplaced()).as("every standing claim is on its index record").isZero();
                claire.forEach(t -> assertThat(r.release(t).released()).isTrue());
                // What is in doubt is finished with the vendor under the same key: the booking it made
                // (same reference), the cancellation it took.
                assertThat(r.resolveInDoubt()).isEqualTo(inDoubt + cancelsInDoubt);
                for (final List<Expect> list : bySlot.values()) {
                    for (final Expect x : list) {
                        if (x.standing(now) && x.state == Expect.State.HELD && x.inDoubt) {
                            assertThat(r.booking(x.slot)).isNotNull().extracting(Booking::token).isEqualTo(x.token);
                        } else if (x.standing(now) && x.cancelInDoubt) {
                            assertThat(r.booking(x.slot)).isNull();
                        }
                    }
                }
            }
        }
    }

    private static String chain(final Throwable t) {
        final StringBuilder sb = new StringBuilder();
        for (Throwable x = t; x != null; x = x.getCause()) {
            sb.append(x.getMessage()).append(" | ");
            for (final Throwable s : x.getSuppressed()) {
                sb.append(s.getMessage()).append(" | ");
            }
        }
        return sb.toString();
    }
}
