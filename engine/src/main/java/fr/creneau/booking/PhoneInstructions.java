package fr.creneau.booking;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;

import fr.creneau.feed.Modality;

/**
 * How to finish a booking by phone (manual slot, aggregation-only vendor): whom to call and what
 * to tell them. The script holds only patient-independent facts (slot time in the practitioner's
 * civil time, modality, "patient adressé par le SAS"); the OSNP adds the patient. Immutable.
 *
 * @param number           number to call
 * @param practitionerName whom to ask for
 * @param scriptFr         what to say, in French
 * @param scriptEn         the same, in English
 */
public record PhoneInstructions(String number, String practitionerName, String scriptFr, String scriptEn) {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter FR = DateTimeFormatter.ofPattern("EEEE d MMMM uuuu 'à' HH'h'mm", Locale.FRENCH);
    private static final DateTimeFormatter EN = DateTimeFormatter.ofPattern("EEEE d MMMM uuuu 'at' HH:mm", Locale.ENGLISH);

    public PhoneInstructions {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(practitionerName, "practitionerName");
        Objects.requireNonNull(scriptFr, "scriptFr");
        Objects.requireNonNull(scriptEn, "scriptEn");
    }

    static PhoneInstructions of(final SlotFacts f) {
        final ZonedDateTime start = f.start().atZone(f.zone());
        final String zoneFr = f.zone().equals(PARIS) ? "heure de Paris" : "heure locale, " + f.zone().getId();
        final String zoneEn = f.zone().equals(PARIS) ? "Paris time" : "local time, " + f.zone().getId();
        final String fr = "Bonjour, j'appelle de la part du SAS (Service d'accès aux soins, centre 15) pour "
            + f.practitionerName() + " : rendez-vous sur votre créneau du " + FR.format(start) + " (" + zoneFr + "), "
            + modalities(f.modalities(), true) + ". Patient adressé par le SAS.";
        final String en = "Hello, I am calling from the SAS (Service d'accès aux soins, the 15 call centre) for "
            + f.practitionerName() + ": an appointment in your slot on " + EN.format(start) + " (" + zoneEn + "), "
            + modalities(f.modalities(), false) + ". Patient referred by the SAS (\"patient adressé par le SAS\").";
        return new PhoneInstructions(f.phone(), f.practitionerName(), fr, en);
    }

    private static String modalities(final int bits, final boolean french) {
        final StringJoiner j = new StringJoiner(french ? " ou " : " or ");
        if ((bits & Modality.OFFICE.bit()) != 0) {
            j.add(french ? "consultation au cabinet" : "office consultation");
        }
        if ((bits & Modality.TELECONSULTATION.bit()) != 0) {
            j.add(french ? "téléconsultation" : "teleconsultation");
        }
        if ((bits & Modality.HOME_VISIT.bit()) != 0) {
            j.add(french ? "visite à domicile" : "home visit");
        }
        return j.toString();
    }
}
