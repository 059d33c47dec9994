package fr.creneau.examples.data;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What to generate: the random seed, the scale, the instant the 48-hour window starts at, and
 * optionally the départements (INSEE codes such as {@code "75"}, {@code "2A"}, {@code "974"}).
 * Same configuration, same bytes.
 *
 * <p>Immutable and thread-safe.
 *
 * @param seed         seed of every random draw
 * @param scale        size of the data set
 * @param now          start of the 48-hour slot window; slots lie in [now, now + 48h]
 * @param departements départements to generate, in this order; empty for the scale's default
 */
public record GeneratorConfig(long seed, Scale scale, Instant now, List<String> departements) {
    public GeneratorConfig {
        Objects.requireNonNull(scale, "scale");
        Objects.requireNonNull(now, "now");
        departements = List.copyOf(Objects.requireNonNull(departements, "departements"));
        if (departements.stream().distinct().count() != departements.size()) {
            throw new IllegalArgumentException("duplicate département in " + departements);
        }
    }

    /** The scale's default départements. */
    public static GeneratorConfig of(final long seed, final Scale scale, final Instant now) {
        return new GeneratorConfig(seed, scale, now, List.of());
    }

    /** The same configuration restricted to {@code codes}. */
    public GeneratorConfig withDepartements(final List<String> codes) {
        return new GeneratorConfig(seed, scale, now, codes);
    }

    /** The same configuration with another window start. */
    public GeneratorConfig withNow(final Instant instant) {
        return new GeneratorConfig(seed, scale, instant, departements);
    }

    /** Départements actually generated: the given ones, else the scale's default, else all (file order). */
    List<String> effectiveDepartements(final ReferenceData data) {
        final List<String> codes = !departements.isEmpty() ? departements
            : !scale.defaultDepartements().isEmpty() ? scale.defaultDepartements()
            : List.copyOf(data.departements().keySet());
        for (final String code : codes) {
            data.departement(code); // fails with the valid codes listed
        }
        return codes;
    }
}
