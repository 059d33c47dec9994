package fr.creneau.pull;

import java.time.Instant;
import java.util.List;

import fr.creneau.feed.IngestReport;

/**
 * One batch answered and applied: what was asked, when, and the pages as received (for a host that
 * keeps them, as the example CLI does under {@code pulled/<vendor>/}).
 *
 * @param vendor      the vendor's display name
 * @param asked       the RPPS the search named
 * @param requestedAt when the first page was asked (the answer's time when the Bundle has none)
 * @param receivedAt  when the last page arrived, by the puller's clock
 * @param pages       the Bundle pages, bytes as received (never modified by the puller)
 * @param report      what the ingestion did with them
 */
public record PulledAnswer(String vendor, List<Long> asked, Instant requestedAt, Instant receivedAt,
                           List<byte[]> pages, IngestReport report) {
    public PulledAnswer {
        asked = List.copyOf(asked);
        pages = List.copyOf(pages);
    }
}
