package fr.creneau.directory;

import java.util.List;
import java.util.Objects;

/**
 * One directory entry, as given by {@code practitioners.json} and validated by
 * {@link DirectoryLoader}. Immutable; the directory holds these on the heap (about 100k of them
 * nationally), the slot index refers to them by their dense {@code int} index only.
 *
 * @param rpps                 RPPS, validated (11 digits, Luhn)
 * @param name                 display name
 * @param profession           profession
 * @param lat                  WGS84 latitude, degrees, inside a French {@link Territory}
 * @param lon                  WGS84 longitude, degrees
 * @param phone                number the OSNP calls when a booking is finished by phone
 * @param vendor               code of the booking vendor in the {@code VendorRegistry}, or
 *                             {@code null} when the practitioner has none and enters slots by hand
 * @param refusesVendorSlots   ticked "I refuse to display my slots": no vendor slot of theirs is
 *                             shown; manual slots still are
 * @param participation        how they take part in the SAS
 * @param acceptsExtraPatients accepts to be called for patients on top of their appointments
 *                             (surnuméraire)
 * @param cpts                 the CPTS they registered through, or {@code null}
 * @param territory            derived from the position
 * @param sites                where they work, main site first (never empty); the main site is at
 *                             {@code lat}/{@code lon} with {@code phone}
 * @param structure            id of the {@link Structure} they registered through (a CDS, MSP,
 *                             SOS Médecins, CPTS or MMG of the directory), or {@code null}
 * @param regulationPhone      a phone the doctor reserved for the regulation (the seeds: doctors
 *                             must agree to give it), or {@code null}: then the site's
 * @param homeVisitRadiusKm    how far they travel for a home visit, km, or {@code NaN} for the
 *                             ranking configuration's default
 */
public record Practitioner(
    long rpps,
    String name,
    Profession profession,
    double lat,
    double lon,
    String phone,
    String vendor,
    boolean refusesVendorSlots,
    Participation participation,
    boolean acceptsExtraPatients,
    Cpts cpts,
    Territory territory,
    List<Site> sites,
    String structure,
    String regulationPhone,
    double homeVisitRadiusKm) {

    public Practitioner {
        sites = List.copyOf(Objects.requireNonNull(sites, "sites"));
        if (sites.isEmpty()) {
            throw new IllegalArgumentException("a practitioner has at least one site");
        }
        if (!(homeVisitRadiusKm > 0) && !Double.isNaN(homeVisitRadiusKm)) {
            throw new IllegalArgumentException("homeVisitRadiusKm must be positive, got " + homeVisitRadiusKm);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(profession, "profession");
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(participation, "participation");
        Objects.requireNonNull(territory, "territory");
    }

    /**
     * A practitioner of today's single-site shape: one {@link Site#MAIN} site at their position and
     * phone, no structure, no regulation phone, the default home-visit radius.
     */
    public Practitioner(final long rpps, final String name, final Profession profession, final double lat,
                        final double lon, final String phone, final String vendor,
                        final boolean refusesVendorSlots, final Participation participation,
                        final boolean acceptsExtraPatients, final Cpts cpts, final Territory territory) {
        this(rpps, name, profession, lat, lon, phone, vendor, refusesVendorSlots, participation,
            acceptsExtraPatients, cpts, territory, List.of(Site.main(lat, lon, phone)), null, null, Double.NaN);
    }

    /** The main site (the first). */
    public Site mainSite() {
        return sites.get(0);
    }

    /** The site with that id, or {@code null}. */
    public Site site(final String id) {
        for (final Site site : sites) {
            if (site.id().equals(id)) {
                return site;
            }
        }
        return null;
    }

    /**
     * The RPPS with its leading zeros; for a practitioner of the national directory known by an
     * ADELI only, {@code ADELI} and its nine digits (see {@link NationalId}).
     */
    public String rppsText() {
        return NationalId.keyText(rpps);
    }
}
