package fr.creneau.calendar;

/**
 * Which unscheduled-care channel takes a call at a given moment. Exactly one is open at any
 * instant: the PDSA covers every hour the SAS daytime channel does not.
 *
 * <p>Immutable enum, safe to share between threads.
 */
public enum CareChannel {
    /**
     * The SAS daytime GP channel (by default weekdays 08:00-20:00, Saturday 08:00-12:00, except
     * public holidays and bridge days): the OSNP looks for a slot within 48h.
     */
    SAS,
    /**
     * The PDSA (permanence des soins ambulatoires), the out-of-hours service: nights, Saturday
     * afternoons, Sundays, public holidays and bridge days.
     */
    PDSA
}
