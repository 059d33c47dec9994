package fr.creneau.feed;

import fr.creneau.error.CreneauException;
import fr.creneau.directory.Integration;
import fr.creneau.directory.Vendor;

/**
 * A feed that declares another integration level than the vendor registry holds for its vendor.
 * The registry is authoritative (it decides whether an OSNP is told to book online), so a feed that
 * disagrees is refused whole until the deployment's registry is corrected; nothing is applied.
 */
public final class IntegrationMismatchException extends CreneauException {
    private static final long serialVersionUID = 1L;

    public IntegrationMismatchException(final String label, final Vendor vendor, final Integration declared) {
        super(label + ": declares " + declared + " but vendor " + vendor.displayName() + " is registered as "
            + vendor.integration() + "; fix the feed or the VendorRegistry");
    }
}
