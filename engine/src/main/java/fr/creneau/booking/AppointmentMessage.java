package fr.creneau.booking;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.creneau.directory.Participation;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Rpps;

/**
 * One Hub Santé RS-SAS-RDV message ("rendez-vous SAS"), the appointment notice LRMs already
 * consume, as published by the ANS in {@code ansforge/SAMU-Hub-Modeles}
 * ({@code src/main/resources/json-schema/RS-SAS-RDV.schema.json}, JSON Schema draft-07, schema
 * version 26.07.29). {@link #toJson()} is the {@code appointment} object the schema describes;
 * {@link #toWrappedJson()} wraps it as the ANS samples do ({@code {"appointment": {...}}}), ready
 * for the host's EDXL-DE envelope. Immutable.
 *
 * <p>Mapping (see {@code docs/booking.md}): {@code appointmentId} is the hold token;
 * {@code created} the confirmation time; {@code start}/{@code end} the slot in the practitioner's
 * civil time (offset, whole seconds); a confirmation is {@code CreateAppointment}/{@code booked},
 * a cancellation {@code UpdateAppointment}/{@code cancelled} (the schema has no cancel method);
 * {@code orientationCategory} comes from the practitioner's {@link Participation};
 * {@code practitioner.rppsId} is {@code 8} + RPPS (the national identifier of a person, as the
 * schema's {@code ^81[0-9]{10}$} expects); {@code regulator} is the {@link Operator}.
 *
 * @param kind                created or cancelled
 * @param appointmentId       the hold token
 * @param created             when the booking was confirmed
 * @param start               slot start
 * @param end                 slot end
 * @param zone                civil time zone for the offsets
 * @param orientationCategory {@code PS}, {@code CPTS}, {@code MSP}, {@code CDS} or {@code SOS}
 * @param rpps                practitioner
 * @param lastName            practitioner's family name (from the directory's display name)
 * @param firstName           practitioner's given name (may be empty)
 * @param profession          practitioner's profession
 * @param organizationId      the CPTS id, or {@code null}
 * @param organizationName    the CPTS name, or {@code null}
 * @param regulator           who booked
 */
