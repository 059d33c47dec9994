package fr.creneau.booking;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import fr.creneau.directory.VendorRegistry;
import fr.creneau.slot.SlotId;

/**
 * The on-heap authority over slot identities: who holds or booked which slot, by canonical
 * {@link SlotId} ({@link #bySlot}: one claim a slot, won by {@code putIfAbsent}) and by token
 * ({@link #byToken}: this process's claims only; a foreign claim is in {@code bySlot} alone).
 * Rebuilt at start from the store's replay ({@link #replayed}).
 *
 * <p>Thread-safety: the maps are concurrent; a claim's mutable fields are read and changed under
 * its monitor; {@link #replayed} runs on the opening thread, before the service is shared.
 */
final class Claims {
    final ConcurrentHashMap<SlotId, Claim> bySlot = new ConcurrentHashMap<>();
    final ConcurrentHashMap<HoldToken, Claim> byToken = new ConcurrentHashMap<>();
    private final VendorRegistry vendors;
    private final IndexBinding binding;
    // Replay bookkeeping (opening thread only).
    private int orphans;

    Claims(final VendorRegistry vendors, final IndexBinding binding) {
        this.vendors = vendors;
        this.binding = binding;
    }

    VendorRegistry vendors() {
        return vendors;
    }

    /** The canonical identity of {@code slot} (the vendor code as this registry spells it), or {@code null}. */
    SlotId key(final SlotId slot) {
        final int source = slot.sourceId(vendors);
        return source < 0 ? null : SlotId.of(vendors, source, slot.rpps(), slot.startMinute());
    }

    /** The claim on a slot's identity, or {@code null}. */
    Claim onSlot(final SlotId slot) {
        final SlotId key = key(slot);
        return key == null ? null : bySlot.get(key);
    }

    /** Standing bookings of this process, in no particular order. */
    List<Booking> bookings() {
        final List<Booking> out = new ArrayList<>();
        for (final Claim c : bySlot.values()) {
            synchronized (c) {
                if (c.booking != null && c.standing()) {
                    out.add(c.booking);
                }
            }
        }
        return out;
    }

    /** The standing booking of a slot, or {@code null}. */
    Booking booking(final SlotId slot) {
        final Claim c = onSlot(slot);
        if (c == null) {
            return null;
        }
        synchronized (c) {
            return c.standing() ? c.booking : null;
        }
    }

    /** The token of the slot's standing claim when {@code operatorId} made it here, else {@code null}. */
    HoldToken tokenHeldBy(final SlotId slot, final String operatorId) {
        final Claim c = onSlot(slot);
        if (c == null) {
            return null;
        }
        synchronized (c) {
            return c.standing() && !c.foreign && c.operator.id().equals(operatorId) ? c.token : null;
        }
    }

    /** Records about a token no longer held, seen by the replay (after a compaction, or a store's restore). */
    int orphans() {
        return orphans;
    }

    /**
     * Applies one replayed record: a hold becomes a standing claim (waiting for its index record),
     * a confirmation a booking, an end ends it.
     *
     * @param where names the store's file for an error
     * @throws JournalCorruptException two standing holds on one slot
     */
    void replayed(final BookingRecord r, final long offset, final Supplier<Path> where) {
        if (r instanceof BookingRecord.Ack || r instanceof BookingRecord.Carried
            || r instanceof BookingRecord.OutcomeRecord) {
            return;
        }
        if (r instanceof BookingRecord.Hold) {
            final BookingRecord.Hold h = (BookingRecord.Hold) r;
            if (byToken.containsKey(h.token())) {
                return; // written again by an append racing a compaction: same hold
            }
            final SlotId slot = h.facts().slot();
            final Claim c = new Claim(h.token(), h.operator(), h.facts(), slot.sourceId(vendors), h.caseRef());
            c.start(h.at(), h.expiresAt());
            c.phase = Claim.Phase.HELD;
            final Claim other = bySlot.putIfAbsent(slot, c);
            if (other != null) {
                throw new JournalCorruptException(where.get(), offset, "hold " + h.token() + " on " + slot
                    + " while hold " + other.token + " still stands on it");
            }
            byToken.put(c.token, c);
            binding.await(c);
            return;
        }
        final Claim c = byToken.get(r.token());
        if (c == null || c.phase == Claim.Phase.ENDED) {
            orphans++;
            return;
        }
        if (r instanceof BookingRecord.Confirming) {
            if (c.phase == Claim.Phase.HELD) {
                c.inDoubt = true;
            }
            return;
        }
        if (r instanceof BookingRecord.Cancelling) {
            if (c.phase == Claim.Phase.BOOKED) {
                c.cancelInDoubt = true;
            }
            return;
        }
        if (r instanceof BookingRecord.Confirm) {
            c.inDoubt = false;
            c.cancelInDoubt = false; // a CONFIRM after CANCELLING: the vendor refused to cancel
            if (c.phase == Claim.Phase.HELD) {
                c.booking = BookingService.newBooking(c, r.at(), ((BookingRecord.Confirm) r).vendorReference());
                c.phase = Claim.Phase.BOOKED;
            }
            return;
        }
        c.phase = Claim.Phase.ENDED;
        c.endedAt = r.at();
        c.endedAs = r instanceof BookingRecord.Expire ? Refusal.EXPIRED
            : ((BookingRecord.Release) r).byVendor() ? Refusal.VENDOR_REFUSED : Refusal.RELEASED;
        bySlot.remove(c.facts.slot(), c);
        binding.forget(c);
    }
}
