package fr.creneau.bench;

import java.util.ArrayList;
import java.util.List;

import fr.creneau.directory.Directory;
import fr.creneau.rank.ResultKind;
import fr.creneau.rank.SearchResults;

/**
 * The rows of one baseline search, in rank order: what the equivalence checks compare with
 * Créneau's {@link SearchResults}. Reused per thread; not thread-safe.
 */
public final class Rows {
    final ResultKind[] kind = new ResultKind[SearchResults.MAX_ROWS];
    final int[] practitioner = new int[SearchResults.MAX_ROWS];
    final String[] cpts = new String[SearchResults.MAX_ROWS];
    final int[] start = new int[SearchResults.MAX_ROWS];
    /** Site ordinal of a practitioner's row, -1 on a structure row. */
    final int[] site = new int[SearchResults.MAX_ROWS];
    int size;
    boolean mtUnknown;

    void clear() {
        size = 0;
        mtUnknown = false;
    }

    int add(final ResultKind k, final int p, final String cptsId, final int startMinute, final int siteOrdinal) {
        final int i = size++;
        site[i] = siteOrdinal;
        kind[i] = k;
        practitioner[i] = p;
        cpts[i] = cptsId;
        start[i] = startMinute;
        return i;
    }

    public int size() {
        return size;
    }

    /** Comparable text of the rows: kind, RPPS or structure id, slot start minute (0 without slot), site id. */
    public List<String> describe(final Directory directory) {
        final List<String> out = new ArrayList<>(size + 1);
        if (mtUnknown) {
            out.add("MT unknown");
        }
        for (int i = 0; i < size; i++) {
            out.add(kind[i] + " " + (practitioner[i] < 0 ? cpts[i] : directory.get(practitioner[i]).rppsText()) + " @"
                + start[i] + (site[i] < 0 ? "" : " #" + directory.get(practitioner[i]).sites().get(site[i]).id()));
        }
        return out;
    }

    /** The same text for Créneau's rows. */
    public static List<String> describe(final SearchResults r) {
        final List<String> out = new ArrayList<>(r.size() + 1);
        if (r.medecinTraitantUnknown()) {
            out.add("MT unknown");
        }
        for (int i = 0; i < r.size(); i++) {
            final String who = r.practitioner(i) < 0 ? r.cpts(i).id() : r.practitionerEntry(i).rppsText();
            out.add(r.kind(i) + " " + who + " @" + (r.hasSlot(i) ? r.startMinute(i) : 0)
                + (r.site(i) == null ? "" : " #" + r.site(i).id()));
        }
        return out;
    }
}
