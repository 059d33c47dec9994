package fr.creneau.slot;

/**
 * An instant outside {@link SupportedTime}'s range was given to Créneau (or read from its clock).
 * An {@link IllegalArgumentException}, like the other out-of-contract arguments of the API (a
 * patient position off the globe, a window over 48 h): it is the caller's value that is wrong, not
 * the data; nothing changed.
 */
public final class TimeOutOfRangeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    TimeOutOfRangeException(final String what, final String value) {
        super(what + " " + value + " is outside the supported range " + SupportedTime.EARLIEST + " .. "
            + SupportedTime.END + " (exclusive)");
    }
}
