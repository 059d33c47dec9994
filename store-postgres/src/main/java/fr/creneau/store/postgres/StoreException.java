package fr.creneau.store.postgres;

import fr.creneau.error.CreneauException;

/**
 * The database answered in a way the store does not expect (a constraint other than the slot's,
 * a syntax error after a manual schema change): a fault to fix, not a state to handle. An
 * unreachable database is not this: it is {@link PostgresClaimStore.Outcome#STORE_UNAVAILABLE}.
 */
public final class StoreException extends CreneauException {
    private static final long serialVersionUID = 1L;

    public StoreException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
