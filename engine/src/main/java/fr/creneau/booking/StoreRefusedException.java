package fr.creneau.booking;

import fr.creneau.error.CreneauException;

/**
 * A {@link BookingStore} did not make a change durable ({@link BookingStore.Outcome#UNAVAILABLE},
 * or {@link BookingStore.Outcome#EXPIRED} by the store's clock): the change did not happen. Holds,
 * confirmations, releases and outcomes turn it into a typed refusal
 * ({@link Refusal#STORE_UNAVAILABLE}); it reaches a host only from
 * {@link fr.creneau.booking.outbox.Outbox#acknowledge} (the delivery loop delivers the message
 * again later, under the same id).
 */
public final class StoreRefusedException extends CreneauException {
    private static final long serialVersionUID = 1L;

    private final transient BookingStore.Answer answer;

    public StoreRefusedException(final BookingStore.Answer answer) {
        super("the booking store did not record the change: " + answer.outcome()
            + (answer.detail() == null ? "" : " (" + answer.detail() + ")"));
        this.answer = answer;
    }

    /** The store's answer. */
    public BookingStore.Answer answer() {
        return answer;
    }

    /** Control flow of an expected refusal: no stack to fill. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
