package fr.creneau.pdsa;

import fr.creneau.error.CreneauException;

/** A PDSA file that cannot be read at all: missing, a link, not JSON, or not of the documented shape. */
public final class PdsaFormatException extends CreneauException {
    private static final long serialVersionUID = 1L;

    public PdsaFormatException(final String file, final String problem) {
        super(file + ": " + problem);
    }

    public PdsaFormatException(final String file, final String problem, final Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
