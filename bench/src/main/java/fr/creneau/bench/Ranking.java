package fr.creneau.bench;

import fr.creneau.feed.Modality;
import fr.creneau.rank.RankingConfig;

/**
 * The order of Créneau's {@code Searcher}, restated for the baselines so that all three rank the
 * same rows the same way: ascending 64-bit key (distance band of
 * {@link RankingConfig#distanceBandKm()}: 23 bits; hour of the earliest slot from now: 8 bits;
 * fairness rotation: 32 bits), ties by directory index.
 *
 * <p>{@code Searcher.rotation} is package-private in the engine, so {@link #rotation} is a copy of
 * it (MurmurHash3's 64-bit finaliser over the RPPS and the rotation period). The copy is the
 * fairest equivalent: the baselines then produce the exact same ordered rows, and the equivalence
 * test ({@code BaselineEquivalenceTest}) compares whole ordered result lists, so any drift between
 * the copy and the engine fails the build rather than weakening the comparison.
 *
 * <p>Static, stateless, thread-safe.
 */
final class Ranking {
    static final RankingConfig CONFIG = RankingConfig.DEFAULTS;

    private Ranking() {
    }

    static long keyOf(final double km, final int hour, final long rpps, final int seed) {
        final long band = Math.min((1L << 23) - 1, (long) (km / CONFIG.distanceBandKm()));
        final long h = Math.max(0, Math.min(255, hour));
        return (band << 40) | (h << 32) | (rotation(rpps, seed) & 0xFFFF_FFFFL);
    }

    static long band(final double km) {
        return Math.min((1L << 23) - 1, (long) (km / CONFIG.distanceBandKm()));
    }

    static long bandOfKey(final long key) {
        return key >>> 40;
    }

    /** Copy of {@code fr.creneau.rank.Searcher.rotation} (see the class comment). */
    static int rotation(final long rpps, final int seed) {
        long z = rpps ^ (seed * 0x9E37_79B9_7F4A_7C15L);
        z = (z ^ (z >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return (int) ((z ^ (z >>> 33)) >>> 32);
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
