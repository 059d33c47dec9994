package fr.creneau.bench;

import fr.creneau.feed.Modality;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.rank.ProtocolConfig;
import fr.creneau.rank.RankingConfig;
import fr.creneau.rank.Searcher;

/**
 * The order of Créneau's {@code Searcher}, restated for the baselines so that all three rank the
 * same rows the same way: ascending 64-bit key (tier: 3 bits, in step 2 SAS participants before
 * practitioners whose slots are only sent by default; distance band of
 * {@link RankingConfig#distanceBandKm()}: 20 bits; hour of the earliest slot from now: 8 bits;
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
    /**
     * The protocol the baselines reproduce: participants first, and a fixed office radius and SAS
     * channel (the per-département radius and the PDSA hand-over are the engine's, proved by its own
     * tests; the baselines compare the order).
     */
    static final ProtocolConfig PROTOCOL = ProtocolConfig.builder().channelFromHours(false).departementRadii(false).build();

    private Ranking() {
    }

    static long keyOf(final double km, final int hour, final long rpps, final int seed) {
        return Searcher.rankKey(km, hour, rpps, seed, CONFIG.distanceBandKm());
    }

    /** The step-2 key of a practitioner: their participation tier above the distance key. */
    static long slotKeyOf(final Participation participation, final double km, final int hour, final long rpps,
                          final int seed) {
        return Searcher.rankKey(Searcher.participationTier(participation, PROTOCOL.participantsFirst()), km, hour,
            rpps, seed, CONFIG.distanceBandKm());
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
}
