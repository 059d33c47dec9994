package fr.creneau.directory;

import java.util.Objects;

/**
 * A place where a practitioner works: a main practice, a secondary one, a health centre two days a
 * week. The FHIR guide gives one {@code Schedule} per {@code PractitionerRole}, i.e. per site, with
 * the place as a {@code Location} contained in the role. Every slot belongs to one site and is
 * ranked by the distance to that site. Immutable.
 *
 * @param id          identifier of the site, unique within its practitioner ({@code "main"} for
 *                    the one site of a directory entry that lists none)
 * @param address     postal address, or {@code null} when unknown
 * @param lat         WGS84 latitude, degrees
 * @param lon         WGS84 longitude, degrees
 * @param approximate {@code true} when the position is the commune's, not the site's own
 * @param phone       number the OSNP calls for this site
 * @param role        the practitioner's role there as the directory names it (e.g. "titulaire",
 *                    "salarié"), or {@code null}
 */
public record Site(String id, Address address, double lat, double lon, boolean approximate, String phone,
                   String role) {

    /** Id of the single site of an entry without {@code sites}. */
    public static final String MAIN = "main";

    public Site {
        Objects.requireNonNull(id, "site.id");
        Objects.requireNonNull(phone, "site.phone");
    }

    /** The one site of an entry that lists none: the practitioner's own position and phone. */
    public static Site main(final double lat, final double lon, final String phone) {
        return new Site(MAIN, null, lat, lon, false, phone, null);
    }
}
