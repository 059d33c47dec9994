package fr.creneau.examples.data;

import fr.creneau.directory.Participation;
import fr.creneau.feed.Visibility;

/**
 * Every proportion the generator uses, in one place, each with why it has that value. Sources
 * are named where a figure comes from one; the others are stated assumptions, chosen to be
 * plausible and to exercise every path of the engine (a rule that never fires in the data is never
 * tested by it).
 *
 * <p>Constants only; thread-safe.
 */
final class Proportions {
    private Proportions() {
    }

    /* ------------------------------------------------------------------ who */

    /*
     * GPs: ameli 2024 gp_excl_mep_count (51,775 nationally), not gp_all_count (55,546). The 3,771
     * "médecins à expertise particulière" (homeopathy, acupuncture, angiology, sports medicine...)
     * rarely do first-line unscheduled care, and 51,775 is the "~52,000 GPs in ordinary practice"
     * of the SAS documents (DOMAIN.md). Placed in proportion to commune population.
     */

    /**
     * Liberal nurses per GP in the directory. France has ~100,000 liberal nurses (1.93 per GP), but
     * few take SAS patients (the platform is GP-centred; nurses come mostly through CPTS). 0.78 keeps
     * a realistic 40% of them and brings the {@code france} scale to the ~100,000 practitioners the
     * engine is sized for (51.8k GPs + 40.4k nurses + 8.0k midwives).
     */
    static final double NURSES_PER_GP = 0.78;

    /** Liberal midwives per GP: ~8,000 / 51,775, the real ratio. */
    static final double MIDWIVES_PER_GP = 0.155;

    /* -------------------------------------------------------- SAS participation */

    /*
     * GPs: 35% registered. Hauts-de-France had 1,000 registered of 4,681 liberal GPs (21%) in
     * 2023, early in the deployment (seeds/002); 47% of the survey's respondents said they take part
     * (a self-selected sample). 35% sits between, for a SAS now generalised and paid per patient.
     * SOS Médecins: ~1,300 doctors in ~60 urban associations, so only GPs in communes of at least
     * SOS_MIN_COMMUNE_POPULATION inhabitants can draw it (the others fall back to INDIVIDUAL).
     * CDS doctors are salaried, hence absent from the liberal counts; the 3% stand for liberal GPs
     * who also practise in a health centre and registered through it.
     */
    static final Weighted<Participation> GP_PARTICIPATION = Weighted.<Participation>builder()
        .add(Participation.NONE, 0.65)
        .add(Participation.INDIVIDUAL, 0.12)
        .add(Participation.CPTS, 0.10)
        .add(Participation.MSP, 0.06)
        .add(Participation.CDS, 0.03)
        .add(Participation.SOS_MEDECINS, 0.04)
        .build();

    /** Nurses take part mostly through their CPTS (SNP nursing rotas); 15% registered. */
    static final Weighted<Participation> NURSE_PARTICIPATION = Weighted.<Participation>builder()
        .add(Participation.NONE, 0.85)
        .add(Participation.INDIVIDUAL, 0.03)
        .add(Participation.CPTS, 0.08)
        .add(Participation.MSP, 0.03)
        .add(Participation.CDS, 0.01)
        .build();

    /** Midwives: 20% registered. */
    static final Weighted<Participation> MIDWIFE_PARTICIPATION = Weighted.<Participation>builder()
        .add(Participation.NONE, 0.80)
        .add(Participation.INDIVIDUAL, 0.07)
        .add(Participation.CPTS, 0.08)
        .add(Participation.MSP, 0.04)
        .add(Participation.CDS, 0.01)
        .build();

    /**
     * A GP drawn SOS_MEDECINS keeps it only in a commune this large (SOS associations are urban);
     * with ~40% of GPs in such communes the 4% draw gives ~1.6% SOS doctors, ~800 nationally.
     */
    static final int SOS_MIN_COMMUNE_POPULATION = 30_000;

    /**
     * GPs with a second practice site (a secondary practice, a health centre some days). No
     * published share was found (DREES counts group practice, 69 % in 2022, not sites per
     * doctor); issue 15's "about one in ten".
     */
    static final double GP_SECOND_SITE = 0.10;

