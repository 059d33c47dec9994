package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.index.SteppedClock;
import fr.creneau.slot.SlotId;

/**
 * The seam's contract from the service's side, with a store of this test that plays another
 * process's part (the PostgreSQL store's own tests run the real thing): what the store refuses is
 * refused, what it announces is hidden, and the order of its answers and announcements is honoured.
 */
class BookingStoreSeamTest {
    @TempDir
    Path dir;

    private final SteppedClock clock = new SteppedClock(World.NOW);
    private final Probe probe = new Probe();

    /** A store shared with a pretend other process: its script decides each hold's answer. */
    static final class Scripted implements BookingStore {
        final List<BookingRecord> written = new ArrayList<>();
        BookingStore.ClaimListener others;
        /** What the next hold gets; {@code null}: made. */
        java.util.function.Function<BookingRecord.Hold, Answer> onHold = h -> null;

        @Override
        public synchronized Answer write(final BookingRecord r) {
            if (r instanceof BookingRecord.Hold h) {
                final Answer a = onHold.apply(h);
                if (a != null) {
                    return a;
                }
            }
            written.add(r);
            return Answer.recorded();
        }

        @Override
        public Replayed replayed() {
            return Replayed.NONE;
        }

        @Override
        public String describe() {
            return "scripted";
        }

        @Override
        public void close() {
        }
    }

    private Creneau start(final World w, final Scripted store) {
        return w.start(World.builder(clock).bookingStore((replayer, others) -> {
            store.others = others;
            return store;
        }));
    }

    @Test
    void aClaimLearntFromARefusedHoldIsHiddenButNotOnceItsEndWasAnnounced() {
        final World w = new World(dir);
        final long doc = w.gp("MARTIN", "Maiia");
        final SlotId first = w.slot("Maiia", doc, 60);
        final SlotId second = w.slot("Maiia", doc, 120);
        final Scripted store = new Scripted();
        try (Creneau c = start(w, store)) {
            final HoldToken theirs = new HoldToken(UUID.randomUUID());
            final Instant expires = World.NOW.plusSeconds(300);
            // Another process holds the first slot and this index has not heard: the store refuses.
            store.onHold = h -> BookingStore.Answer.taken(theirs, false, expires);
            assertThat(c.bookings().hold(first, World.operator("anne")).refusal()).isEqualTo(Refusal.ALREADY_HELD);
            assertThat(probe.proposes(c, first)).as("learnt from the refusal: hidden").isFalse();
            assertThat(c.bookings().hold(first, World.operator("bruno")).refusal())
                .as("refused here without asking the store").isEqualTo(Refusal.ALREADY_HELD);

            // The other process's claim on the second slot ends while the refusal is on its way:
            // the announcement of its end is processed first; the late refusal must not hide it.
            final HoldToken gone = new HoldToken(UUID.randomUUID());
            store.onHold = h -> {
                store.others.ended(second, gone);
                return BookingStore.Answer.taken(gone, true, null);
            };
            assertThat(c.bookings().hold(second, World.operator("anne")).refusal()).isEqualTo(Refusal.ALREADY_BOOKED);
            assertThat(probe.proposes(c, second)).as("its end was announced before the refusal arrived").isTrue();

            // The store away: refused typed, nothing written, the slot still proposed.
            store.onHold = h -> BookingStore.Answer.unavailable("away");
            assertThat(c.bookings().hold(second, World.operator("anne")).refusal())
                .isEqualTo(Refusal.STORE_UNAVAILABLE);
            assertThat(probe.proposes(c, second)).isTrue();
            assertThat(store.written).isEmpty();

            // Announced ended: the first slot is proposed and held again.
            store.others.ended(first, theirs);
            assertThat(probe.proposes(c, first)).isTrue();
            store.onHold = h -> null;
            assertThat(c.bookings().hold(first, World.operator("anne")).isHeld()).isTrue();
            assertThat(store.written).singleElement().isInstanceOf(BookingRecord.Hold.class);
        }
    }

    @Test
    void theStoresExpiryOfAHoldIsTheServicesAndItsAnnouncementEndsItHere() {
        final World w = new World(dir);
        final long doc = w.gp("MARTIN", "Maiia");
        final SlotId slot = w.slot("Maiia", doc, 60);
        final Scripted store = new Scripted();
        final AtomicReference<HoldToken> held = new AtomicReference<>();
        try (Creneau c = start(w, store)) {
            final HoldResult h = c.bookings().hold(slot, World.operator("anne"));
            held.set(h.token());
            assertThat(probe.proposes(c, slot)).isFalse();
            // Another process's sweep ended it by the store's clock: announced, ended here too.
            store.others.ended(slot, h.token());
            assertThat(c.bookings().stats().standingHolds()).isZero();
            assertThat(probe.proposes(c, slot)).isTrue();
            assertThat(c.bookings().confirm(h.token()).refusal()).isEqualTo(Refusal.EXPIRED);
        }
    }
}
