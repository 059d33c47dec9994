package fr.creneau.store.postgres;

import fr.creneau.error.CreneauException;

/** The database's schema cannot be used by this Créneau: newer than it, or an applied migration changed. */
public final class SchemaException extends CreneauException {
    private static final long serialVersionUID = 1L;

    public SchemaException(final String message) {
        super(message);
    }
}