    /*
     * Surnuméraire ("accepts extra patients"): a SAS registration tick, so never for NONE. CPTS
     * members tick it more (the CPTS finds the doctor, step 3 of the protocol), SOS most.
     */
    static final double EXTRA_PATIENTS_REGISTERED = 0.40;
    static final double EXTRA_PATIENTS_CPTS = 0.60;
    static final double EXTRA_PATIENTS_SOS = 0.70;

    /*
     * CPTS membership without registering through it: ~800 CPTS cover most of France, but a
     * minority of practitioners are active members. Gives the engine practitioners with a CPTS
     * and another participation (including NONE), whom it must not route to their CPTS.
     */
    static final double CPTS_MEMBER_REGISTERED_OTHERWISE = 0.25;
    static final double CPTS_MEMBER_NOT_REGISTERED = 0.15;

    /** One CPTS per this many inhabitants of a département (~800 CPTS for 67M: ~85k each). */
    static final int CPTS_POPULATION = 100_000;

    /* ------------------------------------------------------------------ vendors */

    /*
     * Market shares among practitioners who have a booking vendor (display names of
     * VendorRegistry.defaults()). Doctolib dominates liberal GP agendas; Maiia (Cegedim) is the
     * clear second; Clickdoc (CompuGroup), Keldoc and MonMédecin.org are small; Maincare sells to
     * health centres; Médunion Urgences serves on-call/SOS organisations. END_TO_END 78%,
     * AGGREGATION_ONLY 22% for a GP.
     */
    static final Weighted<String> GP_VENDORS = Weighted.<String>builder()
        .add("Doctolib", 0.70)
        .add("Maiia", 0.10)
        .add("Clickdoc", 0.06)
        .add("Keldoc", 0.04)
        .add("MonMédecin.org", 0.04)
        .add("Maincare", 0.03)
        .add("Médunion Urgences", 0.03)
        .build();

    /** SOS associations run on-call software as often as Doctolib. */
    static final Weighted<String> SOS_VENDORS = Weighted.<String>builder()
        .add("Médunion Urgences", 0.50)
        .add("Doctolib", 0.50)
        .build();

    /** Health centres: hospital-grade suites (Maincare) are common. */
    static final Weighted<String> CDS_VENDORS = Weighted.<String>builder()
        .add("Doctolib", 0.55)
        .add("Maincare", 0.30)
        .add("Maiia", 0.15)
        .build();

    static final Weighted<String> NURSE_VENDORS = Weighted.<String>builder()
        .add("Doctolib", 0.55)
        .add("Maiia", 0.15)
        .add("Clickdoc", 0.12)
        .add("MonMédecin.org", 0.08)
        .add("Keldoc", 0.05)
        .add("Maincare", 0.05)
        .build();

    static final Weighted<String> MIDWIFE_VENDORS = Weighted.<String>builder()
        .add("Doctolib", 0.75)
        .add("Maiia", 0.10)
        .add("Keldoc", 0.05)
        .add("Clickdoc", 0.05)
        .add("MonMédecin.org", 0.05)
        .build();

    /*
     * No vendor at all (agenda on paper or phone secretariat): they can only enter slots by hand.
     * Overall 13-14% of the directory (GPs 11%, nurses 18%: many work by phone, midwives 12%).
     */
    static final double GP_NO_VENDOR = 0.11;
    static final double NURSE_NO_VENDOR = 0.18;
    static final double MIDWIFE_NO_VENDOR = 0.12;
    static final double SOS_NO_VENDOR = 0.10;
    static final double CDS_NO_VENDOR = 0.15;

    /** Ticked "I refuse to display my slots" (share of those with a vendor): a few percent. */
    static final double REFUSES_VENDOR_SLOTS = 0.04;

    /*
     * Manual slots need a SAS registration (the SAS agenda is on the platform). Of the registered
     * without a vendor most enter some (a CDS manager almost always does); of the registered who
     * refuse vendor display, half enter some by hand instead.
     */
    static final double MANUAL_IF_NO_VENDOR = 0.80;
    static final double MANUAL_IF_NO_VENDOR_CDS = 0.95;
    static final double MANUAL_IF_REFUSES = 0.50;
    /** Share of their agenda slots a manual poster enters, drawn uniformly in this range. */
    static final double MANUAL_RATE_MIN = 0.05;
    static final double MANUAL_RATE_MAX = 0.20;

