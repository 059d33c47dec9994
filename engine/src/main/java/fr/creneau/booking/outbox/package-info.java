/**
 * The outbox of messages for the LRM: written durably with the change they announce
 * ({@link fr.creneau.booking.outbox.Outbox}), delivered by a loop that retries with back-off until
 * the host acknowledges ({@link fr.creneau.booking.outbox.OutboxDelivery},
 * {@link fr.creneau.booking.outbox.MessageSink}), wrapped as the Hub Santé routes them
 * ({@link fr.creneau.booking.outbox.HubEnvelope}: EDXL-DE, RC-DE, RS-SAS-RDV).
 */
package fr.creneau.booking.outbox;
