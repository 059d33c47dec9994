package fr.creneau.store.postgres;

import fr.creneau.error.CreneauException;

/** The database cannot be reached now (a read that has no refusal to answer with). Retry later. */
public final class StoreUnavailableException extends CreneauException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
