package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.directory.Directory;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.DirectoryLoader;
import fr.creneau.feed.IngestConfig;
import fr.creneau.feed.Ingestor;
import fr.creneau.feed.NativeFeedParser;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SlotIndex;
import fr.creneau.index.SteppedClock;

/**
 * Write and force failures of the journal (ENOSPC, EIO), injected under real files: the outcome
 * of a failed append is definite (nothing of it replays), the failure is visible, and its cause
 * is named.
 */
class JournalFailureTest {
    private static final Operator ANNE = World.operator("anne");
    private static final Operator BRUNO = World.operator("bruno");

    @TempDir
    Path dir;

    private final SteppedClock clock = new SteppedClock(World.NOW);
    private final FaultyIo io = new FaultyIo();

    private SlotIndex index;

    /**
     * The journaled service under test, over an index of its own loaded from the files the world
     * wrote (a facade built them: {@code w.start}); the facade's index is not for writers.
     */
    private BookingService open(final World w, final FsyncPolicy fsync, final JournalIo with) {
        if (index == null) {
            index = load(w);
        }
        return BookingService.open(index, VendorRegistry.defaults(), clock,
            BookingConfig.DEFAULTS.withJournal(dir.resolve("journal")).withFsync(fsync), new RecordingBookingGateway(),
            with);
    }

    private SlotIndex load(final World w) {
        final VendorRegistry vendors = VendorRegistry.defaults();
        final Directory empty = Directory.builder().build();
        final SlotIndex loaded = new SlotIndex(empty, clock);
        final Ingestor ingestor = new Ingestor(empty, vendors, IngestConfig.DEFAULTS, clock, loaded);
        final DirectoryLoader.Result directory = new DirectoryLoader(vendors).load(w.dir.resolve("practitioners.json"),
            empty);
        loaded.updateDirectory(directory.directory());
        ingestor.updateDirectory(directory.directory());
        final Path feed = w.dir.resolve("doctolib.json");
        if (java.nio.file.Files.exists(feed)) {
            ingestor.applyVendorSnapshot(new NativeFeedParser().parseVendorFeed(feed));
        }
        return loaded;
    }

