package fr.creneau.booking;

/**
 * Receives the RS-SAS-RDV message of every booking confirmed ({@code CreateAppointment}, status
 * {@code booked}) and of every booking cancelled ({@code UpdateAppointment}, status
 * {@code cancelled}), so the host LRM can file the appointment in the case and forward it on the
 * Hub Santé. Called on the thread that confirmed or released, after the journal holds the change
 * and with no Créneau lock held; an exception is counted ({@link BookingStats#listenerFailures()})
 * and does not undo the booking. Keep it short: the operator waits for it.
 *
 * <p>Delivery to a listener is at most once: a crash after the journal write and before the call
 * loses the call. For a message that is never lost use the outbox instead
 * ({@link fr.creneau.booking.outbox.MessageSink}, {@code Creneau.Builder.messageSink}): the message
 * is then journaled with its change and delivered until acknowledged. Listeners are also told of
 * booking outcomes ({@code FULFILLED}, {@code NO_SHOW}) and of accepted slot rows.
 */
@FunctionalInterface
public interface AppointmentListener {
    void onAppointment(AppointmentMessage message);
}
