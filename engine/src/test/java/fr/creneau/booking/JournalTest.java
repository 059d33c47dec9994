package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;

/** The write-ahead journal: restarts, torn and corrupt records, ownership, compaction, fsync policies. */
class JournalTest {
    private static final Operator ANNE = World.operator("anne");
    private static final Operator BRUNO = World.operator("bruno");

    @TempDir
    Path dir;

    private final SteppedClock clock = new SteppedClock(World.NOW);
    private final Probe probe = new Probe();

    private Path journalDir() {
        return dir.resolve("journal");
    }

    private Path journalFile() {
        return journalDir().resolve(Journal.FILE);
    }

    private Creneau.Builder builder(final FsyncPolicy fsync) {
        return World.builder(clock).journal(journalDir()).fsync(fsync).bookingGateway(new RecordingBookingGateway());
    }

    /** A booking, a standing hold and a released hold, then closed. Returns {booked, held, released} tokens. */
    private HoldToken[] bookHoldRelease(final World w, final SlotId booked, final SlotId held, final SlotId released) {
        try (Creneau c = w.start(builder(FsyncPolicy.ALWAYS))) {
            final HoldToken b = c.bookings().hold(booked, ANNE).token();
            c.bookings().confirm(b);
            final HoldToken h = c.bookings().hold(held, ANNE, Duration.ofMinutes(5)).token();
            final HoldToken r = c.bookings().hold(released, ANNE).token();
            c.bookings().release(r);
            return new HoldToken[] {b, h, r};
        }
    }

    @Test
    void aRestartLosesNoBookingAndResurrectsNoExpiredHold() {
        final World w = new World(dir);
        final long doc = w.gp("MARTIN", "Doctolib");
        final SlotId booked = w.slot("Doctolib", doc, 60);
        final SlotId held = w.slot("Doctolib", w.gp("BERNARD", "Doctolib"), 90);
        final SlotId released = w.slot("Doctolib", w.gp("PETIT", "Doctolib"), 120);
        final HoldToken[] t = bookHoldRelease(w, booked, held, released);

        clock.advance(Duration.ofMinutes(6)); // the hold's 5 minutes run out while we are down
        try (Creneau c = w.start(builder(FsyncPolicy.ALWAYS))) {
            final ReplayReport report = c.bookings().replayReport();
            assertThat(report.records()).isEqualTo(6); // hold, confirming, confirm, hold, hold, release
            assertThat(report.standingBookings()).isEqualTo(1);
            assertThat(report.standingHolds()).isZero();
            assertThat(report.holdsExpiredAtStart()).isEqualTo(1);
            assertThat(report.tornBytesDropped()).isZero();

            assertThat(c.bookings().booking(booked).token()).isEqualTo(t[0]);
            assertThat(c.bookings().confirm(t[0]).repeated()).isTrue();
            assertThat(probe.proposes(c, booked)).isFalse();
            assertThat(c.bookings().hold(booked, BRUNO).refusal()).isEqualTo(Refusal.ALREADY_BOOKED);

            assertThat(probe.proposes(c, held)).isTrue();
            assertThat(c.bookings().confirm(t[1]).refusal()).isEqualTo(Refusal.EXPIRED);
            assertThat(c.bookings().hold(held, BRUNO).isHeld()).isTrue();

            assertThat(probe.proposes(c, released)).isTrue();
            assertThat(c.bookings().confirm(t[2]).refusal()).isEqualTo(Refusal.RELEASED);
        }
        // The expiry found at start was journaled: a third start does not expire it again.
        try (Creneau c = w.start(builder(FsyncPolicy.ALWAYS))) {
            assertThat(c.bookings().replayReport().holdsExpiredAtStart()).isZero();
            assertThat(c.bookings().replayReport().standingHolds()).isEqualTo(1); // BRUNO's
        }
    }

    @Test
    void beforeTheFeedsAreBackABookedSlotIsRefusedAndReingestionShowsItBooked() {
        final World w = new World(dir);
        final SlotId booked = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final SlotId held = w.slot("Doctolib", w.gp("BERNARD", "Doctolib"), 90);
        final SlotId free = w.slot("Doctolib", w.gp("PETIT", "Doctolib"), 120);
        final HoldToken[] t = bookHoldRelease(w, booked, held, free);

        try (Creneau c = builder(FsyncPolicy.GROUP).build()) { // empty index: no directory, no feed yet
            assertThat(c.bookings().stats().unplaced()).isEqualTo(2);
            assertThat(c.bookings().hold(booked, BRUNO).refusal()).isEqualTo(Refusal.ALREADY_BOOKED);
            assertThat(c.bookings().hold(held, BRUNO).refusal()).isEqualTo(Refusal.ALREADY_HELD);
            assertThat(c.bookings().hold(held, ANNE).token()).isEqualTo(t[1]); // her retry: same token
            assertThat(c.bookings().hold(free, BRUNO).refusal()).isEqualTo(Refusal.GONE);

            w.load(c, World.NOW);
            assertThat(c.bookings().stats().unplaced()).isZero();
            assertThat(probe.proposes(c, booked)).isFalse();
            assertThat(probe.proposes(c, held)).isFalse();
            assertThat(probe.proposes(c, free)).isTrue();
            assertThat(c.bookings().confirm(t[1]).isBooked()).isTrue();
            assertThat(c.bookings().release(t[0]).cancelled()).isTrue();
            assertThat(probe.proposes(c, booked)).isTrue();
        }
    }

