package fr.creneau.examples.data;

import java.util.Set;
import java.util.SplittableRandom;

/**
 * Fictitious French phone numbers in national format, {@code "0X XX XX XX XX"} (ten digits in
 * pairs), with the geographic prefix of the département: 01 Île-de-France, 02 north-west, 03
 * north-east, 04 south-east, 05 south-west; overseas 05 90 (Guadeloupe), 05 96 (Martinique),
 * 05 94 (Guyane), 02 62 (La Réunion), 02 69 (Mayotte). Mobiles are 06 or 07.
 *
 * <p>Stateless and thread-safe.
 */
final class Phones {
    /** Occitanie départements east of the 04/05 line (Languedoc-Roussillon). */
    private static final Set<String> OCCITANIE_04 = Set.of("11", "30", "34", "48", "66");

    private Phones() {
    }

    /** A landline of département {@code dep} (region {@code regCode}, INSEE 2016 code). */
    static String landline(final String dep, final String regCode, final SplittableRandom rng) {
        switch (dep) {
            case "971":
                return "05 90 " + pairs(3, rng);
            case "972":
                return "05 96 " + pairs(3, rng);
            case "973":
                return "05 94 " + pairs(3, rng);
            case "974":
                return "02 62 " + pairs(3, rng);
            case "976":
                return "02 69 " + pairs(3, rng);
            default:
                return "0" + zoneDigit(dep, regCode) + ' ' + pairs(4, rng);
        }
    }

    /** A mobile number, 06 or 07. */
    static String mobile(final SplittableRandom rng) {
        return (rng.nextBoolean() ? "06 " : "07 ") + pairs(4, rng);
    }

    private static char zoneDigit(final String dep, final String regCode) {
        switch (regCode) {
            case "11":
                return '1';
            case "24": // Centre-Val de Loire
            case "28": // Normandie
            case "52": // Pays de la Loire
            case "53": // Bretagne
                return '2';
            case "27": // Bourgogne-Franche-Comté
            case "32": // Hauts-de-France
            case "44": // Grand Est
                return '3';
            case "84": // Auvergne-Rhône-Alpes
            case "93": // Provence-Alpes-Côte d'Azur
            case "94": // Corse
                return '4';
            case "76": // Occitanie: Languedoc-Roussillon 04, Midi-Pyrénées 05
                return OCCITANIE_04.contains(dep) ? '4' : '5';
            default: // 75 Nouvelle-Aquitaine
                return '5';
        }
    }

    /** {@code count} space-separated pairs of digits, the first one in 10..99 (no 0 after the prefix). */
    private static String pairs(final int count, final SplittableRandom rng) {
        final StringBuilder sb = new StringBuilder(3 * count);
        for (int i = 0; i < count; i++) {
            final int pair = i == 0 ? 10 + rng.nextInt(90) : rng.nextInt(100);
            if (i > 0) {
                sb.append(' ');
            }
            if (pair < 10) {
                sb.append('0');
            }
            sb.append(pair);
        }
        return sb.toString();
    }
}
