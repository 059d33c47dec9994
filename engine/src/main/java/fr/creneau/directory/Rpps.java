package fr.creneau.directory;

/**
 * RPPS numbers: the national identifier of a health professional, eleven decimal digits whose last
 * one is a Luhn check digit. Held as a {@code long} everywhere (no String per practitioner on hot
 * paths); rendered with leading zeros kept.
 *
 * <p>Stateless and thread-safe.
 */
public final class Rpps {
    /** Number of digits of an RPPS. */
    public static final int LENGTH = 11;

    private Rpps() {
    }

    /**
     * Why {@code text} is not a valid RPPS, or {@code null} when it is one.
     *
     * @param text candidate, may be {@code null}
     * @return a one-line reason for a report, or {@code null}
     */
    public static String problem(final String text) {
        if (text == null) {
            return "RPPS is missing";
        }
        if (text.length() != LENGTH) {
            return "RPPS must have " + LENGTH + " digits, got " + text.length() + " in '" + text + "'";
        }
        for (int i = 0; i < LENGTH; i++) {
            final char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return "RPPS must be digits only: '" + text + "'";
            }
        }
        if (!luhnValid(text)) {
            return "RPPS check digit (Luhn) is wrong: '" + text + "'";
        }
        return null;
    }

    /** {@code true} when {@code text} is eleven digits with a valid Luhn key. */
    public static boolean isValid(final String text) {
        return problem(text) == null;
    }

    /**
     * Parses a valid RPPS.
     *
     * @throws IllegalArgumentException with the reason when it is not one
     */
    public static long parse(final String text) {
        final String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return Long.parseLong(text);
    }

    /** The eleven-digit form of an RPPS held as a long (leading zeros restored). */
    public static String format(final long rpps) {
        final String digits = Long.toString(rpps);
        if (digits.length() >= LENGTH) {
            return digits;
        }
        return "0".repeat(LENGTH - digits.length()) + digits;
    }

    /**
     * Completes a ten-digit body with its Luhn check digit: used by data generators and tests to
     * build valid numbers.
     */
    public static String withCheckDigit(final String body) {
        if (body.length() != LENGTH - 1) {
            throw new IllegalArgumentException("RPPS body must have " + (LENGTH - 1) + " digits: " + body);
        }
        for (int check = 0; check <= 9; check++) {
            final String candidate = body + check;
            if (luhnValid(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("Luhn always has a check digit");
    }

    /** Luhn check over decimal digits (RPPS keys, SIRET): shared with {@link NationalId}. */
    static boolean luhnValid(final String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }
}
