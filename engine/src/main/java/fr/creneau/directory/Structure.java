package fr.creneau.directory;

import java.util.List;
import java.util.Objects;

/**
 * A structure of the directory ({@code structures.json}): a CDS, an MSP, an SOS Médecins
 * association, a CPTS or a maison médicale de garde. Immutable.
 *
 * @param id          FINESS, SIRET or the CPTS's own identifier; unique in the directory
 * @param kind        kind of structure
 * @param name        display name
 * @param phone       number the OSNP calls
 * @param address     postal address, or {@code null} when unknown
 * @param lat         WGS84 latitude, degrees
 * @param lon         WGS84 longitude, degrees
 * @param approximate {@code true} when the position is the commune's
 * @param hours       weekly opening periods, local time of {@code territory}; empty: always open
 * @param territory   derived from the position
 */
public record Structure(String id, StructureKind kind, String name, String phone, Address address,
                        double lat, double lon, boolean approximate, List<WeeklyHours> hours,
                        Territory territory) {

    public Structure {
        Objects.requireNonNull(id, "structure.id");
        Objects.requireNonNull(kind, "structure.kind");
        Objects.requireNonNull(name, "structure.name");
        Objects.requireNonNull(phone, "structure.phone");
        Objects.requireNonNull(territory, "structure.territory");
        hours = List.copyOf(Objects.requireNonNull(hours, "structure.hours"));
    }

    /** {@code true} when no opening hours are given (always open). */
    public boolean alwaysOpen() {
        return hours.isEmpty();
    }
}
