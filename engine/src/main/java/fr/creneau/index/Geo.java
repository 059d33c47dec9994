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
        return 2.0 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(a)));
    }
}
