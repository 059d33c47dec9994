package fr.creneau.booking;

import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import fr.creneau.CreneauException;

/**
 * The handle of one hold, and later of the booking it became: a random (version 4) UUID. It is
 * also the RS-SAS-RDV {@code appointmentId} and the idempotency key given to the vendor gateway,
 * so a retried confirmation can never book twice at the vendor. Immutable and thread-safe.
 *
 * @param uuid the value
 */
public record HoldToken(UUID uuid) {
    public HoldToken {
        Objects.requireNonNull(uuid, "uuid");
    }

    /**
     * A new random token. Not {@link UUID#randomUUID()}: its shared {@code SecureRandom} would
     * serialise concurrent holds; a token is a handle, not a secret (operators are authenticated by
     * the host).
     */
    static HoldToken random() {
        final ThreadLocalRandom r = ThreadLocalRandom.current();
        final long hi = (r.nextLong() & ~0xF000L) | 0x4000L;                 // version 4
        final long lo = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
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
