/**
 * Booking: holds with a time to live, confirmations and releases of slots found by a search, made
 * safe against races (an on-heap claim per slot identity, then a compare-and-set of the off-heap
 * record's state word) and against crashes (a checksummed write-ahead {@link fr.creneau.booking.Journal}
 * replayed on start). Every confirmed booking is told to the host as an RS-SAS-RDV message
 * ({@link fr.creneau.booking.AppointmentMessage}), through the listeners (at most once) and the
 * outbox ({@code booking.outbox}: in the journal record of the change, delivered until
 * acknowledged). Holds carry the LRM's case ({@link fr.creneau.booking.CaseRef}), never the
 * patient ({@link fr.creneau.booking.Patient} only reaches the gateway); outcomes of rows and
 * bookings are journaled too ({@code BookingService.outcome}). Entry point: {@link fr.creneau.booking.BookingService},
 * reached through {@code Creneau.bookings()}. See {@code docs/booking.md}.
 */
package fr.creneau.booking;
