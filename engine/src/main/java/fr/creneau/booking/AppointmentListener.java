package fr.creneau.booking;

/**
 * Receives the RS-SAS-RDV message of every booking confirmed ({@code CreateAppointment}, status
 * {@code booked}) and of every booking cancelled ({@code UpdateAppointment}, status
 * {@code cancelled}), so the host LRM can file the appointment in the case and forward it on the
 * Hub Santé. Called on the thread that confirmed or released, after the journal holds the change
 * and with no Créneau lock held; an exception is counted ({@link BookingStats#listenerFailures()})
 * and does not undo the booking. Keep it short: the operator waits for it.
 *
 * <p>Delivery is at most once: a crash after the journal write and before the call loses the
 * message; {@link BookingService#bookings()} lists the standing bookings for a resync at start.
 */
@FunctionalInterface
public interface AppointmentListener {
    void onAppointment(AppointmentMessage message);
}
