package fr.creneau.directory;

import java.util.Objects;

/**
 * The national identifiers of the French health directories, parsed and normalised: RPPS and
 * ADELI for professionals, FINESS and SIRET for structures. Each is accepted bare or with the
 * one-digit prefix the national identifiers (IDNPS, IDNST of the "Annuaire Santé") put before it:
 * {@code 8} RPPS, {@code 0} ADELI, {@code 1} FINESS, {@code 3} SIRET. The {@link #value()} is
 * always the bare form.
 *
 * <p><b>Practitioner keys.</b> A {@link Practitioner} is keyed by a {@code long} (its
 * {@code rpps}). An RPPS is eleven digits, so below 10<sup>11</sup>; an ADELI-only practitioner
 * (professions not yet moved to the RPPS) gets {@link #ADELI_KEY_BASE} + its nine ADELI digits,
 * a range no RPPS can reach. Both kinds therefore live in one {@code long} space without
 * collision, the off-heap index and the directory's map stay as they are, and
 * {@link #ofKey(long)} tells them apart again. The key of an ADELI is not an RPPS: render it with
 * {@link #keyText(long)}, never with {@link Rpps#format(long)}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind  which identifier
 * @param value the bare identifier, prefix removed (11 digits RPPS, 9 digits ADELI, 9 characters
 *              FINESS, 14 digits SIRET)
 */
public record NationalId(Kind kind, String value) {

    /** The identifier systems. */
    public enum Kind {
        /** Répertoire partagé des professionnels de santé: 11 digits, the last a Luhn key. */
        RPPS('8', 11),
        /** Automatisation DEs LIstes: 9 digits, for professions that still have it. */
        ADELI('0', 9),
        /** Fichier national des établissements sanitaires et sociaux: 9 characters. */
        FINESS('1', 9),
        /** Système d'identification du répertoire des établissements: 14 digits, Luhn. */
        SIRET('3', 14);

        private final char prefix;
        private final int length;

        Kind(final char prefix, final int length) {
            this.prefix = prefix;
            this.length = length;
        }

        /** The digit the national identifier (IDNPS, IDNST) puts before the bare value. */
        public char prefix() {
            return prefix;
        }

        /** Length of the bare value. */
        public int length() {
            return length;
        }
    }

    /** First practitioner key of an ADELI: 10<sup>11</sup>, one past the largest RPPS. */
    public static final long ADELI_KEY_BASE = 100_000_000_000L;

    /** SIREN of La Poste, whose establishments' SIRETs use another key than Luhn. */
    private static final String LA_POSTE_SIREN = "356000000";

