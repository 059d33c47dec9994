package fr.creneau.booking;

/**
 * {@code Appointment.status} as the guide's flux INT_R03 (profile FrAppointmentSAS) uses it: the
 * vendor reports a booking made on its agenda, its cancellation, and afterwards whether the
 * patient came.
 */
public enum AppointmentStatus {
    BOOKED("booked"),
    CANCELLED("cancelled"),
    FULFILLED("fulfilled"),
    NOSHOW("noshow");

    private final String code;

    AppointmentStatus(final String code) {
        this.code = code;
    }

    /** The FHIR code ({@code booked}, {@code cancelled}, {@code fulfilled}, {@code noshow}). */
    public String code() {
        return code;
    }

    /** The status of that FHIR code, or {@code null} when it is none of the four. */
    public static AppointmentStatus of(final String code) {
        for (final AppointmentStatus s : values()) {
            if (s.code.equals(code)) {
                return s;
            }
        }
        return null;
    }
}
