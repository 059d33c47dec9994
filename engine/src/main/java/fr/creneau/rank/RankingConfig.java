package fr.creneau.rank;

/**
 * Distances and fairness of the ranking. Immutable.
 *
 * @param officeMaxKm          beyond this a practitioner is not "near" for an office visit (30 km:
 *                             about half an hour by road in rural France)
 * @param homeVisitRadiusKm    how far a practitioner travels for a home visit (10 km; the
 *                             directory carries no per-practitioner radius yet)
 * @param teleconsultationMaxKm limit for teleconsultation ({@code Double.POSITIVE_INFINITY}: none,
 *                             nearest still first)
 * @param surnumeraireMaxKm    how far the "nothing free" step looks for surnuméraire doctors (50 km)
 * @param distanceBandKm       practitioners whose distances fall in the same band of this width are
 *                             "at equal distance" for ordering (500 m: the same street or block)
 * @param rotationMinutes      period of the fairness rotation inside a band (60 minutes)
 * @param ringTableRadiusKm    radius of the per-patient-square table of nearby occupied cells (60 km,
 *                             so that the office, home-visit and surnuméraire radii stay inside it);
 *                             farther cells (a teleconsultation with no limit) are reached by a
 *                             slower exhaustive pass, only when the table did not fill the rows
 * @param ringCacheEntries     patient squares whose ring tables are kept, shared by all searchers of a
 *                             {@link fr.creneau.Creneau} (16,384, rounded to a power of two: a
 *                             national spread of patients; ~16 bytes per occupied group per table)
 */
public record RankingConfig(double officeMaxKm, double homeVisitRadiusKm, double teleconsultationMaxKm,
                            double surnumeraireMaxKm, double distanceBandKm, int rotationMinutes,
                            double ringTableRadiusKm, int ringCacheEntries) {
    /** The defaults documented on each component. */
    public static final RankingConfig DEFAULTS =
        new RankingConfig(30, 10, Double.POSITIVE_INFINITY, 50, 0.5, 60, 60, 16_384);

    public RankingConfig {
        // A ring table narrower than the step-2 or step-3 radius would send ordinary queries down
        // the exhaustive path: allowed, but worth knowing about (see Searcher).
        if (!(officeMaxKm > 0) || !(homeVisitRadiusKm > 0) || !(teleconsultationMaxKm > 0) || !(surnumeraireMaxKm > 0)) {
            throw new IllegalArgumentException("distances must be positive");
        }
        if (!(distanceBandKm > 0) || rotationMinutes <= 0 || !(ringTableRadiusKm > 0) || ringCacheEntries < 1) {
            throw new IllegalArgumentException("band, rotation, ring radius and cache size must be positive");
        }
    }
}
