package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.index.SlotDescriptor;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;
import fr.creneau.rank.BookingMethod;

/** Holds, confirmations, releases and expiry through the facade, on real JSON feeds (no journal). */
class BookingServiceTest {
    private static final Operator ANNE = World.operator("anne");
    private static final Operator BRUNO = World.operator("bruno");

    @TempDir
    Path dir;

    private final SteppedClock clock = new SteppedClock(World.NOW);
    private final RecordingBookingGateway gateway = new RecordingBookingGateway();
    private final Probe probe = new Probe();

    private Creneau start(final World w) {
        return w.start(World.builder(clock).bookingGateway(gateway));
    }

    private static int stateOf(final Creneau c, final SlotId slot) {
        final int p = c.directory().indexOf(slot.rpps());
        final int r = c.index().findSlot(p, slot.sourceId(c.vendors()), slot.startMinute());
        return r < 0 ? SlotDescriptor.STATE_GONE : SlotDescriptor.state(c.index().stateWord(r));
    }

    @Test
    void aHeldSlotIsNotProposedAndAConfirmedOnlineSlotIsBookedThroughTheGateway() {
        final World w = new World(dir);
        final long doc = w.gp("MARTIN", "Doctolib");
        final SlotId slot = w.slot("Doctolib", doc, 60);
        try (Creneau c = start(w)) {
            assertThat(probe.proposes(c, slot)).isTrue();
            final HoldResult hold = c.bookings().hold(slot, ANNE);
            assertThat(hold.isHeld()).isTrue();
            assertThat(hold.method()).isEqualTo(BookingMethod.ONLINE);
            assertThat(hold.expiresAt()).isEqualTo(World.NOW.plus(Duration.ofMinutes(5)));
            assertThat(probe.proposes(c, slot)).isFalse();
            assertThat(stateOf(c, slot)).isEqualTo(SlotDescriptor.STATE_HELD);

            final ConfirmResult done = c.bookings().confirm(hold.token());
            assertThat(done.isBooked()).isTrue();
            assertThat(done.booking().method()).isEqualTo(BookingMethod.ONLINE);
            assertThat(done.booking().vendorReference()).isEqualTo("DOCTOLIB-000001");
            assertThat(done.booking().phone()).isNull();
            assertThat(gateway.requests()).singleElement()
                .satisfies(r -> assertThat(r.idempotencyKey()).isEqualTo(hold.token()));
            assertThat(stateOf(c, slot)).isEqualTo(SlotDescriptor.STATE_BOOKED);
            assertThat(probe.proposes(c, slot)).isFalse();
            assertThat(c.bookings().booking(slot)).isEqualTo(done.booking());
        }
    }

    @Test
    void aPhoneBookingSaysWhomToCallAndWhatToSayWithoutPatientData() {
        final World w = new World(dir);
        final long maiia = w.practitioner("Jean", "DUPONT", World.LAT, World.LON + 0.01, "Maiia", "INDIVIDUAL", null);
        final long manual = w.practitioner("Alice", "NORMAND", World.LAT, World.LON + 0.02, null, "INDIVIDUAL", null);
        final SlotId aggregated = w.slot("Maiia", maiia, 240, "TELECONSULTATION");
        final SlotId byHand = w.manualSlot(manual, 60);
        try (Creneau c = start(w)) {
            final Booking b = c.bookings().confirm(c.bookings().hold(aggregated, ANNE).token()).booking();
            assertThat(b.method()).isEqualTo(BookingMethod.PHONE);
            assertThat(b.vendorReference()).isNull();
            assertThat(b.phone().practitionerName()).isEqualTo("Jean DUPONT");
            assertThat(b.phone().number()).startsWith("01 40 00 00");
            // 09:00Z + 240 min = 13:00Z = 14:00 in Paris (UTC+1 in November).
            assertThat(b.phone().scriptFr()).contains("lundi 23 novembre 2026 à 14h00 (heure de Paris)")
                .contains("téléconsultation").contains("Patient adressé par le SAS");
            assertThat(b.phone().scriptEn()).contains("Monday 23 November 2026 at 14:00 (Paris time)")
                .contains("teleconsultation").contains("patient adressé par le SAS");
            assertThat(b.phone().scriptFr() + b.phone().scriptEn()).doesNotContain(ANNE.id()).doesNotContain("RICART");

            final Booking m = c.bookings().confirm(c.bookings().hold(byHand, ANNE).token()).booking();
            assertThat(m.method()).isEqualTo(BookingMethod.PHONE);
            assertThat(m.phone().scriptFr()).contains("à 11h00").contains("consultation au cabinet");
            assertThat(gateway.requests()).isEmpty(); // phone bookings never reach a vendor
        }
    }

