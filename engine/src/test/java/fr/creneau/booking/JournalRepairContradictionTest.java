package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.feed.Fixtures;
import fr.creneau.slot.SlotId;

/**
 * A journal whose records all read back but contradict each other (a HOLD on a slot another
 * standing hold has) is refused at a start; the repair must move that record aside, not call the
 * journal sound and leave every start refused. Found by {@code JournalScanFuzzTest}'s oracle
 * (corpus entry {@code regression-hold-over-standing-hold}).
 */
class JournalRepairContradictionTest {
    private static final Clock CLOCK = Clock.fixed(Fixtures.NOW, ZoneOffset.UTC);
    private static final SlotId SLOT = SlotId.parse("maiia.10000000033.20261124T0800Z");

    @TempDir
    Path dir;

    @Test
    void aHoldOverAStandingHoldIsMovedAsideByTheRepairAndTheJournalOpensAgain() throws IOException {
        try (Creneau c = start()) {
            assertThat(c.bookings().hold(SLOT, new Operator("alice", "Martin", "Alice", "a@example.org")).isHeld())
                .isTrue();
        }
        final Path file = dir.resolve(Journal.FILE);
        final long sound = Files.size(file);
        final BookingRecord.Hold first = (BookingRecord.Hold) Journal.readAll(file).get(0);
        final BookingRecord.Hold second = new BookingRecord.Hold(new HoldToken(new UUID(1, 2)), first.at(),
            first.expiresAt(), new Operator("bob", "Durand", "Bob", "b@example.org"), first.facts());
        Files.write(file, Journal.frame(BookingRecord.encode(second)), StandardOpenOption.APPEND);

        assertThatThrownBy(this::start).isInstanceOf(JournalCorruptException.class)
            .hasMessageContaining("still stands on it");
        final JournalRepair.Report report = JournalRepair.repair(dir);

        assertThat(report.repaired()).isTrue();
        assertThat(report.offset()).isEqualTo(sound);
        assertThat(report.goodRecords()).isEqualTo(1);
        assertThat(report.held()).singleElement().asString()
            .contains("HOLD of hold " + second.token(), "held by bob", "still stands on it");
        try (Creneau c = start()) {
            assertThat(c.bookings().replayReport().standingHolds()).isEqualTo(1);
            assertThat(c.bookings().tokenHeldBy(SLOT, "alice")).isEqualTo(first.token());
        }
    }

    private Creneau start() {
        final Creneau c = Creneau.builder().clock(CLOCK).expiryTimer(false).journal(dir).build();
        c.loadDirectory(Fixtures.path("practitioners.json"));
        c.ingestVendorFeed(Fixtures.path("feeds/maiia.json"));
        return c;
    }
}