public record AppointmentMessage(Kind kind, HoldToken appointmentId, Instant created, Instant start, Instant end,
                                 ZoneId zone, String orientationCategory, long rpps, String lastName,
                                 String firstName, Profession profession, String organizationId,
                                 String organizationName, Operator regulator) {
    /** TRE_G15 (profession de santé) terminology. */
    public static final String PROFESSION_URL =
        "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante";
    /** TRE_R38 (spécialité ordinale) terminology. */
    public static final String SPECIALITY_URL =
        "https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale";
    /** The schema's date-time: offset always numeric ({@code +01:00}, never {@code Z}), whole seconds. */
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What happened to the appointment. */
    public enum Kind {
        /** Confirmed: {@code CreateAppointment}, {@code booked}. */
        CREATED,
        /** Cancelled by a release: {@code UpdateAppointment}, {@code cancelled}. */
        CANCELLED,
        /** The patient came (an operator's outcome): {@code UpdateAppointment}, {@code fulfilled}. */
        FULFILLED,
        /** The patient did not come: {@code UpdateAppointment}, {@code noshow}. */
        NO_SHOW
    }

    public AppointmentMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(appointmentId, "appointmentId");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(orientationCategory, "orientationCategory");
        Objects.requireNonNull(lastName, "lastName");
        Objects.requireNonNull(firstName, "firstName");
        Objects.requireNonNull(profession, "profession");
        Objects.requireNonNull(regulator, "regulator");
    }

    static AppointmentMessage of(final Kind kind, final HoldToken token, final SlotFacts f, final Operator operator,
                                 final Instant bookedAt) {
        final String[] name = splitName(f.practitionerName());
        return new AppointmentMessage(kind, token, bookedAt, f.start(), f.end(), f.zone(),
            orientationCategory(f.participation()), f.slot().rpps(), name[0], name[1], f.profession(),
            f.cptsId(), f.cptsName(), operator);
    }

    /** RS-SAS-RDV {@code orientationCategory} of a participation ({@code PDM} is never produced). */
    public static String orientationCategory(final Participation p) {
        switch (p) {
            case CPTS:
                return "CPTS";
            case MSP:
                return "MSP";
            case CDS:
                return "CDS";
            case SOS_MEDECINS:
                return "SOS";
            case INDIVIDUAL:
            case NONE:
            default:
                return "PS";
        }
    }

    /** TRE_G15 code of a profession: 10 médecin, 50 sage-femme, 60 infirmier. */
    public static String professionCode(final Profession p) {
        switch (p) {
            case MIDWIFE:
                return "50";
            case NURSE:
                return "60";
            case GP:
            default:
                return "10";
        }
    }

    /**
     * {family, given} from a directory display name, which has one field: honorifics dropped; the
     * words written in capitals are the family name ("Marie MARTIN", "Jean DE LA TOUR"); without
     * any, the last word is.
     */
    static String[] splitName(final String display) {
        final List<String> words = new ArrayList<>(List.of(display.trim().split("\\s+")));
        while (words.size() > 1 && words.get(0).toLowerCase(Locale.ROOT).matches("dr\\.?|docteur|pr\\.?|professeur")) {
            words.remove(0);
        }
        final List<String> upper = new ArrayList<>();
        final List<String> other = new ArrayList<>();
        for (final String w : words) {
            (isCapitals(w) ? upper : other).add(w);
        }
        if (!upper.isEmpty() && !other.isEmpty()) {
            return new String[] {String.join(" ", upper), String.join(" ", other)};
        }
        if (words.size() == 1) {
            return new String[] {words.get(0), ""};
        }
        return new String[] {words.get(words.size() - 1), String.join(" ", words.subList(0, words.size() - 1))};
    }

    private static boolean isCapitals(final String w) {
        boolean letter = false;
        for (int i = 0; i < w.length(); i++) {
            final char c = w.charAt(i);
            if (Character.isLetter(c)) {
                letter = true;
                if (!Character.isUpperCase(c)) {
                    return false;
                }
            }
        }
        return letter && w.length() > 1;
    }

    /** RS-SAS-RDV {@code method}. */
    public String method() {
        return kind == Kind.CREATED ? "CreateAppointment" : "UpdateAppointment";
    }

    /** RS-SAS-RDV {@code status}. */
    public String status() {
        switch (kind) {
            case CREATED:
                return "booked";
            case FULFILLED:
                return "fulfilled";
            case NO_SHOW:
                return "noshow";
            case CANCELLED:
            default:
                return "cancelled";
        }
    }

    /** The {@code appointment} object, as the schema describes it. A new tree each call. */
    public ObjectNode toJson() {
        final ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("appointmentId", appointmentId.toString());
        a.put("method", method());
        a.put("created", DATE_TIME.format(created.atZone(zone)));
        a.put("status", status());
        a.put("orientationCategory", orientationCategory);
        a.put("start", DATE_TIME.format(start.atZone(zone)));
        a.put("end", DATE_TIME.format(end.atZone(zone)));
        final ObjectNode p = a.putObject("practitioner");
        p.put("rppsId", "8" + Rpps.format(rpps));
        p.put("lastName", lastName);
        p.put("firstName", firstName);
        if (profession == Profession.GP) {
            p.put("specialityCode", "SM54"); // médecine générale, as in the ANS samples
            p.put("specialityUrl", SPECIALITY_URL);
        }
        p.put("professionCode", professionCode(profession));
        p.put("professionUrl", PROFESSION_URL);
        if (organizationId != null) {
            final ObjectNode o = a.putObject("organization");
            o.put("organizationId", organizationId);
            o.put("name", organizationName == null ? organizationId : organizationName);
        }
        final ObjectNode r = a.putObject("regulator");
        r.put("regulatorId", regulator.id());
        r.put("regulatorName", regulator.lastName());
        r.put("regulatorFirstname", regulator.firstName());
        r.put("regulatorEmail", regulator.email());
        return a;
    }

    /** {@code {"appointment": {...}}}, as in the ANS sample messages. */
    public ObjectNode toWrappedJson() {
        final ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("appointment", toJson());
        return root;
    }

    /** The wrapped message as JSON text. */
    public String toJsonString() {
        try {
            return JSON.writeValueAsString(toWrappedJson());
        } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot happen for a tree of strings", e);
        }
    }
}
