package fr.creneau.booking;

import java.util.Objects;
import java.util.UUID;
import java.security.SecureRandom;

import fr.creneau.error.CreneauException;

/**
 * The handle of one hold, and later of the booking it became: a random (version 4) UUID. It is
 * also the RS-SAS-RDV {@code appointmentId} and the idempotency key given to the vendor gateway,
 * so a retried confirmation can never book twice at the vendor; it is drawn from a
 * {@link SecureRandom} so that it cannot be predicted from earlier ones. Immutable and thread-safe.
 *
 * @param uuid the value
 */
public record HoldToken(UUID uuid) {
    public HoldToken {
        Objects.requireNonNull(uuid, "uuid");
    }

    /**
     * A new random token from {@code random}. The token must be unguessable: it is the vendor's
     * idempotency key (whoever knows a pending one can complete or pre-empt that booking) and the
     * appointment id sent to the LRM, so it comes from a {@link SecureRandom}, never from
     * {@code ThreadLocalRandom}, whose outputs give away its seed and so every later token. Each
     * {@link BookingService} has its own instance: {@code SecureRandom} is thread-safe, and one
     * draw of 16 bytes (about a microsecond) is small beside the journal write of the same hold.
     */
    static HoldToken random(final SecureRandom random) {
        final byte[] b = new byte[16];
        random.nextBytes(b);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xFF);
            lo = (lo << 8) | (b[8 + i] & 0xFF);
        }
        hi = (hi & ~0xF000L) | 0x4000L;                                     // version 4
        lo = (lo & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;        // IETF variant
        return new HoldToken(new UUID(hi, lo));
    }

    /**
     * Reads a token from its text.
     *
     * @throws MalformedTokenException when the text is not a UUID
     */
    public static HoldToken parse(final String text) {
        try {
            return new HoldToken(UUID.fromString(Objects.requireNonNull(text, "text")));
        } catch (final IllegalArgumentException e) {
            throw new MalformedTokenException(text);
        }
    }

    @Override
    public String toString() {
        return uuid.toString();
    }

    /** A token text that is not a UUID. */
    public static final class MalformedTokenException extends CreneauException {
        private static final long serialVersionUID = 1L;

        public MalformedTokenException(final String text) {
            super("malformed hold token '" + text + "': expected a UUID");
        }
    }
}
