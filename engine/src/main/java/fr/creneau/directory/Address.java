package fr.creneau.directory;

import java.util.List;
import java.util.Objects;

/**
 * A postal address as the operator reads it to the patient ("l'OSNP transmettra … l'horaire,
 * l'adresse"). Immutable. Every part but the lines may be unknown ({@code null}); a national
 * directory address always has at least a postal code or a city.
 *
 * @param lines      street lines, in order (number and street, building, ...); never {@code null}
 * @param postalCode five-digit postal code, or {@code null}
 * @param city       city name, or {@code null}
 * @param inseeCode  INSEE commune code (five characters, {@code 2A}/{@code 2B} for Corsica), or
 *                   {@code null}; places a site without coordinates at its commune
 */
public record Address(List<String> lines, String postalCode, String city, String inseeCode) {

    public Address {
        lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
    }

    /** One line: street lines, then postal code and city, separated by {@code ", "}. */
    public String oneLine() {
        final StringBuilder sb = new StringBuilder();
        for (final String line : lines) {
            append(sb, line);
        }
        final String town = postalCode == null ? city : city == null ? postalCode : postalCode + ' ' + city;
        append(sb, town);
        return sb.toString();
    }

    private static void append(final StringBuilder sb, final String part) {
        if (part == null || part.isBlank()) {
            return;
        }
        if (sb.length() > 0) {
            sb.append(", ");
        }
        sb.append(part.strip());
    }
}
