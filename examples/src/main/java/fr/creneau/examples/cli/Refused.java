package fr.creneau.examples.cli;

/** A valid request that was refused (slot already booked, held or gone): exit status 1. */
final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(final String message) {
        super(message, null, false, false);
    }
}
