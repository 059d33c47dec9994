package fr.creneau.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.directory.Directory;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.IngestConfig;
import fr.creneau.feed.IngestReport;
import fr.creneau.feed.Ingestor;
import fr.creneau.feed.NativeFeedParser;
import fr.creneau.slot.Minutes;

/**
 * The memory layout a query relies on for speed: after a vendor snapshot, the records of one
 * (bucket, cell) chain sit side by side in the bucket's pages, whatever the order of the
 * practitioners in the directory and in the feed, because the ingestor replaces practitioners in
 * the index's locality order (their cell, then their entry in it).
 */
class ChainLayoutTest {
    private static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");
    private static final int PRACTITIONERS = 12;
    private static final int SLOTS_EACH = 4;

    @Test
    void aCellsRecordsOfOneHourAreContiguousAfterASnapshot(@TempDir final Path dir) throws IOException {
        // Even practitioners in one cell of central Paris, odd ones ~8 km east: the directory and
        // the feed interleave the two cells, one practitioner at a time.
        final Directory.Builder b = Directory.builder();
        for (int i = 0; i < PRACTITIONERS; i++) {
            b.add(i % 2 == 0 ? TestDirectories.gp(i, 48.8566, 2.3522) : TestDirectories.gp(i, 48.8566, 2.4622));
        }
        final Directory directory = b.build();
        final StringBuilder json = new StringBuilder("{\"vendor\": \"Doctolib\", \"integration\": \"END_TO_END\", "
            + "\"generatedAt\": \"2026-11-23T08:55:00Z\", \"slots\": [");
        for (int i = 0; i < PRACTITIONERS; i++) {
            final long rpps = directory.get(i).rpps();
            for (int k = 0; k < SLOTS_EACH; k++) {
                // 12:00-13:00 in Paris: one bucket, four quarter-hours per practitioner.
                json.append(i + k == 0 ? "" : ",").append(String.format(
                    "{\"id\": \"p%d-%d\", \"rpps\": \"%d\", \"start\": \"2026-11-23T%s:00+01:00\", "
                        + "\"end\": \"2026-11-23T%s:00+01:00\", \"modality\": \"OFFICE\", \"visibility\": \"PUBLIC\"}",
                    i, k, rpps, LocalTime.NOON.plusMinutes(15 * k), LocalTime.NOON.plusMinutes(15 * k + 15)));
            }
        }
        final Path feed = dir.resolve("doctolib.json");
        Files.writeString(feed, json.append("]}").toString());

        final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        final SlotIndex index = new SlotIndex(directory, clock);
        final IngestReport report = new Ingestor(directory, VendorRegistry.defaults(), IngestConfig.DEFAULTS, clock, index)
            .applyVendorSnapshot(new NativeFeedParser().parseVendorFeed(feed));
        assertThat(report.accepted()).as(report.toString()).isEqualTo(PRACTITIONERS * SLOTS_EACH);
        assertThat(index.cells().cellOf(0)).isNotEqualTo(index.cells().cellOf(1));

        for (final int cell : new int[] {index.cells().cellOf(0), index.cells().cellOf(1)}) {
            final List<Integer> records = new ArrayList<>();
            final SlotCursor cursor = index.cursor();
            final int now = Minutes.floor(NOW);
            cursor.open(cell, now, now + 48 * 60, now);
            while (cursor.next()) {
                records.add(cursor.record());
            }
            assertThat(records).hasSize(PRACTITIONERS / 2 * SLOTS_EACH);
            // One run of consecutive records (each practitioner's forward, the practitioners in
            // reverse write order: SlotIndex, "Chain order"), and no hop longer than a practitioner's run.
            final int min = records.stream().mapToInt(Integer::intValue).min().orElseThrow();
            final int max = records.stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertThat(max - min + 1).as("span of cell %d's chain %s", cell, records).isEqualTo(records.size());
            for (int i = 1; i < records.size(); i++) {
                assertThat(Math.abs(records.get(i) - records.get(i - 1)))
                    .as("hop %d of cell %d's chain %s", i, cell, records).isBetween(1, 2 * SLOTS_EACH - 1);
            }
        }
    }
}
