package fr.creneau.booking;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import fr.creneau.index.SlotDescriptor;
import fr.creneau.index.SlotIndex;

/**
 * What the index shows of claims: a standing claim's record is HELD or BOOKED, so that no search
 * proposes it; an ended one's is FREE again (or GONE, if its vendor stopped listing it). The
 * claims, this process's and other processes' alike, are the authority; the index only follows
 * them, by compare-and-set of each record's state word, so searches never wait.
 *
 * <p>A claim whose slot the index does not list (after a restart, before the feeds are back; a
 * record replaced by the writer) is kept in {@link #unplaced} and placed by {@link #reconcile}
 * once the record comes back.
 *
 * <p>Thread-safety: {@link #place} and {@link #unplace} are called under the claim's monitor; the
 * unplaced set is concurrent; {@link #reconcile} takes each claim's monitor in turn.
 */
final class IndexBinding {
    private final SlotIndex index;
    /** Standing claims whose slot the index does not show (yet): what {@link #reconcile()} visits. */
    private final Set<Claim> unplaced = ConcurrentHashMap.newKeySet();

    IndexBinding(final SlotIndex index) {
        this.index = index;
    }

    /** Places every unplaced standing claim the index now lists; forgets the ended ones. @return placed */
    int reconcile() {
        int placed = 0;
        for (final Claim c : unplaced) {
            synchronized (c) {
                if (!c.standing()) {
                    unplaced.remove(c);
                } else if (place(c)) {
                    placed++;
                }
            }
        }
        return placed;
    }

    /** Claims waiting for their record. */
    int unplacedCount() {
        return unplaced.size();
    }

    /** Lists a claim (replayed, or told by another process) to be placed by the next reconcile. */
    void await(final Claim c) {
        unplaced.add(c);
    }

    /** A claim that ended or was forgotten: no longer waits for its record. */
    void forget(final Claim c) {
        unplaced.remove(c);
    }

    /**
     * Makes the claim's index record show its state, finding the record by identity when needed.
     * {@code false} (and the claim listed as unplaced) when the index has no such record. Caller
     * holds the monitor.
     */
    boolean place(final Claim c) {
        final int wanted = c.indexState();
        while (true) {
            int r = c.record;
            if (r == SlotDescriptor.NIL || !matches(r, c.practitioner, c)) {
                final int practitioner = index.cells().directory().indexOf(c.facts.slot().rpps());
                r = practitioner < 0 || c.source < 0 ? SlotDescriptor.NIL
                    : index.findSlot(practitioner, c.source, c.facts.slot().startMinute());
                if (r == SlotDescriptor.NIL) {
                    c.record = SlotDescriptor.NIL;
                    unplaced.add(c);
                    return false;
                }
                c.record = r;
                c.practitioner = practitioner;
            }
            final int word = index.stateWord(r);
            final int state = SlotDescriptor.state(word);
            if (state == wanted) {
                unplaced.remove(c);
                return true;
            }
            if (state == SlotDescriptor.STATE_GONE) {
                c.record = SlotDescriptor.NIL; // replaced by the writer: find the new record
                continue;
            }
            if (index.casState(r, word, SlotDescriptor.transition(word, wanted))) {
                unplaced.remove(c);
                return true;
            }
        }
    }

    /**
     * Moves the slot's record FREE → HELD for a claim that just won the identity; re-finds the
     * record when the writer replaced it meanwhile. {@code null} on success. Caller holds the monitor.
     */
    Refusal placeNew(final Claim c, final int found, final int practitioner) {
        int r = found;
        while (r != SlotDescriptor.NIL) {
            final int word = index.stateWord(r);
            switch (SlotDescriptor.state(word)) {
                case SlotDescriptor.STATE_FREE: {
                    if (index.casState(r, word, SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD))) {
                        c.record = r;
                        c.practitioner = practitioner;
                        return null;
                    }
                    break; // the unlisted flag moved, or the writer removed it: read again
                }
                case SlotDescriptor.STATE_GONE:
                    r = index.findSlot(practitioner, c.source, c.facts.slot().startMinute());
                    break;
                case SlotDescriptor.STATE_HELD:
                    // Held in the index without a claim: only a host driving SlotIndex.casState itself.
                    return Refusal.ALREADY_HELD;
                default:
                    return Refusal.ALREADY_BOOKED;
            }
        }
        return Refusal.GONE;
    }

    /** Takes the claim's record back to FREE (or GONE when unlisted). Caller holds the monitor. */
    void unplace(final Claim c) {
        final int r = c.record;
        c.record = SlotDescriptor.NIL;
        unplaced.remove(c);
        if (r == SlotDescriptor.NIL || !matches(r, c.practitioner, c)) {
            return;
        }
        while (true) {
            final int word = index.stateWord(r);
            final int state = SlotDescriptor.state(word);
            if (state == SlotDescriptor.STATE_FREE || state == SlotDescriptor.STATE_GONE || index.retire(r, word)) {
                return;
            }
        }
    }

    /** {@code true} when record {@code r} is still the claim's slot (a page of a past hour may have been reused). */
    private boolean matches(final int r, final int practitioner, final Claim c) {
        return practitioner >= 0 && index.practitioner(r) == practitioner
            && index.startMinute(r) == c.facts.slot().startMinute()
            && SlotDescriptor.source(index.packed(r)) == c.source;
    }
}
