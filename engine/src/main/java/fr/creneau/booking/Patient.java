package fr.creneau.booking;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Who the appointment is for, as a vendor needs it to book: passed through to the
 * {@link BookingGateway} on {@link BookingService#confirm(HoldToken, Patient)} and <b>never stored</b>
 * by Créneau (not in the journal, not in the audit log, not in a message, not in a claim): a
 * restart that resolves a confirmation in doubt asks the vendor again by idempotency key alone,
 * since the vendor already has the patient under that key. {@link #toString()} shows no field, so
 * a log line that prints a request cannot leak it. Immutable.
 *
 * @param familyName family name
 * @param givenName  given name
 * @param birthDate  birth date, or {@code null}
 * @param phone      phone number, or {@code null}
 * @param email      e-mail, or {@code null}
 * @param ins        INS (identifiant national de santé) when known, or {@code null}
 */
public record Patient(String familyName, String givenName, LocalDate birthDate, String phone, String email,
                      String ins) {
    public Patient {
        Objects.requireNonNull(familyName, "familyName");
        Objects.requireNonNull(givenName, "givenName");
    }

    @Override
    public String toString() {
        return "Patient[redacted]";
    }
}
