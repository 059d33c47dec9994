package fr.creneau.booking;

import java.util.Objects;

/**
 * The OSNP or regulator who holds and books a slot: named in the journal, in the RS-SAS-RDV
 * message ({@code regulator}) and used to recognise a retried hold (same {@link #id}).
 * Immutable and thread-safe.
 *
 * @param id        stable identifier in the host (e.g. the LRM login or the RPPS/ADELI of the
 *                  regulator); two operators with the same id are the same operator
 * @param lastName  family name ({@code regulatorName})
 * @param firstName given name ({@code regulatorFirstname})
 * @param email     address ({@code regulatorEmail})
 */
public record Operator(String id, String lastName, String firstName, String email) {
    /** Longest accepted field: journal strings are length-prefixed in 16 bits, and no name needs more. */
    public static final int MAX_FIELD = 256;

    public Operator {
        check(id, "id");
        check(lastName, "lastName");
        check(firstName, "firstName");
        check(email, "email");
        if (id.isBlank()) {
            throw new IllegalArgumentException("operator id is blank");
        }
    }

    private static void check(final String value, final String name) {
        Objects.requireNonNull(value, name);
        if (value.length() > MAX_FIELD) {
            throw new IllegalArgumentException("operator " + name + " longer than " + MAX_FIELD + " characters");
        }
        // These strings reach the journal, the audit log, RS-SAS-RDV messages and terminals: a
        // newline would forge a log line, an escape sequence or a bidirectional override would
        // make an operator's name read as another's.
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069)) {
                throw new IllegalArgumentException(String.format("operator %s has a control character (U+%04X) at"
                    + " index %d", name, (int) c, i));
            }
        }
    }
}
