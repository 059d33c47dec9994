package fr.creneau.directory;

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
    Territory territory) {

    public Practitioner {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(profession, "profession");
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(participation, "participation");
        Objects.requireNonNull(territory, "territory");
    }

    /** The RPPS with its leading zeros. */
    public String rppsText() {
        return Rpps.format(rpps);
    }
}
