package fr.creneau.examples.data;

import java.util.List;
import java.util.Locale;

/**
 * How much data to generate. Each scale has default départements and a factor applied to the
 * ameli GP count of each département (nurses and midwives follow the GPs, see {@link Proportions}).
 *
 * <p>Immutable and thread-safe.
 */
public enum Scale {
    /** A few hundred practitioners: a tenth of Paris, Lozère, La Réunion (two zones). For tests. */
    TINY(List.of("75", "48", "974"), 0.10, false),
    /** One urban and one rural département at full size: Bouches-du-Rhône and Alpes-de-Haute-Provence. */
    DEPARTEMENT(List.of("13", "04"), 1.0, false),
    /** All 101 départements, overseas included, at the real counts: ~100,000 practitioners. */
    FRANCE(List.of(), 1.0, false),
    /**
     * All départements, five times the practitioners (~500,000), and every agenda slot published (booked or
     * not, with the usual visibility mix): ~20 million slots when the 48 hours are two working days.
     */
    STRESS(List.of(), 5.0, true);

    private final List<String> defaultDepartements;
    private final double practitionerFactor;
    private final boolean wholeAgenda;

    Scale(final List<String> defaultDepartements, final double practitionerFactor, final boolean wholeAgenda) {
        this.defaultDepartements = defaultDepartements;
        this.practitionerFactor = practitionerFactor;
        this.wholeAgenda = wholeAgenda;
    }

    /** Département codes used when the configuration names none; empty means all of them. */
    public List<String> defaultDepartements() {
        return defaultDepartements;
    }

    /** Multiplier of the ameli GP count of each département. */
    public double practitionerFactor() {
        return practitionerFactor;
    }

    /** {@code true} when every agenda slot is published, not only the free ones. */
    public boolean wholeAgenda() {
        return wholeAgenda;
    }

    /**
     * Number of GPs this scale places in a département whose ameli count is {@code ameliCount}:
     * rounded, at least 1 when the département has any (so that Lozère is never empty).
     */
    public int gpCount(final int ameliCount) {
        if (ameliCount <= 0) {
            return 0;
        }
        return (int) Math.max(1, Math.round(ameliCount * practitionerFactor));
    }

    /** The scale named {@code name}, case-insensitive ({@code tiny}, {@code departement}, ...). */
    public static Scale parse(final String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scale '" + name + "', expected one of tiny, departement, france, stress", e);
        }
    }
}
