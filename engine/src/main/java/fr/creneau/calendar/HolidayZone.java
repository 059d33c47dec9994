package fr.creneau.calendar;

import fr.creneau.directory.Territory;

/**
 * A public-holiday zone, named as in the {@code zones} column of the Etalab holiday data set.
 * Alsace-Moselle is its own zone (Good Friday and 26 December on top of the national days); each
 * overseas département adds its own abolition-of-slavery day.
 *
 * <p>Immutable enum, safe to share between threads.
 */
public enum HolidayZone {
    /** Metropolitan France (and Corsica) outside Alsace-Moselle. */
    METROPOLE("Métropole"),
    /** Bas-Rhin, Haut-Rhin and Moselle: local law adds Good Friday and 26 December. */
    ALSACE_MOSELLE("Alsace-Moselle"),
    /** 971. */
    GUADELOUPE("Guadeloupe"),
    /** 972. */
    MARTINIQUE("Martinique"),
    /** 973. */
    GUYANE("Guyane"),
    /** 974. */
    LA_REUNION("La Réunion"),
    /** 976. */
    MAYOTTE("Mayotte");

    private static final HolidayZone[] VALUES = values();

    private final String label;

    HolidayZone(final String label) {
        this.label = label;
    }

    /** The zone name exactly as the Etalab data spells it (accents included). */
    public String label() {
        return label;
    }

    /**
     * The zone whose Etalab name is {@code label}, or {@code null} when the library does not model
     * it (the overseas collectivities such as Nouvelle-Calédonie have no SAS).
     */
    public static HolidayZone fromLabelOrNull(final String label) {
        for (final HolidayZone z : VALUES) {
            if (z.label.equals(label)) {
                return z;
            }
        }
        return null;
    }

    /**
     * The zone whose Etalab name is {@code label}.
     *
     * @throws UnknownHolidayZoneException when no modelled zone has that name
     */
    public static HolidayZone fromLabel(final String label) {
        final HolidayZone z = fromLabelOrNull(label);
        if (z == null) {
            throw new UnknownHolidayZoneException(label);
        }
        return z;
    }

    /**
     * The default holiday zone of a territory. Metropolitan France maps to {@link #METROPOLE};
     * a host serving Alsace-Moselle must say so in its {@link CareHoursConfig}, since a territory
     * box cannot tell Strasbourg's law from Nancy's.
     */
    public static HolidayZone of(final Territory territory) {
        return fromLabel(territory.holidayZone());
    }
}
