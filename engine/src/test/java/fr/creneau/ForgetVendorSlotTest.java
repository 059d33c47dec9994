package fr.creneau;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import fr.creneau.booking.HoldResult;
import fr.creneau.booking.Operator;
import fr.creneau.booking.Refusal;
import fr.creneau.feed.Fixtures;
import fr.creneau.index.SlotDescriptor;
import fr.creneau.slot.SlotId;

/**
 * What the check at hold does to the index when the vendor no longer lists a slot
 * ({@link Creneau#forgetVendorSlot}): a free slot goes at once; a held one stays held and goes,
 * rather than becoming free, when its hold ends; the next answer that lists it brings it back.
 */
class ForgetVendorSlotTest {
    private static final String FEED = """
        {"vendor": "Doctolib", "integration": "END_TO_END", "generatedAt": "%s",
         "slots": [
          {"id": "a1", "rpps": "10000000017", "start": "2026-11-23T14:00:00+01:00", "end": "2026-11-23T14:20:00+01:00",
           "modality": "OFFICE", "visibility": "PUBLIC"},
          {"id": "a2", "rpps": "10000000017", "start": "2026-11-23T15:00:00+01:00", "end": "2026-11-23T15:20:00+01:00",
           "modality": "OFFICE", "visibility": "PUBLIC"}
         ]}
        """;
    private static final SlotId A1 = SlotId.parse("doctolib.10000000017.20261123T1300Z");
    private static final SlotId A2 = SlotId.parse("doctolib.10000000017.20261123T1400Z");

    private static void feed(final Creneau c, final String generatedAt) {
        c.ingestVendorFeed("doctolib", new ByteArrayInputStream(FEED.formatted(generatedAt).getBytes(StandardCharsets.UTF_8)));
    }

    private static int state(final Creneau c, final SlotId slot) {
        final int r = c.index().findSlot(c.directory().indexOf(slot.rpps()), c.vendors().require("Doctolib").id(),
            slot.startMinute());
        return r == SlotDescriptor.NIL ? -1 : SlotDescriptor.state(c.index().stateWord(r));
    }

    @Test
    void aFreeSlotIsForgottenAtOnceAHeldOneWhenItsHoldEndsAndTheNextAnswerBringsThemBack() {
        try (Creneau c = Creneau.builder().clock(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC)).expiryTimer(false).build()) {
            c.loadDirectory(Fixtures.path("practitioners.json"));
            feed(c, "2026-11-23T08:55:00Z");
            final long live = c.stats().liveSlots();

            assertThat(c.forgetVendorSlot(A1)).isTrue();
            assertThat(state(c, A1)).isEqualTo(-1);
            assertThat(c.stats().liveSlots()).isEqualTo(live - 1);
            assertThat(c.bookings().hold(A1, new Operator("osnp-1", "M", "A", "")).refusal()).isEqualTo(Refusal.GONE);

            final HoldResult held = c.bookings().hold(A2, new Operator("osnp-1", "M", "A", ""));
            assertThat(held.isHeld()).isTrue();
            assertThat(c.forgetVendorSlot(A2)).isFalse(); // held: it stays, for its holder
            assertThat(state(c, A2)).isEqualTo(SlotDescriptor.STATE_HELD);
            assertThat(c.bookings().release(held.token()).released()).isTrue();
            assertThat(state(c, A2)).as("released after its vendor dropped it: gone, not free").isEqualTo(-1);

            assertThat(c.forgetVendorSlot(SlotId.parse("manual.10000000017.20261123T1300Z"))).isFalse();
            feed(c, "2026-11-23T08:58:00Z");
            assertThat(state(c, A1)).isEqualTo(SlotDescriptor.STATE_FREE);
            assertThat(state(c, A2)).isEqualTo(SlotDescriptor.STATE_FREE);
            assertThat(c.stats().liveSlots()).isEqualTo(live);
        }
    }
}
