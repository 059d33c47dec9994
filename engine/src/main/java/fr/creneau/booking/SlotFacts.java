package fr.creneau.booking;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

import fr.creneau.directory.Participation;
import fr.creneau.directory.Profession;
import fr.creneau.slot.Minutes;
import fr.creneau.slot.SlotId;
import fr.creneau.rank.BookingMethod;

/**
 * What a hold knows about its slot and practitioner, taken from the index and the directory when
 * the hold is made and written into the journal with it: a booking, its phone script and its
 * RS-SAS-RDV messages are rebuilt identically after a restart, whatever the directory says by
 * then. Patient-independent by construction. Immutable.
 *
 * @param slot             canonical slot id (vendor code as registered)
 * @param endMinute        end, minutes since 2020-01-01T00:00Z
 * @param modalities       modality set of the slot ({@link fr.creneau.feed.Modality#bit()})
 * @param method           how the booking is finished
 * @param practitionerName display name in the directory
 * @param phone            number the OSNP calls
 * @param profession       profession
 * @param participation    how the practitioner takes part in the SAS (gives {@code orientationCategory})
 * @param cptsId           the CPTS they registered through, or {@code null}
 * @param cptsName         its name, or {@code null}
 * @param zone             civil time zone of the practitioner's territory (Europe/Paris in metropolitan France)
 */
record SlotFacts(SlotId slot, int endMinute, int modalities, BookingMethod method, String practitionerName,
                 String phone, Profession profession, Participation participation, String cptsId, String cptsName,
                 ZoneId zone) {
    SlotFacts {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(practitionerName, "practitionerName");
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(profession, "profession");
        Objects.requireNonNull(participation, "participation");
        Objects.requireNonNull(zone, "zone");
    }

    /**
     * What this process knows of a slot another process claimed when its index does not list it:
     * its identity only (the rest is never shown, journaled or sent).
     */
    static SlotFacts identityOnly(final SlotId slot) {
        return new SlotFacts(slot, slot.startMinute(), 0, BookingMethod.PHONE, "", "", Profession.GP,
            Participation.NONE, null, null, ZoneId.of("Europe/Paris"));
    }

    Instant start() {
        return slot.start();
    }

    Instant end() {
        return Minutes.toInstant(endMinute);
    }
}
