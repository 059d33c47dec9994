package fr.creneau.error;

/**
 * Root of every typed error Créneau throws at a host. Unchecked: a host that does not want to
 * distinguish causes catches this one type; one that does catches the subclasses.
 */
public class CreneauException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CreneauException(final String message) {
        super(message);
    }

    public CreneauException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
