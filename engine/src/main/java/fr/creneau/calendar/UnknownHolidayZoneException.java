package fr.creneau.calendar;

import fr.creneau.error.CreneauException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A holiday-zone name that {@link HolidayZone} does not model. */
public final class UnknownHolidayZoneException extends CreneauException {
    private static final long serialVersionUID = 1L;

    private final String label;

    public UnknownHolidayZoneException(final String label) {
        super("unknown public-holiday zone '" + label + "'; known zones: "
            + Arrays.stream(HolidayZone.values()).map(HolidayZone::label)
                .collect(Collectors.joining(", ")));
        this.label = label;
    }

    /** The name as it was given. */
    public String label() {
        return label;
    }
}
