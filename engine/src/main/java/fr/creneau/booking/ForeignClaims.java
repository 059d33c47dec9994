package fr.creneau.booking;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import fr.creneau.slot.SlotId;

/**
 * Other processes' claims, as a shared store tells them: each becomes a foreign {@link Claim} in
 * this process's {@code bySlot}, which hides its slot from this index ({@link IndexBinding}) and
 * refuses holds on it here without a round trip; the store refuses them anyway
 * ({@link BookingStore.Outcome#TAKEN}) whatever this index shows, so a late notice costs a
 * proposal that cannot be booked, never a double booking.
 *
 * <p>A claim of this process that the store says ended (another process's sweep expired it by the
 * store's clock) ends here too, without a write.
 *
 * <p>Thread-safety: the store calls the listener on its own thread, one call at a time; each
 * claim is changed under its monitor. Calls that arrive while the service is still opening are
 * kept and applied, in order, by {@link #start}.
 */
final class ForeignClaims implements BookingStore.ClaimListener {
    private final Map<SlotId, Claim> bySlot;
    private final Map<HoldToken, Claim> byToken;
    private final Claims claims;
    private final IndexBinding binding;
    private final BookingService service;
    private final LongAdder told = new LongAdder();
    // ---- guarded by this ----
    private List<Runnable> early = new ArrayList<>();
    /**
     * Tokens of other processes' claims told ended lately: a claim learnt from a refused hold
     * ({@link #learnt}) after the store announced its end must not come back and hide a free slot.
     */
    private final Map<HoldToken, Boolean> recentlyEnded = new java.util.LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<HoldToken, Boolean> eldest) {
            return size() > 4096;
        }
    };

    ForeignClaims(final Claims claims, final IndexBinding binding, final BookingService service) {
        this.claims = claims;
        this.bySlot = claims.bySlot;
        this.byToken = claims.byToken;
        this.binding = binding;
        this.service = service;
    }

    /** The service is open: applies what arrived meanwhile, then every call at once. */
    synchronized void start() {
        final List<Runnable> waiting = early;
        early = null;
        for (final Runnable r : waiting) {
            r.run();
        }
    }

    /** Changes told by the store since start. */
    long told() {
        return told.sum();
    }

    @Override
    public boolean deliversMessages() {
        return service.deliversMessages();
    }

    @Override
    public synchronized void adopted(final List<fr.creneau.booking.outbox.OutboxMessage> messages) {
        if (early != null) {
            early.add(() -> adopted(messages));
            return;
        }
        service.adoptedMessages(messages);
    }

    @Override
    public synchronized void claimed(final BookingStore.ForeignClaim f) {
        if (early != null) {
            early.add(() -> claimed(f));
            return;
        }
        told.increment();
        apply(f);
    }

    @Override
    public synchronized void ended(final SlotId slot, final HoldToken token) {
        if (early != null) {
            early.add(() -> ended(slot, token));
            return;
        }
        told.increment();
        recentlyEnded.put(token, Boolean.TRUE);
        final Claim mine = byToken.get(token);
        if (mine != null) {
            service.endedByStore(mine);
            return;
        }
        final SlotId key = key(slot);
        final Claim c = key == null ? null : bySlot.get(key);
        if (c != null && c.foreign && c.token.equals(token)) {
            drop(c);
        }
    }

    @Override
    public synchronized void outcome(final BookingRecord.OutcomeRecord outcome) {
        if (early != null) {
            early.add(() -> outcome(outcome));
            return;
        }
        told.increment();
        service.outcomeElsewhere(outcome);
    }

    @Override
    public synchronized void resynced(final Collection<BookingStore.ForeignClaim> standing) {
        if (early != null) {
            final List<BookingStore.ForeignClaim> copy = List.copyOf(standing);
            early.add(() -> resynced(copy));
            return;
        }
        told.increment();
        final Set<HoldToken> now = new HashSet<>();
        for (final BookingStore.ForeignClaim f : standing) {
            now.add(f.token());
        }
        for (final Claim c : bySlot.values()) {
            if (c.foreign && !now.contains(c.token)) {
                drop(c); // ended while this process was not listening
            }
        }
        for (final BookingStore.ForeignClaim f : standing) {
            apply(f);
        }
    }

    /**
     * A claim of another process learnt from the store's refusal of a hold here (this index had
     * not heard of it yet): bound unless the store announced its end meanwhile.
     */
    synchronized void learnt(final BookingStore.ForeignClaim f) {
        if (early == null && !recentlyEnded.containsKey(f.token())) {
            apply(f);
        }
    }

    /** Binds (or updates) the foreign claim {@code f} on its slot. Caller holds this monitor. */
    private void apply(final BookingStore.ForeignClaim f) {
        if (byToken.containsKey(f.token())) {
            return; // this process's own claim, announced back
        }
        final SlotId key = key(f.slot());
        if (key == null) {
            return; // a vendor this process does not know: its index cannot list the slot
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            final Claim c = bySlot.get(key);
            if (c == null) {
                final SlotFacts known = service.slotFacts(key);
                final Claim theirs = Claim.foreign(f.token(), known != null ? known : SlotFacts.identityOnly(key),
                    key.sourceId(claims.vendors()), f.booked(), f.expiresAt());
                synchronized (theirs) {
                    if (bySlot.putIfAbsent(key, theirs) != null) {
                        continue;
                    }
                    binding.place(theirs);
                }
                return;
            }
            synchronized (c) {
                if (!c.foreign) {
                    return; // a claim of ours stands (or is being made): the store arbitrates its write
                }
                if (c.phase == Claim.Phase.ENDED) {
                    continue;
                }
                if (c.token.equals(f.token())) {
                    c.foreignBooked = f.booked();
                    c.phase = f.booked() ? Claim.Phase.BOOKED : Claim.Phase.HELD;
                    if (f.expiresAt() != null) {
                        c.expiresAt = f.expiresAt();
                    }
                    binding.place(c);
                    return;
                }
                drop(c); // an older claim of another process, superseded: bind the new one
            }
        }
    }

    /** Forgets a foreign claim: its slot shows free again (or gone). */
    void drop(final Claim c) {
        synchronized (c) {
            if (c.phase == Claim.Phase.ENDED) {
                return;
            }
            binding.unplace(c);
            c.phase = Claim.Phase.ENDED;
            bySlot.remove(c.facts.slot(), c);
        }
    }

    private SlotId key(final SlotId slot) {
        return claims.key(slot);
    }
}
