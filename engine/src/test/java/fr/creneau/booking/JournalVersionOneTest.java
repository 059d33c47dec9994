package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.feed.Modality;
import fr.creneau.index.SteppedClock;
import fr.creneau.slot.SlotId;

/**
 * A journal written by the build before issue 17 (format version 1, checked in as
 * {@code fixtures/journal-v1/bookings.journal}: two PHONE/ONLINE bookings and a released hold)
 * still replays; its first writer rewrites it as version 2 before appending the new record types,
 * and the result replays again with everything in it.
 */
class JournalVersionOneTest {
    @TempDir
    Path dir;

    private final SteppedClock clock = new SteppedClock(World.NOW);

    /** The data set the fixture was written against (World numbers practitioners in order). */
    private static List<SlotId> world(final World w) {
        final SlotId a = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final SlotId b = w.slot("Maiia", w.gp("PETIT", "Maiia"), 120);
        final SlotId c = w.slot("Maiia", w.gp("DURAND", "Maiia"), 180);
        return List.of(a, b, c);
    }

    private static int version(final Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            final ByteBuffer b = ByteBuffer.allocate(6);
            ch.read(b, 0);
            return b.getShort(4) & 0xFFFF;
        }
    }

    @Test
    void aVersionOneJournalReplaysAndIsRewrittenAsVersionTwoBeforeAnyNewRecord() throws IOException {
        final Path journal = dir.resolve("journal");
        Files.createDirectories(journal);
        final Path file = journal.resolve(Journal.FILE);
        try (InputStream in = getClass().getResourceAsStream("/fixtures/journal-v1/bookings.journal")) {
            Files.copy(in, file);
        }
        assertThat(version(file)).isEqualTo(1);
        // Read-only first: replays, writes nothing.
        final World w = new World(dir);
        final List<SlotId> slots = world(w);
        try (Creneau c = w.start(World.builder(clock).journal(journal).readOnlyJournal(true))) {
            assertThat(c.bookings().bookings()).extracting(Booking::slot).containsExactlyInAnyOrder(slots.get(0),
                slots.get(1));
        }
        assertThat(version(file)).isEqualTo(1);
        try (Creneau c = w.start(World.builder(clock).journal(journal).outbox(true)
            .bookingGateway(new RecordingBookingGateway()))) {
            assertThat(version(file)).isEqualTo(2);
            assertThat(c.bookings().replayReport().standingBookings()).isEqualTo(2);
            assertThat(c.bookings().booking(slots.get(0)).vendorReference()).isNotNull();
            // The new record types go into the rewritten file.
            final HoldResult hold = c.bookings().hold(slots.get(2), World.operator("anne"),
                new CaseRef("case-v2", Modality.OFFICE, false));
            c.bookings().confirm(hold.token());
        }
        try (Creneau c = w.start(World.builder(clock).journal(journal).outbox(true)
            .bookingGateway(new RecordingBookingGateway()))) {
            assertThat(c.bookings().bookings()).hasSize(3);
            assertThat(c.bookings().pendingMessages()).hasSize(1);
            assertThat(c.bookings().pendingMessages().get(0).caseId()).isEqualTo("case-v2");
        }
        final List<BookingRecord> records = Journal.readAll(file);
        assertThat(records).filteredOn(r -> r instanceof BookingRecord.Hold && ((BookingRecord.Hold) r).caseRef() != null)
            .hasSize(1);
    }
}
