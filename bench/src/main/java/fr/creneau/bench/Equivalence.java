package fr.creneau.bench;

import java.util.List;

import fr.creneau.index.SlotIndex;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.SearchResults;
import fr.creneau.rank.Searcher;

/**
 * Checks that a baseline returns the same ordered rows as Créneau (kind, practitioner or CPTS,
 * earliest slot start) for a sample of queries. Used by the JUnit test on a small data set and by
 * every baseline benchmark's {@code @Setup} on the real one. Setup only.
 */
public final class Equivalence {
    private Equivalence() {
    }

    /** A baseline's search. */
    @FunctionalInterface
    public interface Baseline {
        int search(QuerySpec q, Rows out);
    }

    /**
     * Compares the first {@code count} queries; returns the number compared.
     *
     * @throws IllegalStateException naming the first query whose rows differ
     */
    public static int check(final String name, final DataSet data, final SlotIndex index, final Baseline baseline,
                            final QuerySpec[] queries, final int count) {
        final Searcher searcher = CreneauIndex.searcher(index, data);
        final RegulatorQuery query = new RegulatorQuery();
        final SearchResults results = new SearchResults();
        final Rows rows = new Rows();
        final int n = Math.min(count, queries.length);
        for (int i = 0; i < n; i++) {
            searcher.search(queries[i].fill(query), results);
            baseline.search(queries[i], rows);
            final List<String> expected = Rows.describe(results);
            final List<String> actual = rows.describe(data.directory);
            if (!expected.equals(actual)) {
                throw new IllegalStateException(name + " differs from Créneau on query " + i + " " + queries[i]
                    + "\n  créneau:  " + expected + "\n  " + name + ": " + actual);
            }
        }
        return n;
    }
}
