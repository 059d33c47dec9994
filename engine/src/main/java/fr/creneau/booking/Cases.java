package fr.creneau.booking;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import fr.creneau.outcome.RowRef;

/**
 * What the recorded outcomes mean for a case's next searches: the practitioners and structures
 * that declined or that the patient refused, left out ("the next proposal must differ"). Rebuilt
 * by replay from the OUTCOME records (kept by a compaction as long as bookings are). Memory: one
 * small set per case with a refusal; cases are not forgotten before a restart after the horizon.
 *
 * <p>Thread-safety: concurrent maps of concurrent sets; a reader sees each refusal once its
 * record is journaled.
 */
final class Cases {
    private final ConcurrentHashMap<String, Set<Long>> practitioners = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> structures = new ConcurrentHashMap<>();

    /** An outcome record, journaled (or replayed). */
    void apply(final JournalRecord.OutcomeRecord r) {
        if (!r.result().excludes()) {
            return;
        }
        if (r.row().kind() == RowRef.Kind.STRUCTURE) {
            structures.computeIfAbsent(r.caseId(), k -> ConcurrentHashMap.newKeySet()).add(r.row().id());
        } else {
            practitioners.computeIfAbsent(r.caseId(), k -> ConcurrentHashMap.newKeySet()).add(r.row().practitioner());
        }
    }

    /** RPPS of the practitioners left out of the case's searches (a copy). */
    long[] excludedPractitioners(final String caseId) {
        final Set<Long> s = practitioners.get(caseId);
        return s == null ? new long[0] : s.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** Structure ids left out of the case's searches (a copy). */
    Set<String> excludedStructures(final String caseId) {
        final Set<String> s = structures.get(caseId);
        return s == null ? Set.of() : Set.copyOf(s);
    }
}