    /* ------------------------------------------------------------------ agendas */

    /*
     * Free slots: an agenda 48h ahead is mostly booked. A quarter of practitioners have nothing free
     * at all; the others have a share of their agenda slots free drawn in [FREE_MIN, FREE_MAX],
     * multiplied by the tension of their département, (GP density / national density)^1.5 clamped
     * to [TENSION_MIN, TENSION_MAX]: sparse départements (Lozère 0.7, Mayotte 0.3) are fuller.
     * A weekday GP with 15-min slots then shows ~6 free slots in 48h on average.
     */
    static final double FULLY_BOOKED = 0.25;
    static final double FREE_MIN = 0.05;
    static final double FREE_MAX = 0.30;
    static final double TENSION_MIN = 0.30;
    static final double TENSION_MAX = 1.30;

    /*
     * Visibility. Many GPs open their online agenda to their own patients only (médecin traitant
     * saturation): PATIENTS_ONLY of them publish only PATIENTELE slots. Others mix; SAS-registered
     * practitioners open more PROFESSIONAL slots (kept for regulators). STRUCTURE needs a
     * structure (CPTS, MSP, CDS), otherwise it is drawn as PATIENTELE. About half of all vendor
     * slots end up visible to the SAS.
     */
    static final double GP_PATIENTS_ONLY = 0.25;
    static final double NURSE_PATIENTS_ONLY = 0.10;
    static final double MIDWIFE_PATIENTS_ONLY = 0.15;
    static final Weighted<Visibility> VISIBILITY_REGISTERED = Weighted.<Visibility>builder()
        .add(Visibility.PUBLIC, 0.45)
        .add(Visibility.PROFESSIONAL, 0.33)
        .add(Visibility.PATIENTELE, 0.14)
        .add(Visibility.STRUCTURE, 0.08)
        .build();
    static final Weighted<Visibility> VISIBILITY_NOT_REGISTERED = Weighted.<Visibility>builder()
        .add(Visibility.PUBLIC, 0.62)
        .add(Visibility.PROFESSIONAL, 0.10)
        .add(Visibility.PATIENTELE, 0.22)
        .add(Visibility.STRUCTURE, 0.06)
        .build();

    /*
     * Modalities: mostly OFFICE. A third of GPs teleconsult (a fifth of their slots), a fifth do
     * home visits (a tenth of their slots), SOS doctors do many; liberal nursing care is largely at
     * home. A home visit takes at least HOME_VISIT_MINUTES (travel).
     */
    static final double GP_TELE_CAPABLE = 0.35;
    static final double GP_TELE_SHARE = 0.20;
    static final double GP_HOME_CAPABLE = 0.20;
    static final double GP_HOME_SHARE = 0.10;
    static final double SOS_HOME_SHARE = 0.45;
    static final double NURSE_HOME_MIN = 0.25;
    static final double NURSE_HOME_MAX = 0.50;
    static final double MIDWIFE_TELE_CAPABLE = 0.30;
    static final double MIDWIFE_TELE_SHARE = 0.15;
    static final double MIDWIFE_HOME_CAPABLE = 0.30;
    static final double MIDWIFE_HOME_SHARE = 0.20;
    static final int HOME_VISIT_MINUTES = 30;

    /*
     * Opening hours. GPs: weekdays in two sessions, a quarter take one weekday off (Wednesday
     * half the time), 45% work Saturday morning, 3% open on a given Sunday or holiday (maison
     * médicale de garde rotas). SOS: one 6-hour shift every day, holidays included. Nurses:
     * early morning and evening rounds, every other weekend day. Midwives: office hours, a quarter
     * on Saturday morning. All sessions lie within 07:00-20:00 local time, so never in a DST gap.
     */
    static final double GP_DAY_OFF = 0.25;
    static final double GP_SATURDAY = 0.45;
    static final double GP_SUNDAY = 0.03;
    static final double NURSE_SATURDAY = 0.50;
    static final double NURSE_SUNDAY = 0.40;
    static final double MIDWIFE_SATURDAY = 0.25;

    /** Nurses who give a mobile (06/07) rather than a landline as their contact number. */
    static final double NURSE_MOBILE_PHONE = 0.60;
}
