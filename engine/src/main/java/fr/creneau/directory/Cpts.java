package fr.creneau.directory;

import java.util.Objects;

/**
 * A CPTS a practitioner registered through: the second-level contact that finds a doctor itself
 * when nobody has a free slot.
 *
 * @param id    stable identifier of the CPTS (one result row per CPTS)
 * @param name  display name
 * @param phone number the OSNP calls
 */
public record Cpts(String id, String name, String phone) {
    public Cpts {
        Objects.requireNonNull(id, "cpts.id");
        Objects.requireNonNull(name, "cpts.name");
        Objects.requireNonNull(phone, "cpts.phone");
    }
}
