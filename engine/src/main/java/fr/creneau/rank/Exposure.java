package fr.creneau.rank;

import java.util.Arrays;

import fr.creneau.directory.Directory;

/**
 * How often each practitioner was proposed in the rows an operator saw, and how often taken
 * (booked, or accepted as a contact): what the fairness rotation reads ({@link Searcher#rotation(long,
 * int, int)}), so that the registered doctors who are never called rise in their distance band.
 *
 * <p>Memory layout: two plain {@code int[]} indexed by the directory's practitioner index, grown
 * (copied) when the directory grows; about 8 bytes per practitioner.
 *
 * <p>Thread-safety and races: lock-free. Writers ({@link #proposed(Directory, long)},
 * {@link #taken(Directory, long)}: the operator's thread, after a search was shown or a booking
 * made) do a plain read-increment-write, so two increments racing on one practitioner can count one,
 * and a grow racing an increment can drop it; readers (every {@link Searcher}, on the query path,
 * allocation-free) do plain reads, which may see a count some increments old. An {@code int} is never
 * torn, so a reader sees some count that was written. The counts are approximate by design: a lost
 * or late increment only delays a turn in the rotation; the ranking stays deterministic given the
 * counts a search read. Counts start at zero with the process (or as a host seeds them, e.g. from
 * the audit log), age by {@link #halve} (the facade halves them once a half-life) and saturate in
 * the rotation at 65535.
 */
public final class Exposure {
    /** Zero for everyone, never written: the order of a searcher built without exposure. */
    public static final Exposure NONE = new Exposure();

    // Replaced (never resized in place) on growth; plain fields: see the class comment on races.
    private int[] proposed = new int[0];
    private int[] taken = new int[0];

    /** Times practitioner {@code index} was proposed; 0 when unknown. Allocation-free, any thread. */
    public int proposed(final int index) {
        final int[] a = proposed;
        return index >= 0 && index < a.length ? a[index] : 0;
    }

    /** Times practitioner {@code index} was taken; 0 when unknown. Any thread. */
    public int taken(final int index) {
        final int[] a = taken;
        return index >= 0 && index < a.length ? a[index] : 0;
    }

    /** Counts one row shown for the practitioner {@code rpps} of {@code directory}. Any thread; approximate. */
    public void proposed(final Directory directory, final long rpps) {
        if (this == NONE) {
            return;
        }
        final int i = directory.indexOf(rpps);
        if (i >= 0) {
            final int[] a = grown(proposed, directory.capacity(), true);
            a[i]++;
        }
    }

    /** Counts one booking or acceptance of {@code rpps}. Any thread; approximate. */
    public void taken(final Directory directory, final long rpps) {
        if (this == NONE) {
            return;
        }
        final int i = directory.indexOf(rpps);
        if (i >= 0) {
            final int[] a = grown(taken, directory.capacity(), false);
            a[i]++;
        }
    }

    /**
     * Halves every count (rounding down): the counts' ageing. Without it a doctor proposed often
     * in the first weeks stays behind newcomers for good; halved once a half-life (the facade's
     * {@code Creneau.Builder#exposureHalfLife}, on its clock), a turn proposed {@code n}
     * half-lives ago weighs {@code 2^-n} of one proposed now, as Caffeine's frequency sketch ages
     * its counters by halving them all. Any thread; a count incremented while it is halved may
     * keep or lose that increment (see the class comment on races). O(practitioners), no allocation.
     */
    public void halve() {
        if (this == NONE) {
            return;
        }
        final int[] p = proposed;
        for (int i = 0; i < p.length; i++) {
            p[i] >>>= 1;
        }
        final int[] t = taken;
        for (int i = 0; i < t.length; i++) {
            t[i] >>>= 1;
        }
    }

    private int[] grown(final int[] a, final int capacity, final boolean isProposed) {
        if (a.length >= capacity) {
            return a;
        }
        final int[] b = Arrays.copyOf(a, Math.max(capacity, a.length * 2));
        if (isProposed) {
            proposed = b;
        } else {
            taken = b;
        }
        return b;
    }
}
