package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import fr.creneau.directory.Directory;
import fr.creneau.directory.VendorRegistry;

/** Slot times at both DST changes of Europe/Paris in 2026 (29 March, 25 October). */
class DstTest {
    private final NativeFeedParser parser = new NativeFeedParser();
    private final Directory directory = Fixtures.directory();

    private Result ingest(final String file, final Instant now) {
        final HeapSlotSink sink = new HeapSlotSink();
        final Ingestor ingestor = new Ingestor(directory, VendorRegistry.defaults(), IngestConfig.DEFAULTS,
            Fixtures.clockAt(now), sink);
        return new Result(ingestor.applyVendorSnapshot(parser.parseVendorFeed(Fixtures.path(file))), sink);
    }

    private record Result(IngestReport report, HeapSlotSink sink) {
        SlotRecord slot(final String id) {
            return sink.all().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        }
    }

    @Test
    void aLocalTimeInTheSpringForwardGapDoesNotExist() {
        final Result r = ingest("feeds/doctolib-dst-spring.json", Instant.parse("2026-03-28T12:00:00Z"));
        // s1 (02:30+01:00) and s2 (02:30 local) are in the gap; s5 has the winter offset in summer time.
        assertThat(r.report().rejected(RejectReason.NONEXISTENT_LOCAL_TIME)).isEqualTo(2);
        assertThat(r.report().rejected(RejectReason.OFFSET_MISMATCH)).isEqualTo(1);
        assertThat(r.sink().all()).extracting(SlotRecord::id).containsExactly("s3", "s4");
    }

    @Test
    void aSlotAcrossTheSpringForwardLastsItsRealDuration() {
        final Result r = ingest("feeds/doctolib-dst-spring.json", Instant.parse("2026-03-28T12:00:00Z"));
        final SlotRecord s3 = r.slot("s3");
        // 01:30 (+01:00) to 03:10 (+02:00) is 40 minutes, not 100.
        assertThat(Duration.between(s3.start(), s3.end())).isEqualTo(Duration.ofMinutes(40));
    }

    @Test
    void bothOccurrencesOfTheRepeatedHourAreDistinctSlotsWhenTheOffsetSaysWhichOne() {
        final Result r = ingest("feeds/doctolib-dst-autumn.json", Instant.parse("2026-10-24T12:00:00Z"));
        assertThat(r.slot("a1").start()).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(r.slot("a2").start()).isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
    }

    @Test
    void aLocalTimeWithoutOffsetInTheRepeatedHourIsAmbiguous() {
        final Result r = ingest("feeds/doctolib-dst-autumn.json", Instant.parse("2026-10-24T12:00:00Z"));
        assertThat(r.report().rejected(RejectReason.AMBIGUOUS_LOCAL_TIME)).isEqualTo(1);
    }

    @Test
    void overlapAcrossTheFallBackIsJudgedOnInstantsNotOnWallClock() {
        final Result r = ingest("feeds/doctolib-dst-autumn.json", Instant.parse("2026-10-24T12:00:00Z"));
        // a4 02:40+02:00 .. 02:10+01:00 looks backwards on the wall clock, lasts 30 minutes and
        // overlaps a1; a5 02:10+01:00 .. 02:30+01:00 ends exactly where a2 starts.
        assertThat(r.report().rejected(RejectReason.OVERLAPPING)).isEqualTo(1);
        assertThat(r.report().rejected(RejectReason.END_BEFORE_START)).isZero();
        assertThat(r.sink().all()).extracting(SlotRecord::id).containsExactly("a1", "a5", "a2");
    }
}
