package fr.creneau.calendar;

import fr.creneau.error.CreneauException;

/**
 * Holiday data that cannot be used: the bundled resource is missing from the class path, or a
 * holiday CSV is malformed (bad header, bad date, a line without zones).
 */
public final class HolidayDataException extends CreneauException {
    private static final long serialVersionUID = 1L;

    public HolidayDataException(final String message) {
        super(message);
    }

    public HolidayDataException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
