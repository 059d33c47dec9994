package fr.creneau.bench;

import java.time.LocalTime;
import java.time.ZonedDateTime;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Structure;
import fr.creneau.directory.StructureKind;
import fr.creneau.directory.WeeklyHours;
import fr.creneau.feed.Modality;
import fr.creneau.rank.ProtocolConfig;
import fr.creneau.rank.RankingConfig;
import fr.creneau.rank.ResultKind;
import fr.creneau.rank.Searcher;
import fr.creneau.slot.Minutes;

/**
 * The order of Créneau's {@code Searcher}, restated for the baselines so that all three rank the
 * same rows the same way: ascending 64-bit key (tier: 3 bits, in step 2 SAS participants before
 * practitioners whose slots are only sent by default, in the nothing-free step a structure open now
 * before one closed now; distance band of {@link RankingConfig#distanceBandKm()}: 20 bits; hour of
 * the earliest slot from now: 8 bits; fairness rotation: 32 bits, times proposed then the period's
 * hash), ties by directory index, then start, then site.
 *
 * <p>The key itself is the engine's public {@code Searcher.rankKey}: the order is part of
 * Créneau's contract, and the baselines reproduce it rather than restate it. The equivalence test
 * ({@code BaselineEquivalenceTest}) still compares whole ordered result lists: filters, distances,
 * collapsing and the surnuméraire step are the baselines' own.
 *
 * <p>Static, stateless, thread-safe.
 */
final class Ranking {
    static final RankingConfig CONFIG = RankingConfig.DEFAULTS;
    /**
     * The protocol the baselines reproduce: participants first, and a fixed office radius and SAS
     * channel (the per-département radius and the PDSA hand-over are the engine's, proved by its own
     * tests; the baselines compare the order).
     */
    static final ProtocolConfig PROTOCOL = ProtocolConfig.builder().channelFromHours(false).departementRadii(false).build();

    private Ranking() {
    }

    /*
     * The keys below have every practitioner proposed zero times: the baselines have no operator,
     * and the engine they are compared with records no search (its Exposure stays at zero), so the
     * rotation's least-proposed-first component (issue 17) is the same on both sides.
     */

    /**
     * The nothing-free key of a row: with {@link #PROTOCOL} every group ranks 0 in the second-level
     * order, so the tier is 1 for a structure closed now by its hours (proposed after the open
     * ones, with its reachableFrom), 0 otherwise.
     */
    static long contactKeyOf(final boolean closed, final double km, final long rpps, final int seed) {
        return Searcher.rankKey(closed ? 1 : 0, km, 0, rpps, seed, CONFIG.distanceBandKm(), 0);
    }

    /** The step-2 key of a practitioner: their participation tier above the distance key. */
    static long slotKeyOf(final Participation participation, final double km, final int hour, final long rpps,
                          final int seed) {
        return Searcher.rankKey(Searcher.participationTier(participation, PROTOCOL.participantsFirst()), km, hour,
            rpps, seed, CONFIG.distanceBandKm(), 0);
    }

    /** The tier of a key (0: nothing can outrank it from a farther band). */
    static long tierOfKey(final long key) {
        return key >>> Searcher.TIER_SHIFT;
    }

    static long band(final double km) {
        return Searcher.band(km, CONFIG.distanceBandKm());
    }

    static long bandOfKey(final long key) {
        return (key >>> 40) & Searcher.BAND_MASK;
    }

    static int seed(final QuerySpec q) {
        return q.nowMinute() / CONFIG.rotationMinutes();
    }

    static double maxKm(final Modality m) {
        if (m == Modality.TELECONSULTATION) {
            return CONFIG.teleconsultationMaxKm();
        }
        // Home visits: the walk's bound; each practitioner's own travel radius then decides (inReach).
        return m == Modality.HOME_VISIT ? CONFIG.ringTableRadiusKm() : CONFIG.officeMaxKm();
    }

    /** A home visit is within the practitioner's own travel radius (default RankingConfig's), in every step. */
    static boolean inReach(final Practitioner p, final Modality m, final double km) {
        if (m != Modality.HOME_VISIT) {
            return true;
        }
        return km <= (Double.isNaN(p.homeVisitRadiusKm()) ? CONFIG.homeVisitRadiusKm() : p.homeVisitRadiusKm());
    }

    /** Key then practitioner, as {@code Searcher.less}. */
    static int compare(final long key, final int p, final long otherKey, final int other) {
        return key != otherKey ? Long.compare(key, otherKey) : Integer.compare(p, other);
    }

    /** Key, practitioner, start, then site, as {@code Searcher.less}: how one of a practitioner's sites wins. */
    static int compare(final long key, final int p, final int start, final int site, final long otherKey,
                       final int other, final int otherStart, final int otherSite) {
        int c = compare(key, p, otherKey, other);
        if (c == 0) {
            c = Integer.compare(start, otherStart);
        }
        return c != 0 ? c : Integer.compare(site, otherSite);
    }

    /**
     * The contact of the nothing-free step a practitioner is reached through, as Créneau's cell
     * table decides it: the directory structure their entry names ({@code "S:" + id}), else the
     * inline CPTS of a CPTS participant ({@code "C:" + id}), else {@code null}.
     */
    static String contactKey(final Directory directory, final Practitioner e) {
        if (e.structure() != null && directory.structure(e.structure()) != null) {
            return "S:" + e.structure();
        }
        return e.participation() == Participation.CPTS && e.cpts() != null ? "C:" + e.cpts().id() : null;
    }

    /** The row kind of a contact: CPTS for an inline CPTS or a CPTS structure, STRUCTURE otherwise. */
    static ResultKind contactKind(final Directory directory, final String key) {
        return key.startsWith("C:") || directory.structure(key.substring(2)).kind() == StructureKind.CPTS
            ? ResultKind.CPTS : ResultKind.STRUCTURE;
    }

    /** Whether a contact is open at {@code nowMinute} by its weekly hours (java.time, allocating: a baseline). */
    static boolean open(final Directory directory, final String key, final int nowMinute) {
        if (key.startsWith("C:")) {
            return true;
        }
        final Structure st = directory.structure(key.substring(2));
        if (st.alwaysOpen()) {
            return true;
        }
        final ZonedDateTime t = Minutes.toInstant(nowMinute).atZone(st.territory().zone());
        final LocalTime time = t.toLocalTime();
        for (final WeeklyHours h : st.hours()) {
            if (h.days().contains(t.getDayOfWeek()) && !time.isBefore(h.from())
                && (h.overnight() || time.isBefore(h.to()))) {
                return true;
            }
            if (h.overnight() && h.days().contains(t.getDayOfWeek().minus(1)) && time.isBefore(h.to())) {
                return true;
            }
        }
        return false;
    }
}
