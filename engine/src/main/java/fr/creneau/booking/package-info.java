/**
 * Booking: holds with a time to live, confirmations and releases of slots found by a search, made
 * safe against races (an on-heap claim per slot identity, then a compare-and-set of the off-heap
 * record's state word) and against crashes (a checksummed write-ahead {@link fr.creneau.booking.Journal}
 * replayed on start). Every confirmed booking is told to the host as an RS-SAS-RDV message
 * ({@link fr.creneau.booking.AppointmentMessage}). Entry point: {@link fr.creneau.booking.BookingService},
 * reached through {@code Creneau.bookings()}. See {@code docs/booking.md}.
 */
package fr.creneau.booking;
