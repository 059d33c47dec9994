package fr.creneau;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import fr.creneau.booking.BookingConfig;
import fr.creneau.booking.Operator;
import fr.creneau.feed.Fixtures;
import fr.creneau.feed.IngestConfig;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.SearchResults;
import fr.creneau.slot.SupportedTime;
import fr.creneau.slot.TimeOutOfRangeException;

/**
 * Defect 18: instants and durations outside what the index's int minutes (since 2020-01-01) can
 * carry are refused where they enter, with the bounds in the message, instead of overflowing or
 * indexing out of bounds deep in the engine.
 */
class SupportedTimeTest {
    private static final Instant BEFORE_2020 = Instant.parse("2019-06-01T00:00:00Z");
    private static final Instant YEAR_9999 = Instant.parse("9999-06-01T00:00:00Z");
    private static final Operator ANNE = new Operator("anne", "Durand", "Anne", "anne@samu.fr");

    private static void assertOutOfRange(final org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(TimeOutOfRangeException.class).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(SupportedTime.EARLIEST.toString()).hasMessageContaining(SupportedTime.END.toString());
    }

    @Test
    void theQueryRefusesANowOutsideTheSupportedRange() {
        final RegulatorQuery query = new RegulatorQuery();
        assertOutOfRange(() -> query.now(BEFORE_2020));
        assertOutOfRange(() -> query.now(YEAR_9999));
        assertOutOfRange(() -> query.now(Instant.MIN));
        assertOutOfRange(() -> query.now(SupportedTime.END));
        assertOutOfRange(() -> query.nowEpochMillis(BEFORE_2020.toEpochMilli()));
        assertOutOfRange(() -> query.nowEpochMillis(Long.MAX_VALUE));
        assertOutOfRange(() -> query.nowEpochMillis(Long.MIN_VALUE));
        query.now(SupportedTime.EARLIEST).now(SupportedTime.END.minusMillis(1))
            .nowEpochMillis(SupportedTime.END.toEpochMilli() - 1);
    }

    @Test
    void aSearchAtTheEdgesOfTheRangeAnswersWithoutFailing() throws java.io.IOException {
        for (final Instant at : new Instant[] {SupportedTime.EARLIEST, SupportedTime.END.minusSeconds(1)}) {
            try (Creneau creneau = Creneau.builder().clock(Clock.fixed(at, ZoneOffset.UTC)).expiryTimer(false).build()) {
                creneau.loadDirectory(Fixtures.path("practitioners.json"));
                // The fixture's snapshot, dated at the edge (a 2026 snapshot would be from the future in 2020).
                final String feed = java.nio.file.Files.readString(Fixtures.path("feeds/doctolib.json"))
                    .replace("2026-11-23T08:55:00Z", at.toString());
                creneau.ingestVendorFeed("doctolib-at-edge", new java.io.ByteArrayInputStream(
                    feed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                final SearchResults results = new SearchResults();
                final int rows = creneau.search(new RegulatorQuery().patient(48.8566, 2.3522).now(at), results);
                assertThat(rows).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    void aClockOutsideTheRangeIsRefusedAtBuildAndAtEachIngest() {
        assertOutOfRange(() -> Creneau.builder().clock(Clock.fixed(BEFORE_2020, ZoneOffset.UTC)).expiryTimer(false).build());
        final SteppedClock clock = new SteppedClock(Fixtures.NOW);
        try (Creneau creneau = Creneau.builder().clock(clock).expiryTimer(false).build()) {
            final Path directory = Fixtures.path("practitioners.json");
            creneau.loadDirectory(directory);
            clock.set(BEFORE_2020);
            assertOutOfRange(() -> creneau.ingestVendorFeed(Fixtures.path("feeds/doctolib.json")));
            assertOutOfRange(() -> creneau.ingestManual(Fixtures.path("manual/sas-agenda.json")));
            assertOutOfRange(() -> creneau.loadDirectory(directory));
            assertOutOfRange(creneau::advance);
            clock.set(YEAR_9999);
            assertOutOfRange(() -> creneau.ingestVendorFeed(Fixtures.path("feeds/doctolib.json")));
            assertOutOfRange(() -> creneau.bookings().hold(SlotId.parse("doctolib.10000000017.20261123T1300Z"), ANNE));
            clock.set(Fixtures.NOW);
            creneau.ingestVendorFeed(Fixtures.path("feeds/doctolib.json"));
            assertThat(creneau.stats().liveSlots()).isPositive();
        }
    }

    @Test
    void holdTimesToLiveAndRetentionAreBounded() {
        try (Creneau creneau = Creneau.builder().clock(Fixtures.clockAt(Fixtures.NOW)).expiryTimer(false).build()) {
            creneau.loadDirectory(Fixtures.path("practitioners.json"));
            creneau.ingestVendorFeed(Fixtures.path("feeds/doctolib.json"));
            final SlotId slot = SlotId.parse("doctolib.10000000017.20261123T1300Z");
            assertThatThrownBy(() -> creneau.bookings().hold(slot, ANNE, Duration.ofSeconds(Long.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl").hasMessageContaining("PT24H");
            assertThat(creneau.bookings().hold(slot, ANNE, Duration.ofHours(24)).isHeld()).isTrue();
        }
        assertThatThrownBy(() -> BookingConfig.DEFAULTS.withHoldTtl(Duration.ofDays(365_000)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holdTtl");
        assertThatThrownBy(() -> BookingConfig.DEFAULTS.withRetention(Duration.ofSeconds(Long.MAX_VALUE)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        assertThatThrownBy(() -> Creneau.builder().holdTtl(Duration.ofDays(2)))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theIngestHorizonIsAtMostTheIndexWindow() {
        assertThatThrownBy(() -> new IngestConfig(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofHours(12)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("horizon");
        assertThatThrownBy(() -> new IngestConfig(Duration.ofHours(49), Duration.ofHours(12)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT48H");
        assertThatThrownBy(() -> new IngestConfig(Duration.ofHours(48), Duration.ofSeconds(Long.MAX_VALUE)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSlotLength");
        new IngestConfig(Duration.ofHours(48), Duration.ofHours(12));
    }

    @Test
    void aSlotIdOutsideTheRangeIsMalformedNotAnOverflow() {
        for (final String id : new String[] {"doctolib.10000000017.99991231T2359Z", "doctolib.10000000017.19991231T2359Z",
            "doctolib.10000000017.21000101T0000Z"}) {
            assertThatThrownBy(() -> SlotId.parse(id)).isInstanceOf(SlotId.MalformedSlotIdException.class)
                .hasMessageContaining(SupportedTime.EARLIEST.toString());
        }
        assertThat(SlotId.parse("doctolib.10000000017.20991231T2359Z").start())
            .isEqualTo(Instant.parse("2099-12-31T23:59:00Z"));
    }

    @Test
    void aSlotIdBuiltByAHostCannotCarryAMinuteTheIndexCannotHold() {
        // A negative minute reached SlotIndex.findSlot and indexed its chain heads out of bounds.
        assertThatThrownBy(() -> new SlotId("doctolib", 10000000017L, -1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(SupportedTime.END.toString());
        assertThatThrownBy(() -> new SlotId("doctolib", 10000000017L, Integer.MAX_VALUE))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(new SlotId("doctolib", 10000000017L, 0).start()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    }
}