    @Test
    void aGroupBatchWhoseForceFailedIsNotOnDiskSoReplayBringsBackNoHoldNobodyHolds() {
        final World w = new World(dir.resolve("data"));
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = w.start(World.builder(clock))) {
            try (BookingService s = open(w, FsyncPolicy.GROUP, io)) {
                final List<JournalWriteException> told = new CopyOnWriteArrayList<>();
                s.addJournalFailureListener(told::add);
                io.failForce = FaultyIo.EIO;
                assertThatThrownBy(() -> s.hold(slot, ANNE)).isInstanceOf(JournalWriteException.class)
                    .hasMessageContaining(FaultyIo.EIO).hasMessageContaining("not recorded")
                    .satisfies(e -> assertThat(((JournalWriteException) e).outcomeKnown()).isTrue());
                io.failForce = null;
                assertThat(told).singleElement().satisfies(e -> assertThat(e.journalStopped()).isTrue());
                assertThat(s.stats().journalFailed()).isTrue();
                assertThat(s.stats().journalWriteFailures()).isEqualTo(1);
                assertThat(s.stats().standingHolds()).isZero();
                // A device that lost a forced write is not trusted again before a restart.
                assertThatThrownBy(() -> s.hold(slot, BRUNO)).isInstanceOf(JournalException.class)
                    .hasMessageContaining("restart");
            }
            io.failForce = null;
            try (BookingService s = open(w, FsyncPolicy.GROUP, JournalIo.REAL)) {
                assertThat(s.replayReport().standingHolds()).as("a hold its operator was told failed").isZero();
                assertThat(s.replayReport().records()).isZero();
                assertThat(s.hold(slot, BRUNO).isHeld()).isTrue();
            }
        }
    }

    @Test
    void concurrentCallersOfAFailedGroupBatchAreAllToldAndNoneOfTheirHoldsReplays() throws Exception {
        final World w = new World(dir.resolve("data"));
        final List<SlotId> slots = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            slots.add(w.slot("Doctolib", w.gp("DOC" + (char) ('A' + i), "Doctolib"), 60));
        }
        try (Creneau c = w.start(World.builder(clock))) {
            final List<Throwable> failures = new CopyOnWriteArrayList<>();
            final List<SlotId> held = new CopyOnWriteArrayList<>();
            try (BookingService s = open(w, FsyncPolicy.GROUP, io)) {
                io.failForce = FaultyIo.EIO; // the first batch's force fails; the journal then stops
                final java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                final List<Thread> threads = new java.util.ArrayList<>();
                for (final SlotId slot : slots) {
                    threads.add(new Thread(() -> {
                        try {
                            go.await();
                            if (s.hold(slot, World.operator("op-" + slot.rpps())).isHeld()) {
                                held.add(slot);
                            }
                        } catch (final JournalException e) {
                            failures.add(e);
                        } catch (final InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }));
                }
                threads.forEach(Thread::start);
                go.countDown();
                for (final Thread t : threads) {
                    t.join();
                }
                assertThat(held).as("a hold acknowledged after the journal failed").isEmpty();
                assertThat(failures).hasSize(slots.size());
                assertThat(s.stats().standingHolds()).isZero();
            }
            try (BookingService s = open(w, FsyncPolicy.GROUP, JournalIo.REAL)) {
                assertThat(s.replayReport().records()).isZero();
            }
        }
    }

    @Test
    void aFullDiskIsNamedAndOnceSpaceIsBackHoldsWorkAgain() {
        final World w = new World(dir.resolve("data"));
        final SlotId a = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final SlotId b = w.slot("Doctolib", w.gp("BERNARD", "Doctolib"), 60);
        try (Creneau c = w.start(World.builder(clock))) {
            try (BookingService s = open(w, FsyncPolicy.ALWAYS, io)) {
                io.failWrite = FaultyIo.ENOSPC;
                io.writeBeforeFailing = 30; // part of the record reached the file before the disk filled
                assertThatThrownBy(() -> s.hold(a, ANNE)).isInstanceOf(JournalException.class)
                    .hasMessageContaining(FaultyIo.ENOSPC);
                io.failWrite = null; // space freed
                assertThat(s.hold(b, ANNE).isHeld()).isTrue();
                assertThat(s.hold(a, BRUNO).isHeld()).isTrue();
            }
            try (BookingService s = open(w, FsyncPolicy.ALWAYS, JournalIo.REAL)) {
                assertThat(s.replayReport().records()).isEqualTo(2);
                assertThat(s.replayReport().tornBytesDropped()).isZero();
            }
        }
    }

    @Test
    void whenEvenTheCutBackFailsTheOutcomeIsSaidUnknownAndTheJournalStops() {
        final World w = new World(dir.resolve("data"));
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = w.start(World.builder(clock))) {
            try (BookingService s = open(w, FsyncPolicy.GROUP, io)) {
                io.failWrite = FaultyIo.EIO;
                io.writeBeforeFailing = 1000;
                io.failTruncate = FaultyIo.EIO;
                assertThatThrownBy(() -> s.hold(slot, ANNE)).isInstanceOf(JournalWriteException.class)
                    .hasMessageContaining("outcome unknown")
                    .satisfies(e -> assertThat(((JournalWriteException) e).outcomeKnown()).isFalse());
                assertThat(s.stats().journalFailed()).isTrue();
                assertThat(s.stats().standingHolds()).isZero(); // the operator was told it failed
            }
        }
    }

    @Test
    void aFullDiskDoesNotStopTheStartWhenExpiredHoldsCannotBeJournaled() {
        final World w = new World(dir.resolve("data"));
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = w.start(World.builder(clock))) {
            try (BookingService s = open(w, FsyncPolicy.ALWAYS, JournalIo.REAL)) {
                s.hold(slot, ANNE);
            }
            clock.advance(java.time.Duration.ofMinutes(6)); // the hold ran out while we were down
            io.failWrite = FaultyIo.ENOSPC;
            try (BookingService s = open(w, FsyncPolicy.ALWAYS, io)) {
                assertThat(s.stats().journalWriteFailures()).isEqualTo(1);
                assertThat(s.stats().journalFailed()).isFalse();
                assertThat(s.bookings()).isEmpty();
                assertThatThrownBy(() -> s.hold(slot, BRUNO)).isInstanceOf(JournalException.class)
                    .hasMessageContaining(FaultyIo.ENOSPC);
                io.failWrite = null;
                assertThat(s.expireHolds()).isEqualTo(1);
                assertThat(s.hold(slot, BRUNO).isHeld()).isTrue();
            }
        }
    }

    @Test
    void aReadOnlyReplayTakesNoLockWritesNothingAndRefusesToBook() throws Exception {
        final World w = new World(dir.resolve("data"));
        final SlotId booked = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final SlotId held = w.slot("Doctolib", w.gp("BERNARD", "Doctolib"), 60);
        final BookingConfig readOnly = BookingConfig.DEFAULTS.withJournal(dir.resolve("journal")).withReadOnly(true);
        try (Creneau c = w.start(World.builder(clock))) {
            try (BookingService none = BookingService.open(load(w), VendorRegistry.defaults(), clock, readOnly,
                new RecordingBookingGateway())) {
                assertThat(none.replayReport().records()).isZero();
            }
            assertThat(dir.resolve("journal")).as("a reader creates nothing").doesNotExist();
        }
        final Probe probe = new Probe();
        try (Creneau owner = w.start(World.builder(clock).journal(dir.resolve("journal"))
            .bookingGateway(new RecordingBookingGateway()))) {
            owner.bookings().confirm(owner.bookings().hold(booked, ANNE).token());
            owner.bookings().hold(held, ANNE);
            clock.advance(java.time.Duration.ofMinutes(6)); // that hold expired; the owner has not swept yet
            final byte[] before = java.nio.file.Files.readAllBytes(dir.resolve("journal").resolve(Journal.FILE));
            try (Creneau reader = w.start(World.builder(clock).bookingConfig(readOnly))) { // the owner holds the lock
                assertThat(reader.bookings().replayReport().standingBookings()).isEqualTo(1);
                assertThat(reader.bookings().replayReport().holdsExpiredAtStart()).isEqualTo(1);
                assertThat(probe.proposes(reader, booked)).isFalse();
                assertThat(probe.proposes(reader, held)).isTrue();
                assertThatThrownBy(() -> reader.bookings().hold(held, BRUNO)).isInstanceOf(JournalException.class)
                    .hasMessageContaining("read-only");
            }
            assertThat(java.nio.file.Files.readAllBytes(dir.resolve("journal").resolve(Journal.FILE))).isEqualTo(before);
        }
    }

    /**
     * Found by {@link JournalFaultMatrixTest}: under ALWAYS and GROUP, write #15 to #18 and force
     * #14 of its script (the compaction's new file) failed with ENOSPC or EIO, and the failure
     * reached only the sweep's caller: no failure listener, no {@code journalWriteFailures}.
     */
    @Test
    void aCompactionThatCannotWriteItsFileIsToldAndCountedAndTheJournalGoesOn() {
        final World w = new World(dir.resolve("data"));
        final SlotId a = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final SlotId b = w.slot("Doctolib", w.gp("BERNARD", "Doctolib"), 60);
        final BookingConfig config = BookingConfig.DEFAULTS.withJournal(dir.resolve("journal"))
            .withFsync(FsyncPolicy.ALWAYS).withCompactAboveBytes(Journal.HEADER_BYTES);
        try (Creneau c = w.start(World.builder(clock))) {
            index = load(w);
            for (final boolean force : List.of(false, true)) {
                final FaultyIo faulty = new FaultyIo();
                try (BookingService s = BookingService.open(index, VendorRegistry.defaults(), clock, config,
                    new RecordingBookingGateway(), faulty)) {
                    final List<JournalWriteException> told = new CopyOnWriteArrayList<>();
                    s.addJournalFailureListener(told::add);
                    s.release(s.hold(a, ANNE).token()); // the file is now all dead: the sweep compacts
                    faulty.failAtMessage = FaultyIo.ENOSPC;
                    if (force) {
                        faulty.failForceAt = faulty.forces.get() + 1; // the new file's force
                    } else {
                        faulty.failWriteAt = faulty.writes.get() + 1; // the new file's header, half written
                        faulty.failAtWritesFirst = 8;
                    }
                    assertThatThrownBy(s::expireHolds).isInstanceOf(JournalWriteException.class)
                        .hasMessageContaining(FaultyIo.ENOSPC).hasMessageContaining("unchanged");
                    assertThat(faulty.failedAt).isEqualTo(force ? "force bookings.journal.compact"
                        : "write bookings.journal.compact");
                    assertThat(told).singleElement().satisfies(x -> {
                        assertThat(x.journalStopped()).isFalse();
                        assertThat(x).hasMessageContaining(FaultyIo.ENOSPC);
                    });
                    assertThat(s.stats().journalWriteFailures()).isEqualTo(1);
                    assertThat(s.stats().journalFailed()).isFalse();
                    assertThat(s.stats().compactions()).isZero();
                    assertThat(dir.resolve("journal").resolve(Journal.FILE + Journal.COMPACT_SUFFIX)).doesNotExist();
                    final HoldResult held = s.hold(b, BRUNO); // the journal goes on
                    assertThat(held.isHeld()).isTrue();
                    s.release(held.token());
                }
            }
            try (BookingService s = open(w, FsyncPolicy.ALWAYS, JournalIo.REAL)) {
                assertThat(s.replayReport().records()).isEqualTo(8);
                assertThat(s.replayReport().standingHolds()).isZero();
            }
        }
    }

    @Test
    void aDirectoryForceThatFailsIsAnErrorNotSilence() {
        final World w = new World(dir.resolve("data"));
        w.gp("MARTIN", "Doctolib");
        try (Creneau c = w.start(World.builder(clock))) {
            io.failDirectoryForce = FaultyIo.EIO;
            assertThatThrownBy(() -> open(w, FsyncPolicy.ALWAYS, io)).isInstanceOf(JournalException.class)
                .hasMessageContaining(FaultyIo.EIO);
        }
    }
}
