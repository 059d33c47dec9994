package fr.creneau.directory;

import java.time.ZoneId;

/**
 * Where in France a position lies: metropolitan France (with Corsica) or one of the five overseas
 * départements. Each territory has its own time zone (local times of slots are checked in it) and
 * its own public-holiday zone (as named in the Etalab holiday data set).
 *
 * <p>Boxes, not polygons: a box is three comparisons on the ingest path and catches what it must
 * catch (swapped lat/lon, a zero position, a slot in another country's hemisphere). The
 * metropolitan box also covers border strips of neighbouring countries; the directory does not
 * pretend to know borders to the metre. Each box was checked to contain every commune of the INSEE
 * 2024 list (see {@code TerritoryTest}).
 */
public enum Territory {
    /** Metropolitan France and Corsica. */
    METROPOLE(41.30, 51.15, -5.25, 9.60, "Europe/Paris", "Métropole"),
    /** 971. */
    GUADELOUPE(15.80, 16.55, -61.85, -60.95, "America/Guadeloupe", "Guadeloupe"),
    /** 972. */
    MARTINIQUE(14.35, 14.90, -61.25, -60.78, "America/Martinique", "Martinique"),
    /** 973. */
    GUYANE(2.10, 5.80, -54.65, -51.60, "America/Cayenne", "Guyane"),
    /** 974. */
    LA_REUNION(-21.40, -20.85, 55.20, 55.85, "Indian/Reunion", "La Réunion"),
    /** 976. */
    MAYOTTE(-13.05, -12.60, 44.95, 45.35, "Indian/Mayotte", "Mayotte");

    private static final Territory[] VALUES = values();

    private final double minLat;
    private final double maxLat;
    private final double minLon;
    private final double maxLon;
    private final ZoneId zone;
    private final String holidayZone;

    Territory(final double minLat, final double maxLat, final double minLon, final double maxLon,
              final String zone, final String holidayZone) {
        this.minLat = minLat;
        this.maxLat = maxLat;
        this.minLon = minLon;
        this.maxLon = maxLon;
        this.zone = ZoneId.of(zone);
        this.holidayZone = holidayZone;
    }

    /** The territory containing the WGS84 position, or {@code null} when it is outside France. */
    public static Territory of(final double lat, final double lon) {
        for (final Territory t : VALUES) {
            if (lat >= t.minLat && lat <= t.maxLat && lon >= t.minLon && lon <= t.maxLon) {
                return t;
            }
        }
        return null;
    }

    /** Civil time zone of the territory: the zone in which its slots' local times must exist. */
    public ZoneId zone() {
        return zone;
    }

    /** Name of the territory in the {@code zones} column of the Etalab public-holiday data. */
    public String holidayZone() {
        return holidayZone;
    }
}
