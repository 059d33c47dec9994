package fr.creneau.booking.outbox;

/**
 * The host's side of the outbox: hands a message to the LRM (or straight to the Hub Santé) and says
 * whether it is safely taken. Called by the {@link OutboxDelivery} thread only, one message at a
 * time, oldest first; never with a Créneau lock held.
 *
 * <p>Delivery is at least once: a message is delivered again (same id, same bytes) after a
 * {@code false}, an exception, or a crash before the acknowledgement is journaled; it is never
 * delivered again once acknowledged. An implementation should be idempotent by {@link
 * OutboxMessage#id()} (the Hub itself answers 409 to a duplicate {@code distributionID}: treat that
 * as an acknowledgement).
 */
@FunctionalInterface
public interface MessageSink {
    /**
     * @return {@code true} once the message is taken (acknowledged); {@code false} to be asked
     *         again later, with back-off
     * @throws Exception counted as a failed attempt, retried with back-off
     */
    boolean deliver(OutboxMessage message) throws Exception;
}
