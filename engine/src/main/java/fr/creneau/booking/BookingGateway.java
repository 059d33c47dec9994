package fr.creneau.booking;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

import fr.creneau.slot.SlotId;

/**
 * The SPI through which Créneau books and cancels at a vendor interfaced end to end
 * ({@link fr.creneau.directory.Integration#END_TO_END}): the host implements it with the vendor's
 * API (or the SAS platform's). Called by {@link BookingService#confirm} and
 * {@link BookingService#release} for ONLINE slots only, on the caller's thread, with no Créneau
 * lock held; implementations must be thread-safe and should time out on their own.
 *
 * <p><b>Idempotency.</b> {@link Request#idempotencyKey()} is the hold token: the same key may come
 * again (a confirm retried after {@link Refusal#VENDOR_UNAVAILABLE}, or after a crash between the
 * vendor's answer and the journal write), and must then yield the same booking, not a second one.
 *
 * <p>An exception (I/O, timeout, anything) means "unknown outcome": the hold or booking stands and
 * the caller gets {@link Refusal#VENDOR_UNAVAILABLE}.
 */
public interface BookingGateway {
    /** Books the slot at the vendor. */
    Response book(Request request) throws IOException;

    /** Cancels a booking made by {@link #book} (its reference as the vendor gave it). */
    Response cancel(Request request, String vendorReference) throws IOException;

    /** The default when the host configured none: every call fails, ONLINE slots cannot be confirmed. */
    static BookingGateway unavailable() {
        return new BookingGateway() {
            @Override
            public Response book(final Request request) throws IOException {
                throw new IOException("no BookingGateway configured (Creneau.Builder.bookingGateway)");
            }

            @Override
            public Response cancel(final Request request, final String vendorReference) throws IOException {
                throw new IOException("no BookingGateway configured (Creneau.Builder.bookingGateway)");
            }
        };
    }

    /**
     * What to book.
     *
     * @param idempotencyKey the hold token
     * @param slot           the slot (vendor code, RPPS, start)
     * @param start          slot start
     * @param end            slot end
     * @param modalities     modality set of the slot
     * @param operator       who books
     * @param patient        whom it is for, or {@code null} (a retry after a restart: the vendor has
     *                       the patient under the key already); never stored by Créneau
     */
    record Request(HoldToken idempotencyKey, SlotId slot, Instant start, Instant end, int modalities,
                   Operator operator, Patient patient) {
        public Request {
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
            Objects.requireNonNull(slot, "slot");
            Objects.requireNonNull(operator, "operator");
        }

        /** A request without patient (a retry after a restart, or a host that gives none). */
        public Request(final HoldToken idempotencyKey, final SlotId slot, final Instant start, final Instant end,
                       final int modalities, final Operator operator) {
            this(idempotencyKey, slot, start, end, modalities, operator, null);
        }
    }

    /**
     * The vendor's answer.
     *
     * @param accepted  {@code true} when booked (or cancelled)
     * @param reference the vendor's confirmation number when accepted
     * @param reason    the vendor's words when refused
     */
    record Response(boolean accepted, String reference, String reason) {
        public static Response accepted(final String reference) {
            return new Response(true, Objects.requireNonNull(reference, "reference"), null);
        }

        public static Response refused(final String reason) {
            return new Response(false, null, Objects.requireNonNull(reason, "reason"));
        }
    }
}
