package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import fr.creneau.slot.Minutes;

/** The deep-link side table beside the index: one string per agenda, per slot when they differ. */
class BookingUrlsTest {
    private static final Instant T = Instant.parse("2026-11-23T13:00:00Z");

    /** The sink behind: counts what reaches the index. */
    private static final class Counting implements SlotSink {
        final List<Integer> replaced = new ArrayList<>();

        @Override
        public boolean replace(final int source, final int practitioner, final List<SlotRecord> slots) {
            replaced.add(practitioner);
            return true;
        }
    }

    private static SlotRecord slot(final int minutesFromT, final String url) {
        final Instant start = T.plusSeconds(60L * minutesFromT);
        return new SlotRecord("s" + minutesFromT, 7, start, start.plusSeconds(1200), Modality.OFFICE.bit(),
            Visibility.PUBLIC, 1, url);
    }

    private static int minute(final int minutesFromT) {
        return Minutes.floor(T.plusSeconds(60L * minutesFromT));
    }

    @Test
    void oneAgendaUrlForEverySlotIsKeptOnceAndReachesEverySlot() {
        final Counting index = new Counting();
        final BookingUrls urls = new BookingUrls(index);
        final String agenda = "https://agenda.example/dr-a";
        urls.replace(1, 7, List.of(slot(0, agenda), slot(30, new String(agenda)), slot(60, agenda)));
        assertThat(index.replaced).containsExactly(7);
        assertThat(urls.url(1, 7, minute(30))).isEqualTo(agenda);
        assertThat(urls.url(1, 7, minute(31))).isEqualTo(agenda); // per agenda: any minute of its slots
        assertThat(urls.url(2, 7, minute(0))).isNull();
        assertThat(urls.entries()).isEqualTo(1);
        final long one = urls.heapBytes();
        for (int p = 8; p < 1008; p++) {
            urls.replace(1, p, List.of(slot(0, agenda + p), slot(30, agenda + p)));
        }
        // ~140 B an agenda (map entry and one string), whatever its number of slots.
        assertThat((urls.heapBytes() - one) / 1000.0).isBetween(60.0, 200.0);
    }

    @Test
    void urlsThatDifferFromSlotToSlotAreKeptPerSlotAndAnEmptyReplacementForgetsThem() {
        final BookingUrls urls = new BookingUrls(new Counting());
        urls.replace(1, 7, List.of(slot(0, "https://v.example/s0"), slot(30, null), slot(60, "https://v.example/s60")));
        assertThat(urls.url(1, 7, minute(0))).isEqualTo("https://v.example/s0");
        assertThat(urls.url(1, 7, minute(30))).isNull();
        assertThat(urls.url(1, 7, minute(60))).isEqualTo("https://v.example/s60");
        assertThat(urls.url(1, 7, minute(61))).isNull();
        urls.replace(1, 7, List.of());
        assertThat(urls.url(1, 7, minute(0))).isNull();
        assertThat(urls.entries()).isZero();
    }

    @Test
    void aUrlThatCannotBeShownAsALinkIsNotKeptAndManualSlotsHaveNone() {
        final BookingUrls urls = new BookingUrls(new Counting());
        for (final String bad : List.of("javascript:alert(1)", "https://a.example/x y", "https://a.example/\u202Eevil",
            "ftp://a.example/", "/relative", "https://a.example/" + "x".repeat(BookingUrls.MAX_URL_LENGTH))) {
            urls.replace(1, 7, List.of(slot(0, bad)));
            assertThat(urls.url(1, 7, minute(0))).as(bad).isNull();
        }
        urls.replace(SlotRecord.MANUAL, 7, List.of(new SlotRecord("m", 7, T, T.plusSeconds(600), Modality.OFFICE.bit(),
            Visibility.PUBLIC, SlotRecord.MANUAL, "https://a.example/")));
        assertThat(urls.url(SlotRecord.MANUAL, 7, minute(0))).isNull();
    }

    @Test
    void theOriginParameterIsAddedBeforeAFragmentAndAfterAQuery() {
        assertThat(BookingUrls.withOrigin("https://a.example/dr", "sas")).isEqualTo("https://a.example/dr?origin=sas");
        assertThat(BookingUrls.withOrigin("https://a.example/dr?x=1", "sas")).isEqualTo("https://a.example/dr?x=1&origin=sas");
        assertThat(BookingUrls.withOrigin("https://a.example/dr?", "sas")).isEqualTo("https://a.example/dr?origin=sas");
        assertThat(BookingUrls.withOrigin("https://a.example/dr#slot", "sas")).isEqualTo("https://a.example/dr?origin=sas#slot");
        assertThat(BookingUrls.withOrigin("https://a.example/dr", null)).isEqualTo("https://a.example/dr");
        assertThat(BookingUrls.withOrigin(null, "sas")).isNull();
    }
}
