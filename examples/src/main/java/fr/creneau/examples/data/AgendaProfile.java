package fr.creneau.examples.data;

import java.time.DayOfWeek;

import fr.creneau.feed.Visibility;

/**
 * The working habits of one practitioner, drawn once, from which {@link AgendaPlanner} lays out
 * the agenda of any day. Times are minutes since local midnight in the practitioner's zone, all
 * within 07:00-20:00 (never in a DST gap or overlap). A session {@code [start, end)} with
 * {@code start == end} is absent.
 *
 * <p>Immutable and thread-safe.
 *
 * @param slotMinutes   length of an ordinary slot: 15, 20 or 30
 * @param amStart       morning session start on a working day
 * @param amEnd         morning session end
 * @param pmStart       afternoon session start
 * @param pmEnd         afternoon session end
 * @param dayOff        a weekday off every week, or {@code null}
 * @param saturdayRate  probability that a given Saturday is worked (1 or 0 for a fixed habit)
 * @param saturdayEnd   end of the Saturday session (which starts at {@code amStart}); the afternoon
 *                      session is worked on Saturday only when {@code saturdayEnd >= pmEnd}
 * @param sundayRate    probability that a given Sunday or public holiday is worked (on-call rotas)
 * @param sundayStart   Sunday/holiday session start
 * @param sundayEnd     Sunday/holiday session end
 * @param sosShifts     SOS Médecins rota: one six-hour shift (08-14 or 14-20) every day instead of
 *                      the sessions above
 * @param teleShare     share of slots offered as teleconsultation
 * @param homeShare     share of slots offered as home visits
 * @param freeRate      probability that an agenda slot is free 48h ahead (tension included)
 * @param patientsOnly  every vendor slot is {@link Visibility#PATIENTELE}
 * @param visibility    visibility mix of the other practitioners' vendor slots
 * @param structure     may publish {@link Visibility#STRUCTURE} slots (member of a CPTS, MSP or CDS)
 * @param manualRate    share of agenda slots also entered by hand in the SAS agenda; 0 for none
 * @param seed          seed of this practitioner's day streams
 */
record AgendaProfile(
    int slotMinutes,
    int amStart,
    int amEnd,
    int pmStart,
    int pmEnd,
    DayOfWeek dayOff,
    double saturdayRate,
    int saturdayEnd,
    double sundayRate,
    int sundayStart,
    int sundayEnd,
    boolean sosShifts,
    double teleShare,
    double homeShare,
    double freeRate,
    boolean patientsOnly,
    Weighted<Visibility> visibility,
    boolean structure,
    double manualRate,
    long seed) {
}
