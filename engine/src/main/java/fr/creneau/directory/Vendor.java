package fr.creneau.directory;

import java.util.Objects;

/**
 * A booking software vendor whose agendas feed the platform.
 *
 * @param id          dense identifier, 1..{@link VendorRegistry#MAX_VENDORS}; stored in one byte
 *                    of every off-heap slot record (0 means a manual slot)
 * @param code        normalised key ({@code "doctolib"}, {@code "monmedecinorg"}): lower case,
 *                    ASCII letters and digits only
 * @param displayName name as people write it ({@code "MonMédecin.org"})
 * @param integration how bookings through it are completed
 */
public record Vendor(int id, String code, String displayName, Integration integration) {
    public Vendor {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(integration, "integration");
        if (id < 1 || id > VendorRegistry.MAX_VENDORS) {
            throw new IllegalArgumentException("vendor id out of 1.." + VendorRegistry.MAX_VENDORS + ": " + id);
        }
    }
}
