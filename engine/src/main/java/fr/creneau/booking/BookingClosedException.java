package fr.creneau.booking;

import fr.creneau.error.CreneauException;

/** A hold, confirm or release after {@code Creneau.close()}: the journal and its lock are released. */
public final class BookingClosedException extends CreneauException {
    private static final long serialVersionUID = 1L;

    public BookingClosedException() {
        super("the booking service is closed");
    }
}
