package fr.creneau.index;

/** Great-circle distance on the WGS84 mean sphere. Static, allocation-free, thread-safe. */
public final class Geo {
    /** IUGG mean Earth radius, km. */
    public static final double EARTH_RADIUS_KM = 6371.0088;

    private Geo() {
    }

    /** Haversine distance in km between two WGS84 positions in degrees. */
    public static double distanceKm(final double lat1, final double lon1, final double lat2, final double lon2) {
        final double p1 = Math.toRadians(lat1);
        final double p2 = Math.toRadians(lat2);
        final double dp = p2 - p1;
        final double dl = Math.toRadians(lon2 - lon1);
        final double sinDp = Math.sin(dp * 0.5);
        final double sinDl = Math.sin(dl * 0.5);
        final double a = sinDp * sinDp + Math.cos(p1) * Math.cos(p2) * sinDl * sinDl;
        return 2.0 * EARTH_RADIUS_KM * asin(Math.min(1.0, Math.sqrt(a)));
    }

    /**
     * {@link #distanceKm} from a point whose latitude in radians ({@code p1 = Math.toRadians(lat1)})
     * and its cosine ({@code cosP1 = Math.cos(p1)}) the caller computed once for many distances
     * (a query's patient): the same operations in the same order, so bit for bit the same result
     * ({@code GeoTest}), one cosine and one conversion fewer per call.
     */
    public static double distanceKm(final double lat1, final double lon1, final double p1, final double cosP1,
                                    final double lat2, final double lon2) {
        final double p2 = Math.toRadians(lat2);
        final double dp = p2 - p1;
        final double dl = Math.toRadians(lon2 - lon1);
        final double sinDp = Math.sin(dp * 0.5);
        final double sinDl = Math.sin(dl * 0.5);
        final double a = sinDp * sinDp + cosP1 * Math.cos(p2) * sinDl * sinDl;
        return 2.0 * EARTH_RADIUS_KM * asin(Math.min(1.0, Math.sqrt(a)));
    }

    /** Relative bound of {@link #nearKm}'s error against {@link #distanceKm}, where it answers. */
    public static final double NEAR_RELATIVE_ERROR = 3e-4;

    /**
     * An approximation of {@link #distanceKm} from a point whose latitude in radians, its sine and
     * its cosine the caller computed once: within {@code NEAR_RELATIVE_ERROR × result + 1e-6} km
     * of the haversine for points less than 0.01 rad of latitude and 0.02 rad of longitude away
     * (~64 by ~90 km in France) and an origin below 60° of latitude; NaN otherwise (the caller
     * computes the haversine). No sine, no asin: the equirectangular distance with
     * {@code cos φ1 cos φ2} taken to first order in Δφ. Against the haversine, its errors are
     * {@code cos φ1 cos φ2} to second order (at most {@code Δφ²/2} over a product of at least 0.25:
     * 2e-4 of the longitude term, 1e-4 of the distance), {@code 2 sin(x/2) ≈ x} (3e-5) and
     * {@code asin y ≈ y} (2e-5): below 2e-4 in all, and the bound allows 3e-4 ({@code GeoTest}
     * measures it). The searcher uses it to decide a distance band or a limit when both ends of
     * the error give the same answer, and computes the haversine otherwise.
     */
    public static double nearKm(final double lon1, final double p1, final double sinP1, final double cosP1,
                                final double lat2, final double lon2) {
        final double dp = Math.toRadians(lat2) - p1;
        final double dl = Math.toRadians(lon2 - lon1);
        if (Math.abs(dp) > 0.01 || Math.abs(dl) > 0.02 || cosP1 < 0.5) {
            return Double.NaN;
        }
        final double cc = cosP1 * cosP1 - cosP1 * sinP1 * dp;
        return EARTH_RADIUS_KM * Math.sqrt(dp * dp + cc * dl * dl);
    }

    /**
     * {@code Math.asin}, by its Taylor series below 0.1 (distances under ~1,270 km, every query
     * of a territory): HotSpot has no intrinsic for asin, and StrictMath's costs ~50 ns, the
     * largest part of a haversine on the query path. Through x^15 the first term left out is
     * below 2e-17 of x, so the result is within an ulp or two of {@code Math.asin}'s
     * ({@code GeoTest}); above 0.1, {@code Math.asin} itself. Every caller (the searcher, the
     * baselines, the tests' brute force) goes through here, so they agree bit for bit whatever
     * the last ulp.
     */
    static double asin(final double x) {
        if (x > 0.1 || x < -0.1) {
            return Math.asin(x);
        }
        final double x2 = x * x;
        // Coefficients (2n)! / (4^n (n!)^2 (2n+1)), n = 1..7.
        return x + x * x2 * (1.0 / 6 + x2 * (3.0 / 40 + x2 * (15.0 / 336 + x2 * (105.0 / 3456
            + x2 * (945.0 / 42240 + x2 * (10395.0 / 599040 + x2 * (135135.0 / 9676800)))))));
    }
}
