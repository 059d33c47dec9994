package fr.creneau.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.directory.Directory;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.Fixtures;
import fr.creneau.feed.IngestConfig;
import fr.creneau.feed.IngestReport;
import fr.creneau.feed.Ingestor;
import fr.creneau.feed.NativeFeedParser;
import fr.creneau.slot.Minutes;

/**
 * Expiry as the clock walks hour by hour through the calendar's hard places, with slots that came
 * in through the real parser and ingestion from JSON files written in Paris local time.
 */
class IndexExpiryCalendarTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final long ALICE = 10000000017L;

    @TempDir
    Path dir;

    /** Writes a Doctolib snapshot for Alice: a 20-minute slot at every quarter past the hour, local time. */
    private Path feed(final Instant generatedAt, final ZonedDateTime from, final int hours) throws IOException {
        final StringBuilder sb = new StringBuilder("{\"vendor\": \"Doctolib\", \"integration\": \"END_TO_END\", "
            + "\"generatedAt\": \"" + generatedAt + "\", \"slots\": [");
        ZonedDateTime t = from.withMinute(15);
        for (int i = 0; i < hours; i++, t = t.plusHours(1)) {
            sb.append(i == 0 ? "" : ",").append("{\"id\": \"q").append(i).append("\", \"rpps\": \"").append(ALICE)
                .append("\", \"start\": \"").append(t.toOffsetDateTime()).append("\", \"end\": \"")
                .append(t.plusMinutes(20).toOffsetDateTime())
                .append("\", \"modality\": \"OFFICE\", \"visibility\": \"PUBLIC\"}");
        }
        final Path file = dir.resolve("doctolib-" + generatedAt.getEpochSecond() + ".json");
        Files.writeString(file, sb.append("]}").toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** Walks the clock hour by hour from {@code start} for {@code hours}, checking what the index shows. */
    private void walk(final ZonedDateTime start, final int hours) throws IOException {
        final SteppedClock clock = new SteppedClock(start.toInstant());
        final Directory directory = Fixtures.directory();
        final SlotIndex index = new SlotIndex(directory, clock);
        final Ingestor ingestor = new Ingestor(directory, VendorRegistry.defaults(), IngestConfig.DEFAULTS, clock, index);
        final IngestReport report = ingestor.applyVendorSnapshot(
            new NativeFeedParser().parseVendorFeed(feed(start.toInstant(), start, 52)));
        // 52 hourly slots written; only those starting before now + 48 h are kept.
        final List<Instant> kept = new ArrayList<>();
        for (ZonedDateTime t = start.withMinute(15); kept.size() < 52; t = t.plusHours(1)) {
            kept.add(t.toInstant());
        }
        kept.removeIf(i -> !i.isBefore(start.toInstant().plus(Duration.ofHours(48))));
        assertThat(report.accepted()).isEqualTo(kept.size());

        final int alice = directory.indexOf(ALICE);
        final SlotCursor cursor = index.cursor();
        for (int h = 0; h <= hours; h++) {
            final Instant now = start.toInstant().plus(Duration.ofHours(h)).plus(Duration.ofMinutes(30));
            clock.set(now);
            index.advance();
            final int nowMinute = Minutes.floor(now);
            int visible = 0;
            cursor.open(index.cells().cellOf(alice), nowMinute - 60, nowMinute + 48 * 60, nowMinute);
            while (cursor.next()) {
                visible++;
            }
            final long expected = kept.stream().filter(s -> s.plus(Duration.ofMinutes(20)).isAfter(now)).count();
            assertThat(visible).as("slots still to come at %s", now.atZone(PARIS)).isEqualTo(expected);
            assertThat(index.stats().liveSlots()).as("live at %s", now.atZone(PARIS))
                .isBetween(expected, expected + 2); // the current and previous hour are kept until they expire
        }
    }

    @Test
    void expiryAcrossMidnight() throws IOException {
        walk(ZonedDateTime.of(LocalDateTime.of(2026, 11, 23, 21, 0), PARIS), 8);
    }

    @Test
    void expiryAcrossTheSpringForward() throws IOException {
        // 29 March 2026: 02:00 becomes 03:00; the day has 23 hours.
        walk(ZonedDateTime.of(LocalDateTime.of(2026, 3, 28, 22, 0), PARIS), 10);
    }

    @Test
    void expiryAcrossTheFallBack() throws IOException {
        // 25 October 2026: 03:00 becomes 02:00; the day has 25 hours and 02:15 happens twice.
        walk(ZonedDateTime.of(LocalDateTime.of(2026, 10, 24, 22, 0), PARIS), 10);
    }

    @Test
    void expiryAcrossAFortyEightHourWindowContainingAPublicHoliday() throws IOException {
        // Christmas 2026 is a Friday: the window runs from Thursday 24 to Saturday 26 December.
        walk(ZonedDateTime.of(LocalDate.of(2026, 12, 24).atTime(LocalTime.of(8, 0)), PARIS), 50);
    }
}
