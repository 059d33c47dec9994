package fr.creneau.booking;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.outcome.RowRef;
import fr.creneau.rank.RegulatorQuery;

/**
 * What the recorded outcomes mean for a case's next searches: the practitioners and structures
 * that declined or that the patient refused, left out ("the next proposal must differ"). Rebuilt
 * by replay from the OUTCOME records (kept by a compaction as long as bookings are).
 *
 * <p>Memory layout and the query path: one {@link Entry} per case with a refusal, holding
 * copy-on-write arrays (replaced, never changed, on each refusal) and the expansion of its
 * structures into their members for the directory last seen. {@link #excludeInto} reads them
 * without allocating in steady state (a map lookup, two volatile reads, a loop): only the first
 * search after a refusal or a directory change rebuilds the expansion.
 *
 * <p>Thread-safety: writers serialise per entry on its monitor; readers take no lock and see each
 * refusal once its record is journaled. Two readers racing to rebuild an expansion build the same
 * one; an expansion is used only for the arrays and directory it was built from.
 */
final class Cases {
    private final ConcurrentHashMap<String, Entry> byCase = new ConcurrentHashMap<>();

    private static final class Entry {
        volatile long[] practitioners = new long[0];
        volatile String[] structures = new String[0];
    }

    /** An outcome record, journaled (or replayed). */
    void apply(final BookingRecord.OutcomeRecord r) {
        if (!r.result().excludes()) {
            return;
        }
        final Entry e = byCase.computeIfAbsent(r.caseId(), k -> new Entry());
        synchronized (e) {
            if (r.row().kind() == RowRef.Kind.STRUCTURE) {
                final String id = r.row().id();
                if (!Arrays.asList(e.structures).contains(id)) {
                    final String[] s = Arrays.copyOf(e.structures, e.structures.length + 1);
                    s[s.length - 1] = id;
                    e.structures = s;
                }
            } else {
                final long rpps = r.row().practitioner();
                if (Arrays.stream(e.practitioners).noneMatch(p -> p == rpps)) {
                    final long[] p = Arrays.copyOf(e.practitioners, e.practitioners.length + 1);
                    p[p.length - 1] = rpps;
                    e.practitioners = p;
                }
            }
        }
    }

    /** Adds the case's exclusions to {@code query}; allocation-free once expanded for {@code directory}. */
    void excludeInto(final String caseId, final Directory directory, final RegulatorQuery query) {
        final Entry e = byCase.get(caseId);
        if (e == null) {
            return;
        }
        final long[] all = expanded(e, directory);
        for (final long rpps : all) {
            query.exclude(rpps);
        }
        for (final String structure : e.structures) {
            query.excludeStructure(structure); // its row only: its members' own slots stay proposed
        }
    }

    /** The case's exclusions as RPPS, sorted (a copy). */
    long[] excluded(final String caseId, final Directory directory) {
        final Entry e = byCase.get(caseId);
        if (e == null) {
            return new long[0];
        }
        final long[] all = expanded(e, directory).clone();
        Arrays.sort(all);
        return all;
    }

    /**
     * The practitioners the case excludes. A declined structure is left out by its row
     * ({@link fr.creneau.rank.RegulatorQuery#excludeStructure}), not by its members: a CDS that
     * said no does not hide its doctors' own free slots.
     */
    private static long[] expanded(final Entry e, final Directory directory) {
        return e.practitioners;
    }
}