    @Test
    void confirmingTwiceIsOneBookingWithTheSameResult() {
        final World w = new World(dir);
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final AtomicReference<Integer> messages = new AtomicReference<>(0);
        try (Creneau c = start(w)) {
            c.bookings().addListener(m -> messages.updateAndGet(n -> n + 1));
            final HoldToken token = c.bookings().hold(slot, ANNE).token();
            final ConfirmResult first = c.bookings().confirm(token);
            final ConfirmResult second = c.bookings().confirm(token);
            assertThat(second.booking()).isEqualTo(first.booking());
            assertThat(first.repeated()).isFalse();
            assertThat(second.repeated()).isTrue();
            assertThat(gateway.requests()).hasSize(1);
            assertThat(messages.get()).isEqualTo(1);
            assertThat(c.bookings().stats().confirms()).isEqualTo(1);
            assertThat(c.bookings().stats().repeatedConfirms()).isEqualTo(1);
        }
    }

    @Test
    void aRetriedHoldBySameOperatorReturnsTheSameTokenAndAnotherOperatorIsRefused() {
        final World w = new World(dir);
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = start(w)) {
            final HoldResult first = c.bookings().hold(slot, ANNE);
            clock.advance(Duration.ofMinutes(1));
            final HoldResult again = c.bookings().hold(slot, ANNE);
            assertThat(again.token()).isEqualTo(first.token());
            assertThat(again.retried()).isTrue();
            assertThat(again.expiresAt()).isEqualTo(first.expiresAt()); // a retry does not extend the hold
            final HoldResult other = c.bookings().hold(slot, BRUNO);
            assertThat(other.isHeld()).isFalse();
            assertThat(other.refusal()).isEqualTo(Refusal.ALREADY_HELD);

            c.bookings().confirm(first.token());
            assertThat(c.bookings().hold(slot, BRUNO).refusal()).isEqualTo(Refusal.ALREADY_BOOKED);
            assertThat(c.bookings().hold(slot, ANNE).refusal()).isEqualTo(Refusal.ALREADY_BOOKED);
        }
    }

    @Test
    void aSlotIdIsMatchedWhateverTheVendorNameSpelling() {
        final World w = new World(dir);
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = start(w)) {
            final SlotId spelled = new SlotId("DoctoLib", slot.rpps(), slot.startMinute());
            assertThat(c.bookings().hold(slot, ANNE).isHeld()).isTrue();
            assertThat(c.bookings().hold(spelled, BRUNO).refusal()).isEqualTo(Refusal.ALREADY_HELD);
        }
    }

    @Test
    void aSlotThatIsNotInTheIndexIsRefusedAsGone() {
        final World w = new World(dir);
        final long doc = w.gp("MARTIN", "Doctolib");
        final SlotId slot = w.slot("Doctolib", doc, 60);
        try (Creneau c = start(w)) {
            final SlotId neverListed = new SlotId(slot.source(), slot.rpps(), slot.startMinute() + 5);
            final SlotId unknownVendor = new SlotId("nobody", slot.rpps(), slot.startMinute());
            final SlotId unknownDoctor = new SlotId(slot.source(),
                Long.parseLong(fr.creneau.directory.Rpps.withCheckDigit("1999999999")), slot.startMinute());
            assertThat(c.bookings().hold(neverListed, ANNE).refusal()).isEqualTo(Refusal.GONE);
            assertThat(c.bookings().hold(unknownVendor, ANNE).refusal()).isEqualTo(Refusal.GONE);
            assertThat(c.bookings().hold(unknownDoctor, ANNE).refusal()).isEqualTo(Refusal.GONE);
            clock.advance(Duration.ofMinutes(80)); // the slot has ended
            assertThat(c.bookings().hold(slot, ANNE).refusal()).isEqualTo(Refusal.GONE);
            assertThat(c.bookings().stats().refusals()).containsEntry(Refusal.GONE, 4L);
        }
    }

    @Test
    void anExpiredHoldIsProposedAgainAndItsConfirmationIsRefusedAsExpired() {
        final World w = new World(dir);
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = start(w)) {
            final HoldToken token = c.bookings().hold(slot, ANNE, Duration.ofMinutes(3)).token();
            clock.advance(Duration.ofMinutes(2).plusSeconds(59));
            assertThat(c.bookings().expireHolds()).isZero();
            assertThat(probe.proposes(c, slot)).isFalse();
            clock.advance(Duration.ofSeconds(1));
            assertThat(probe.proposes(c, slot)).isFalse(); // a search alone does not expire holds
            c.advance();                                     // the facade's timer task: sweeps holds
            assertThat(probe.proposes(c, slot)).isTrue();
            assertThat(c.bookings().confirm(token).refusal()).isEqualTo(Refusal.EXPIRED);
            assertThat(c.bookings().release(token).refusal()).isEqualTo(Refusal.EXPIRED);
            assertThat(c.bookings().stats().expiries()).isEqualTo(1);
        }
    }

    @Test
    void anExpiredHoldIsEndedLazilyByTheNextHoldOnItsSlot() {
        final World w = new World(dir);
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = start(w)) {
            final HoldToken first = c.bookings().hold(slot, ANNE).token();
            clock.advance(Duration.ofMinutes(5));
            final HoldResult second = c.bookings().hold(slot, BRUNO);
            assertThat(second.isHeld()).isTrue();
            assertThat(c.bookings().confirm(first).refusal()).isEqualTo(Refusal.EXPIRED);
            assertThat(c.bookings().confirm(second.token()).isBooked()).isTrue();
        }
    }

    @Test
    void releasingAHoldFreesTheSlotAndReleasingTwiceIsOneRelease() {
        final World w = new World(dir);
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = start(w)) {
            final HoldToken token = c.bookings().hold(slot, ANNE).token();
            final ReleaseResult r = c.bookings().release(token);
            assertThat(r.released()).isTrue();
            assertThat(r.cancelled()).isFalse();
            assertThat(probe.proposes(c, slot)).isTrue();
            assertThat(c.bookings().release(token).repeated()).isTrue();
            assertThat(c.bookings().confirm(token).refusal()).isEqualTo(Refusal.RELEASED);
            assertThat(c.bookings().hold(slot, BRUNO).isHeld()).isTrue();
            assertThat(c.bookings().stats().releases()).isEqualTo(1);
        }
    }

    @Test
    void releasingAnOnlineBookingCancelsItAtTheVendorAndFreesTheSlot() {
        final World w = new World(dir);
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = start(w)) {
            final HoldToken token = c.bookings().hold(slot, ANNE).token();
            final String ref = c.bookings().confirm(token).booking().vendorReference();
            final ReleaseResult r = c.bookings().release(token);
            assertThat(r.cancelled()).isTrue();
            assertThat(gateway.cancellations()).containsExactly(ref);
            assertThat(probe.proposes(c, slot)).isTrue();
            assertThat(c.bookings().booking(slot)).isNull();
            assertThat(c.bookings().stats().cancellations()).isEqualTo(1);
        }
    }

    @Test
    void aHeldSlotAbsentFromTheNextSnapshotStaysHeldAndGoesAwayWhenReleased() {
        final World w = new World(dir);
        final long doc = w.gp("MARTIN", "Doctolib");
        final SlotId held = w.slot("Doctolib", doc, 60);
        final SlotId other = w.slot("Doctolib", doc, 120);
        try (Creneau c = start(w)) {
            final HoldToken token = c.bookings().hold(held, ANNE).token();
            w.unlist(held);
            w.ingest(c, "Doctolib", World.NOW.plusSeconds(60));
            assertThat(stateOf(c, held)).isEqualTo(SlotDescriptor.STATE_HELD);
            assertThat(probe.proposes(c, held)).isFalse();
            assertThat(probe.proposes(c, other)).isTrue();
            assertThat(c.bookings().hold(held, BRUNO).refusal()).isEqualTo(Refusal.ALREADY_HELD);

            assertThat(c.bookings().release(token).released()).isTrue();
            assertThat(stateOf(c, held)).isEqualTo(SlotDescriptor.STATE_GONE); // not back to free
            assertThat(probe.proposes(c, held)).isFalse();
            assertThat(c.bookings().hold(held, BRUNO).refusal()).isEqualTo(Refusal.GONE);

            // The vendor lists it again: it comes back as a free slot.
            w.slot("Doctolib", doc, 60);
            w.ingest(c, "Doctolib", World.NOW.plusSeconds(120));
            assertThat(probe.proposes(c, held)).isTrue();
            assertThat(c.bookings().hold(held, BRUNO).isHeld()).isTrue();
        }
    }

    @Test
    void aBookedSlotAbsentFromTheNextSnapshotStaysBookedUntilReleased() {
        final World w = new World(dir);
        final long doc = w.gp("MARTIN", "Doctolib");
        final SlotId slot = w.slot("Doctolib", doc, 60);
        try (Creneau c = start(w)) {
            final HoldToken token = c.bookings().hold(slot, ANNE).token();
            c.bookings().confirm(token);
            w.unlist(slot); // the vendor's snapshot now shows it taken
            w.ingest(c, "Doctolib", World.NOW.plusSeconds(60));
            assertThat(stateOf(c, slot)).isEqualTo(SlotDescriptor.STATE_BOOKED);
            assertThat(c.bookings().booking(slot)).isNotNull();
            c.bookings().release(token);
            assertThat(stateOf(c, slot)).isEqualTo(SlotDescriptor.STATE_GONE);
        }
    }

    @Test
    void aVendorRefusalEndsTheHoldAndAGatewayFailureKeepsItForARetryWithTheSameKey() {
        final World w = new World(dir);
        final SlotId refused = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final SlotId flaky = w.slot("Doctolib", w.gp("BERNARD", "Doctolib"), 60);
        final int[] calls = {0};
        final BookingGateway vendor = new BookingGateway() {
            @Override
            public Response book(final Request request) throws IOException {
                if (request.slot().equals(refused)) {
                    return Response.refused("slot taken at the vendor");
                }
                if (calls[0]++ == 0) {
                    throw new IOException("timeout");
                }
                return gateway.book(request);
            }

            @Override
            public Response cancel(final Request request, final String reference) {
                return Response.accepted(reference);
            }
        };
        try (Creneau c = w.start(World.builder(clock).bookingGateway(vendor))) {
            final HoldToken a = c.bookings().hold(refused, ANNE).token();
            final ConfirmResult no = c.bookings().confirm(a);
            assertThat(no.refusal()).isEqualTo(Refusal.VENDOR_REFUSED);
            assertThat(no.detail()).isEqualTo("slot taken at the vendor");
            assertThat(probe.proposes(c, refused)).isTrue();
            assertThat(c.bookings().confirm(a).refusal()).isEqualTo(Refusal.VENDOR_REFUSED);

            final HoldToken b = c.bookings().hold(flaky, ANNE).token();
            final ConfirmResult later = c.bookings().confirm(b);
            assertThat(later.refusal()).isEqualTo(Refusal.VENDOR_UNAVAILABLE);
            assertThat(later.detail()).contains("timeout");
            assertThat(c.bookings().hold(flaky, BRUNO).refusal()).isEqualTo(Refusal.ALREADY_HELD);
            assertThat(c.bookings().confirm(b).isBooked()).isTrue();
            assertThat(gateway.requests()).extracting(BookingGateway.Request::idempotencyKey).containsExactly(b);
        }
    }

    @Test
    void withoutAGatewayAnOnlineSlotCannotBeConfirmedButStaysHeld() {
        final World w = new World(dir);
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = w.start(World.builder(clock))) {
            final HoldToken token = c.bookings().hold(slot, ANNE).token();
            final ConfirmResult r = c.bookings().confirm(token);
            assertThat(r.refusal()).isEqualTo(Refusal.VENDOR_UNAVAILABLE);
            assertThat(r.detail()).contains("no BookingGateway configured");
            assertThat(probe.proposes(c, slot)).isFalse();
        }
    }

    @Test
    void anUnknownTokenIsRefusedAndTheCountersAddUp() {
        final World w = new World(dir);
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = start(w)) {
            final HoldToken stranger = HoldToken.random(new java.security.SecureRandom());
            assertThat(c.bookings().confirm(stranger).refusal()).isEqualTo(Refusal.UNKNOWN_TOKEN);
            assertThat(c.bookings().release(stranger).refusal()).isEqualTo(Refusal.UNKNOWN_TOKEN);
            final HoldToken t = c.bookings().hold(slot, ANNE).token();
            c.bookings().hold(slot, BRUNO);
            c.bookings().confirm(t);
            final BookingStats s = c.bookings().stats();
            assertThat(s.holds()).isEqualTo(1);
            assertThat(s.confirms()).isEqualTo(1);
            assertThat(s.standingBookings()).isEqualTo(1);
            assertThat(s.standingHolds()).isZero();
            assertThat(s.refusals()).containsEntry(Refusal.UNKNOWN_TOKEN, 2L).containsEntry(Refusal.ALREADY_HELD, 1L);
            assertThat(s.refusalsTotal()).isEqualTo(3);
        }
    }

    @Test
    void aSearchRowCanBeHeldDirectly() {
        final World w = new World(dir);
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        try (Creneau c = start(w)) {
            assertThat(probe.proposes(c, slot)).isTrue();
            final HoldResult r = c.bookings().hold(probe.results, 0, ANNE);
            assertThat(r.slot()).isEqualTo(slot);
            assertThat(r.isHeld()).isTrue();
        }
    }

    @Test
    void afterCloseBookingCallsAreRefusedWithATypedError() {
        final World w = new World(dir);
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final Creneau c = start(w);
        c.close();
        assertThatThrownBy(() -> c.bookings().hold(slot, ANNE)).isInstanceOf(BookingClosedException.class);
        assertThat(List.of(c.bookings().bookings())).containsExactly(List.of());
    }
}