    @Test
    void aTornLastRecordIsDroppedTheFileTruncatedAndAppendsContinue() throws IOException {
        final World w = new World(dir);
        final SlotId a = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final SlotId b = w.slot("Doctolib", w.gp("BERNARD", "Doctolib"), 60);
        final HoldToken booked;
        try (Creneau c = w.start(builder(FsyncPolicy.ALWAYS))) {
            booked = c.bookings().hold(a, ANNE).token();
            c.bookings().confirm(booked);
            c.bookings().hold(b, ANNE); // the last record: cut in its middle below
        }
        final long full = Files.size(journalFile());
        final List<BookingRecord> before = Journal.readAll(journalFile());
        final long lastLength = Journal.frame(BookingRecord.encode(before.get(3))).length;
        truncate(journalFile(), full - lastLength / 2);

        try (Creneau c = w.start(builder(FsyncPolicy.ALWAYS))) {
            final ReplayReport r = c.bookings().replayReport();
            assertThat(r.records()).isEqualTo(3); // hold, confirming, confirm
            assertThat(r.tornBytesDropped()).isEqualTo(lastLength - lastLength / 2);
            assertThat(Files.size(journalFile())).isEqualTo(full - lastLength);
            assertThat(c.bookings().booking(a).token()).isEqualTo(booked);
            assertThat(probe.proposes(c, b)).isTrue(); // that hold was never acknowledged as durable
            c.bookings().hold(b, BRUNO);                 // appends resume on the record boundary
        }
        assertThat(Journal.readAll(journalFile())).hasSize(4).last()
            .satisfies(rec -> assertThat(((BookingRecord.Hold) rec).operator()).isEqualTo(BRUNO));
    }

    @Test
    void aTailOfZerosLeftByTheFileSystemIsTornNotCorrupt() throws IOException {
        final World w = new World(dir);
        final SlotId a = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = w.start(builder(FsyncPolicy.NONE))) {
            c.bookings().confirm(c.bookings().hold(a, ANNE).token());
        }
        final long good = Files.size(journalFile());
        try (FileChannel ch = FileChannel.open(journalFile(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(300), good); // 300 zero bytes, as after a crash mid-extend
        }
        try (Creneau c = w.start(builder(FsyncPolicy.NONE))) {
            assertThat(c.bookings().replayReport().tornBytesDropped()).isEqualTo(300);
            assertThat(c.bookings().replayReport().standingBookings()).isEqualTo(1);
        }
        assertThat(Files.size(journalFile())).isEqualTo(good);
    }