    public NationalId {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    /**
     * Why {@code text} is not a practitioner identifier, or {@code null} when it is one: an RPPS
     * (11 digits with a valid Luhn key, or {@code 8} and those) or an ADELI (9 digits, or
     * {@code 0} and those).
     */
    public static String practitionerProblem(final String text) {
        return problemOr(text, true);
    }

    /**
     * Parses a practitioner identifier (see {@link #practitionerProblem(String)}).
     *
     * @throws IllegalArgumentException with the reason when it is not one
     */
    public static NationalId practitioner(final String text) {
        final String problem = practitionerProblem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return parsed(text, true);
    }

    /** An RPPS, bare or with its {@code 8}. @throws IllegalArgumentException when it is not one */
    public static NationalId rpps(final String text) {
        final NationalId id = practitioner(text);
        if (id.kind != Kind.RPPS) {
            throw new IllegalArgumentException("not an RPPS: " + quote(text));
        }
        return id;
    }

    /** An ADELI, bare or with its {@code 0}. @throws IllegalArgumentException when it is not one */
    public static NationalId adeli(final String text) {
        final NationalId id = practitioner(text);
        if (id.kind != Kind.ADELI) {
            throw new IllegalArgumentException("not an ADELI: " + quote(text));
        }
        return id;
    }

    /**
     * Why {@code text} is not a structure identifier, or {@code null}: a FINESS (9 characters,
     * digits but for {@code 2A}/{@code 2B} in Corsica, or {@code 1} and those) or a SIRET
     * (14 digits with a valid Luhn key, La Poste's excepted, or {@code 3} and those).
     */
    public static String structureProblem(final String text) {
        return problemOr(text, false);
    }

    /**
     * Parses a structure identifier (see {@link #structureProblem(String)}).
     *
     * @throws IllegalArgumentException with the reason when it is not one
     */
    public static NationalId structure(final String text) {
        final String problem = structureProblem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return parsed(text, false);
    }

    /**
     * The {@code long} a {@link Practitioner} is keyed by: the RPPS itself, or
     * {@link #ADELI_KEY_BASE} + the ADELI.
     *
     * @throws IllegalStateException for a structure identifier
     */
    public long key() {
        return switch (kind) {
            case RPPS -> Long.parseLong(value);
            case ADELI -> ADELI_KEY_BASE + Long.parseLong(value);
            default -> throw new IllegalStateException(kind + " does not identify a practitioner");
        };
    }

    /**
     * The identifier behind a practitioner key.
     *
     * @throws IllegalArgumentException when {@code key} is negative or beyond the ADELI range
     */
    public static NationalId ofKey(final long key) {
        if (key < 0 || key >= ADELI_KEY_BASE + 1_000_000_000L) {
            throw new IllegalArgumentException("not a practitioner key: " + key);
        }
        if (key < ADELI_KEY_BASE) {
            return new NationalId(Kind.RPPS, Rpps.format(key));
        }
        final String digits = Long.toString(key - ADELI_KEY_BASE);
        return new NationalId(Kind.ADELI, "0".repeat(Kind.ADELI.length - digits.length()) + digits);
    }

    /** {@code true} when the practitioner key is an ADELI's. */
    public static boolean isAdeliKey(final long key) {
        return key >= ADELI_KEY_BASE;
    }

    /**
     * A practitioner key for people: the eleven RPPS digits, or {@code ADELI 123456789}. Never
     * throws: a key outside both ranges (a test's, a bench's) is shown as {@link Rpps#format(long)} shows it.
     */
    public static String keyText(final long key) {
        return isAdeliKey(key) && key < ADELI_KEY_BASE + 1_000_000_000L ? "ADELI " + ofKey(key).value : Rpps.format(key);
    }

    /** The prefixed national form ({@code 8}+RPPS, {@code 0}+ADELI, {@code 1}+FINESS, {@code 3}+SIRET). */
    public String prefixed() {
        return kind.prefix + value;
    }

    private static NationalId parsed(final String text, final boolean practitioner) {
        final Kind bare = bareKind(text.length(), practitioner);
        if (bare != null) {
            return new NationalId(bare, text);
        }
        final Kind prefixed = bareKind(text.length() - 1, practitioner);
        return new NationalId(prefixed, text.substring(1));
    }

    /** The kind whose bare value has that length, among practitioners' or structures' kinds. */
    private static Kind bareKind(final int length, final boolean practitioner) {
        for (final Kind k : Kind.values()) {
            final boolean forPractitioner = k == Kind.RPPS || k == Kind.ADELI;
            if (forPractitioner == practitioner && k.length == length) {
                return k;
            }
        }
        return null;
    }

    private static String problemOr(final String text, final boolean practitioner) {
        final String what = practitioner ? "RPPS or ADELI" : "FINESS or SIRET";
        if (text == null) {
            return what + " is missing";
        }
        Kind kind = bareKind(text.length(), practitioner);
        String value = text;
        if (kind == null) {
            kind = bareKind(text.length() - 1, practitioner);
            if (kind == null || text.charAt(0) != kind.prefix) {
                return what + " must be " + lengths(practitioner) + ", got " + text.length()
                    + " characters in " + quote(text);
            }
            value = text.substring(1);
        }
        return valueProblem(kind, value, text);
    }

    private static String lengths(final boolean practitioner) {
        return practitioner
            ? "11 digits (RPPS), 12 with its prefix 8, 9 digits (ADELI) or 10 with its prefix 0"
            : "9 characters (FINESS), 10 with its prefix 1, 14 digits (SIRET) or 15 with its prefix 3";
    }

    private static String valueProblem(final Kind kind, final String value, final String text) {
        switch (kind) {
            case RPPS -> {
                final String p = Rpps.problem(value);
                return p == null ? null : p + (value.equals(text) ? "" : " (after its prefix 8)");
            }
            case ADELI -> {
                return allDigits(value, 0) ? null : "ADELI must be digits only: " + quote(text);
            }
            case FINESS -> {
                // The first two characters are the département: 2A and 2B in Corsica.
                final boolean dept = allDigits(value.substring(0, 2), 0)
                    || value.startsWith("2A") || value.startsWith("2B");
                return dept && allDigits(value, 2) ? null
                    : "FINESS must be digits (2A/2B allowed first): " + quote(text);
            }
            case SIRET -> {
                if (!allDigits(value, 0)) {
                    return "SIRET must be digits only: " + quote(text);
                }
                return value.startsWith(LA_POSTE_SIREN) || Rpps.luhnValid(value) ? null
                    : "SIRET check digit (Luhn) is wrong: " + quote(text);
            }
            default -> throw new AssertionError(kind);
        }
    }

    private static boolean allDigits(final String s, final int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** What an input held, for a message: control characters escaped, cut after 40 characters. */
    private static String quote(final String text) {
        final StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < text.length() && i < 40; i++) {
            final char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(text.length() > 40 ? "...'" : "'").toString();
    }
}
