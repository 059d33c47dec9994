package fr.creneau.bench;

import fr.creneau.feed.Modality;
import fr.creneau.rank.RankingConfig;
import fr.creneau.rank.Searcher;

/**
 * The order of Créneau's {@code Searcher}, restated for the baselines so that all three rank the
 * same rows the same way: ascending 64-bit key (distance band of
 * {@link RankingConfig#distanceBandKm()}: 23 bits; hour of the earliest slot from now: 8 bits;
 * fairness rotation: 32 bits), ties by directory index.
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

    private Ranking() {
    }

    /**
     * The key with every practitioner proposed zero times: the baselines have no operator, and the
     * engine they are compared with records no search (its {@code Exposure} stays at zero), so the
     * rotation's least-proposed-first component (issue 17) is the same on both sides.
     */
    static long keyOf(final double km, final int hour, final long rpps, final int seed) {
        return Searcher.rankKey(km, hour, rpps, seed, CONFIG.distanceBandKm(), 0);
    }

    static long band(final double km) {
        return Searcher.band(km, CONFIG.distanceBandKm());
    }

    static long bandOfKey(final long key) {
        return key >>> 40;
    }

    static int seed(final QuerySpec q) {
        return q.nowMinute() / CONFIG.rotationMinutes();
    }

    static double maxKm(final Modality m) {
        if (m == Modality.TELECONSULTATION) {
            return CONFIG.teleconsultationMaxKm();
        }
        return m == Modality.HOME_VISIT ? CONFIG.homeVisitRadiusKm() : CONFIG.officeMaxKm();
    }

    /** Key then practitioner, as {@code Searcher.less}. */
    static int compare(final long key, final int p, final long otherKey, final int other) {
        return key != otherKey ? Long.compare(key, otherKey) : Integer.compare(p, other);
    }
}