    @Test
    void aCorruptRecordInTheMiddleIsATypedErrorAndTheFileIsLeftAlone() throws IOException {
        final World w = new World(dir);
        final SlotId a = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = w.start(builder(FsyncPolicy.ALWAYS))) {
            c.bookings().confirm(c.bookings().hold(a, ANNE).token());
        }
        final long size = Files.size(journalFile());
        final int offset = Journal.HEADER_BYTES + Journal.RECORD_HEADER_BYTES + 40; // inside the HOLD payload
        flip(journalFile(), offset);
        assertThatThrownBy(() -> w.start(builder(FsyncPolicy.ALWAYS)))
            .isInstanceOf(JournalCorruptException.class)
            .hasMessageContaining("byte " + Journal.HEADER_BYTES)
            .hasMessageContaining("checksum")
            .satisfies(e -> assertThat(((JournalCorruptException) e).offset()).isEqualTo(Journal.HEADER_BYTES));
        assertThat(Files.size(journalFile())).isEqualTo(size);
        flip(journalFile(), offset); // repaired by hand: it opens again (the failed start released the lock)
        try (Creneau c = w.start(builder(FsyncPolicy.ALWAYS))) {
            assertThat(c.bookings().booking(a)).isNotNull();
        }
    }

    @Test
    void aBitFlipInTheLastRecordIsCorruptionNotATornWriteAndTheFileIsLeftAlone() throws IOException {
        final World w = new World(dir);
        final SlotId a = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        for (final FsyncPolicy policy : List.of(FsyncPolicy.ALWAYS, FsyncPolicy.GROUP)) {
            try (Creneau c = w.start(builder(policy))) {
                c.bookings().confirm(c.bookings().hold(a, ANNE).token()); // acknowledged: HOLD, CONFIRM
            }
            final long size = Files.size(journalFile());
            final List<BookingRecord> records = Journal.readAll(journalFile());
            final long confirmAt = size - Journal.frame(BookingRecord.encode(records.get(records.size() - 1))).length;
            flip(journalFile(), size - 3); // one byte of the CONFIRM's payload: its length is complete
            assertThatThrownBy(() -> w.start(builder(policy)))
                .isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining("byte " + confirmAt)
                .satisfies(e -> assertThat(((JournalCorruptException) e).offset()).isEqualTo(confirmAt));
            assertThat(Files.size(journalFile())).isEqualTo(size);
            flip(journalFile(), size - 3);
            try (Creneau c = w.start(builder(policy))) {
                assertThat(c.bookings().booking(a)).isNotNull();
                c.bookings().release(c.bookings().booking(a).token());
            }
            Files.delete(journalFile());
        }
    }

    @Test
    void aRepairMovesTheDamagedTailAsideKeepsItAndSaysWhatItHeld() throws IOException {
        final World w = new World(dir);
        final SlotId a = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = w.start(builder(FsyncPolicy.ALWAYS))) {
            c.bookings().confirm(c.bookings().hold(a, ANNE).token());
        }
        assertThat(JournalRepair.repair(journalDir()).repaired()).isFalse(); // a sound journal is left alone
        final byte[] whole = Files.readAllBytes(journalFile());
        final List<BookingRecord> records = Journal.readAll(journalFile());
        final long confirmAt = whole.length - Journal.frame(BookingRecord.encode(records.get(records.size() - 1))).length;
        flip(journalFile(), whole.length - 3);
        final byte[] damaged = Files.readAllBytes(journalFile());
        assertThatThrownBy(() -> w.start(builder(FsyncPolicy.ALWAYS))).isInstanceOf(JournalCorruptException.class);

        final JournalRepair.Report report = JournalRepair.repair(journalDir());
        assertThat(report.repaired()).isTrue();
        assertThat(report.offset()).isEqualTo(confirmAt);
        assertThat(report.bytesMoved()).isEqualTo(whole.length - confirmAt);
        assertThat(report.goodRecords()).isEqualTo(2); // HOLD, CONFIRMING
        assertThat(Files.readAllBytes(report.movedTo()))
            .isEqualTo(java.util.Arrays.copyOfRange(damaged, (int) confirmAt, damaged.length));
        assertThat(report.held()).singleElement().asString()
            .contains("byte " + confirmAt).contains("CONFIRM").contains(a.toString()).contains("checksum mismatch");
        assertThat(Files.size(journalFile())).isEqualTo(confirmAt);
        // The confirmation had reached the vendor (CONFIRMING survives): asked again, same key.
        try (Creneau c = w.start(builder(FsyncPolicy.ALWAYS))) {
            assertThat(c.bookings().replayReport().confirmationsInDoubt()).isEqualTo(1);
            assertThat(c.bookings().hold(a, BRUNO).refusal()).isEqualTo(Refusal.ALREADY_BOOKED);
        }
    }

    @Test
    void aDroppedTornTailIsKeptInAFileBesideTheJournal() throws IOException {
        final World w = new World(dir);
        final SlotId a = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = w.start(builder(FsyncPolicy.ALWAYS))) {
            c.bookings().hold(a, ANNE);
        }
        final byte[] whole = Files.readAllBytes(journalFile());
        truncate(journalFile(), whole.length - 10);
        try (Creneau c = w.start(builder(FsyncPolicy.ALWAYS))) {
            assertThat(c.bookings().replayReport().tornBytesDropped()).isEqualTo(whole.length - 10 - Journal.HEADER_BYTES);
        }
        try (var files = Files.list(journalDir())) {
            final List<Path> kept = files.filter(f -> f.getFileName().toString().startsWith(Journal.FILE + ".dropped-"))
                .toList();
            assertThat(kept).hasSize(1);
            assertThat(Files.readAllBytes(kept.get(0)))
                .isEqualTo(java.util.Arrays.copyOfRange(whole, Journal.HEADER_BYTES, whole.length - 10));
        }
    }

    @Test
    void aDamagedLengthInTheMiddleIsCorruptNotTorn() throws IOException {
        final World w = new World(dir);
        final SlotId a = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = w.start(builder(FsyncPolicy.ALWAYS))) {
            c.bookings().confirm(c.bookings().hold(a, ANNE).token());
        }
        flip(journalFile(), Journal.HEADER_BYTES); // high byte of the first record's length
        assertThatThrownBy(() -> w.start(builder(FsyncPolicy.ALWAYS)))
            .isInstanceOf(JournalCorruptException.class).hasMessageContaining("complement");
    }

    @Test
    void aFileThatIsNotAJournalOrOfAnotherVersionIsATypedError() throws IOException {
        final World w = new World(dir);
        w.gp("MARTIN", "Doctolib");
        Files.createDirectories(journalDir());
        Files.write(journalFile(), "{\"not\": \"a journal\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> builder(FsyncPolicy.ALWAYS).build())
            .isInstanceOf(JournalVersionException.class).hasMessageContaining("not a Créneau booking journal");

        Files.delete(journalFile());
        builder(FsyncPolicy.ALWAYS).build().close();
        try (FileChannel ch = FileChannel.open(journalFile(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 3}), 4); // format version 3 (a later build)
        }
        assertThatThrownBy(() -> builder(FsyncPolicy.ALWAYS).build())
            .isInstanceOf(JournalVersionException.class).hasMessageContaining("version 3");
    }

    @Test
    void aSecondInstanceOnTheSameDirectoryIsRefusedUntilTheFirstCloses() {
        final World w = new World(dir);
        w.gp("MARTIN", "Doctolib");
        final Creneau first = builder(FsyncPolicy.GROUP).build();
        assertThatThrownBy(() -> builder(FsyncPolicy.GROUP).build())
            .isInstanceOf(JournalLockedException.class)
            .hasMessageContaining("only one Créneau may own it");
        first.close();
        builder(FsyncPolicy.GROUP).build().close();
    }

    @Test
    void compactionKeepsStandingBookingsAndDropsEndedHolds() {
        final World w = new World(dir);
        final long doc = w.gp("MARTIN", "Doctolib");
        final SlotId keep = w.slot("Doctolib", doc, 60);
        final SlotId churn = w.slot("Doctolib", doc, 120);
        final BookingConfig config = BookingConfig.DEFAULTS.withJournal(journalDir()).withFsync(FsyncPolicy.NONE)
            .withCompactAboveBytes(4096);
        final HoldToken booked;
        try (Creneau c = w.start(World.builder(clock).bookingConfig(config).bookingGateway(new RecordingBookingGateway()))) {
            booked = c.bookings().hold(keep, ANNE).token();
            c.bookings().confirm(booked);
            for (int i = 0; i < 40; i++) {
                c.bookings().release(c.bookings().hold(churn, BRUNO).token());
            }
            final long grown = c.bookings().stats().journalBytes();
            assertThat(grown).isGreaterThan(4096);
            c.bookings().expireHolds(); // the sweep compacts
            final BookingStats s = c.bookings().stats();
            assertThat(s.compactions()).isEqualTo(1);
            assertThat(s.journalBytes()).isLessThan(1024);
            c.bookings().hold(churn, BRUNO); // appends go to the new file
        }
        assertThat(Journal.readAll(journalFile())).extracting(r -> r.getClass().getSimpleName())
            .containsExactly("Hold", "Confirm", "Hold");
        try (Creneau c = w.start(World.builder(clock).bookingConfig(config))) {
            assertThat(c.bookings().booking(keep).token()).isEqualTo(booked);
            assertThat(c.bookings().hold(churn, ANNE).refusal()).isEqualTo(Refusal.ALREADY_HELD);
        }
    }

    @Test
    void eachFsyncPolicyForcesAsDocumented() {
        final World w = new World(dir);
        final long doc = w.gp("MARTIN", "Doctolib");
        final SlotId slot = w.slot("Doctolib", doc, 60);
        for (final FsyncPolicy policy : FsyncPolicy.values()) {
            try (Creneau c = w.start(builder(policy))) {
                c.bookings().release(c.bookings().confirm(c.bookings().hold(slot, ANNE).token()).token());
                final BookingStats s = c.bookings().stats();
                // Hold, confirming (online), confirm, cancelling (online), release.
                assertThat(s.journalAppends()).isEqualTo(5);
                // One thread: no force to share, so GROUP forces once per append like ALWAYS.
                assertThat(s.journalForces()).isEqualTo(policy == FsyncPolicy.NONE ? 0 : 5);
            }
        }
    }

    private static void truncate(final Path file, final long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    private static void flip(final Path file, final long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5A));
            ch.write(b.rewind(), offset);
        }
    }
}
