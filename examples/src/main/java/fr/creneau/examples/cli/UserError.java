package fr.creneau.examples.cli;

/**
 * A failure the user can fix (bad option, unreadable input): exit status 2, one line on stderr,
 * no stack trace.
 */
final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(final String message) {
        super(message, null, false, false);
    }
}
