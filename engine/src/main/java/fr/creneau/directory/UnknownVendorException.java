package fr.creneau.directory;

import fr.creneau.error.CreneauException;

/** A vendor name that the {@link VendorRegistry} does not know. */
public final class UnknownVendorException extends CreneauException {
    private static final long serialVersionUID = 1L;

    private final String vendor;

    public UnknownVendorException(final String vendor, final String known) {
        super("unknown booking vendor '" + vendor + "'; known vendors: " + known
            + " (register others with VendorRegistry.builder().add(...))");
        this.vendor = vendor;
    }

    /** The name as it was given. */
    public String vendor() {
        return vendor;
    }
}
