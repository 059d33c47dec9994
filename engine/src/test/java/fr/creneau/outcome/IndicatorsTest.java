package fr.creneau.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.audit.AuditEvent;
import fr.creneau.audit.DailyAuditLog;
import fr.creneau.directory.Cpts;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.Territory;

/**
 * The indicators of a scripted week (Monday 2026-11-23 to Sunday 2026-11-29, two départements)
 * against a count made by hand in the comments; the weekly cap counted per ISO week across a month
 * boundary. The events go through the real audit files and are read back.
 */
class IndicatorsTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Cpts CPTS = new Cpts("cpts-paris", "CPTS Paris Centre", "01 45 00 00 00");
    // Lozère (48) is south of 45°, Paris (75) north of it: what departementOf says below.
    private static final long A = rpps(1);
    private static final long B = rpps(2);
    private static final long C = rpps(3);
    private static final long D = rpps(4);
    private static final long E = rpps(5);

    @TempDir
    Path dir;

    private static long rpps(final int n) {
        return Long.parseLong(Rpps.withCheckDigit(String.format("1%09d", n)));
    }

    private static Practitioner p(final long rpps, final double lat, final Participation participation,
                                  final boolean extra, final Cpts cpts) {
        return new Practitioner(rpps, "Dr " + rpps, Profession.GP, lat, 2.35, "01 00 00 00 00", "doctolib", false,
            participation, extra, cpts, Territory.METROPOLE);
    }

    private static Directory directory() {
        return Directory.builder()
            .add(p(A, 48.85, Participation.INDIVIDUAL, false, null))
            .add(p(B, 48.86, Participation.CPTS, true, CPTS))
            .add(p(C, 44.52, Participation.INDIVIDUAL, true, null))
            .add(p(D, 44.50, Participation.INDIVIDUAL, false, null))
            .add(p(E, 48.84, Participation.NONE, false, null)) // not registered: never in "never proposed"
            .build();
    }

    private static String departement(final Practitioner p) {
        return p.lat() > 45 ? "75" : "48";
    }

    private static Instant at(final String local) {
        return LocalDateTime.parse(local).atZone(PARIS).toInstant();
    }

    private static AuditEvent search(final String when, final String caseId, final long... rows) {
        return AuditEvent.of(at(when), AuditEvent.Type.SEARCH, caseId, "anne")
            .proposed(java.util.Arrays.stream(rows).boxed().toList());
    }

    private static AuditEvent confirm(final String when, final String caseId, final long rpps, final String method,
                                      final boolean mt) {
        return AuditEvent.of(at(when), AuditEvent.Type.CONFIRM, caseId, "anne").row(mt ? "MT" : "SLOT", rpps, null,
            "x." + rpps).booking(method, "OFFICE", mt, "t-" + caseId);
    }

    private static AuditEvent outcome(final String when, final String caseId, final String kind, final long rpps,
                                      final String structure, final String result) {
        return AuditEvent.of(at(when), AuditEvent.Type.OUTCOME, caseId, "anne").row(kind, rpps, structure, null)
            .result(result);
    }

    private List<AuditEvent> writtenAndReadBack(final List<AuditEvent> events, final LocalDate from, final LocalDate to) {
        try (DailyAuditLog log = DailyAuditLog.open(dir.resolve("audit"), Duration.ofDays(400), false)) {
            events.forEach(log::append);
        }
        return DailyAuditLog.read(dir.resolve("audit"), from.minusDays(7), to.plusDays(7));
    }

    @Test
    void theIndicatorsOfAScriptedWeekMatchAHandCount() {
        final List<AuditEvent> week = List.of(
            search("2026-11-23T09:00", "k1", A, B),
            confirm("2026-11-23T09:30", "k1", A, "PHONE", false),
            outcome("2026-11-24T18:00", "k1", "SLOT", A, null, "FULFILLED"),
            search("2026-11-23T10:00", "k2", A, C),
            outcome("2026-11-23T10:03", "k2", "SURNUMERAIRE", C, null, "DECLINED"),
            search("2026-11-23T10:05", "k2", A),
            confirm("2026-11-23T10:45", "k2", A, "ONLINE", false),
            outcome("2026-11-25T18:00", "k2", "SLOT", A, null, "NO_SHOW"),
            search("2026-11-24T14:00", "k3", B),
            outcome("2026-11-24T14:20", "k3", "CPTS", 0, "cpts-paris", "ACCEPTED"),
            search("2026-11-25T11:00", "k4", C),
            outcome("2026-11-25T11:10", "k4", "SURNUMERAIRE", C, null, "ACCEPTED"),
            search("2026-11-26T16:00", "k5", B),
            outcome("2026-11-26T16:30", "k5", "CPTS", 0, "cpts-paris", "NO_ANSWER"),
            search("2026-11-27T07:50", "k6", A),
            confirm("2026-11-27T08:00", "k6", A, "PHONE", true),
            search("2026-11-30T09:00", "k7", D)); // the next Monday: outside the period
        final LocalDate from = LocalDate.of(2026, 11, 23);
        final LocalDate to = LocalDate.of(2026, 11, 29);
        final List<Indicators.Row> rows = Indicators.compute(writtenAndReadBack(week, from, to), from, to,
            Indicators.GroupBy.DEPARTEMENT, directory(), IndicatorsTest::departement, 20);
        final Map<String, Indicators.Row> by = rows.stream().collect(Collectors.toMap(Indicators.Row::group, r -> r));
        assertThat(by.keySet()).containsExactly("48", "75");

        final Indicators.Row paris = by.get("75");
        assertThat(paris.casesSearched()).isEqualTo(5); // k1, k2, k3, k5, k6 proposed A or B
        assertThat(paris.bookingsByMethod()).isEqualTo(Map.of("PHONE", 2, "ONLINE", 1)); // k1, k6 / k2
        assertThat(paris.acceptedByKind()).isEqualTo(Map.of("CPTS", 1)); // k3
        assertThat(paris.surnumerairePatients()).isZero();
        assertThat(paris.cptsRequests()).isEqualTo(2); // k3, k5
        assertThat(paris.cptsAppointments()).isEqualTo(1); // k3
        assertThat(paris.fulfilled()).isEqualTo(1);
        assertThat(paris.noShows()).isEqualTo(1);
        assertThat(paris.noShowRate()).isEqualTo(0.5);
        assertThat(paris.medianMinutesToBooking()).isEqualTo(30L); // k6 10, k1 30, k2 45 (from its first search)
        assertThat(paris.maxWeeklyPatients()).isEqualTo(2); // A took k1 and k2; k6 was as the MT
        assertThat(paris.weeklyPatients()).isEqualTo(Map.of("2026-W48", 2));
        assertThat(paris.doctorWeeksOverCap()).isZero();
        assertThat(paris.neverProposed()).isEmpty(); // E is not registered
        assertThat(paris.neverTaken()).containsExactly(B); // the CPTS took k3, not B himself

        final Indicators.Row lozere = by.get("48");
        assertThat(lozere.casesSearched()).isEqualTo(2); // k2, k4 proposed C; k7 is next week
        assertThat(lozere.bookingsByMethod()).isEmpty();
        assertThat(lozere.acceptedByKind()).isEqualTo(Map.of("SURNUMERAIRE", 1));
        assertThat(lozere.surnumerairePatients()).isEqualTo(1); // k4 (k2 was declined)
        assertThat(lozere.noShowRate()).isNull();
        assertThat(lozere.medianMinutesToBooking()).isNull();
        assertThat(lozere.maxWeeklyPatients()).isEqualTo(1);
        assertThat(lozere.neverProposed()).containsExactly(D);
        assertThat(lozere.neverTaken()).containsExactly(D);

        final Map<String, Indicators.Row> byCpts = Indicators.compute(week, from, to, Indicators.GroupBy.CPTS,
            directory(), IndicatorsTest::departement, 20).stream()
            .collect(Collectors.toMap(Indicators.Row::group, r -> r));
        assertThat(byCpts.get("cpts-paris").cptsRequests()).isEqualTo(2);
        assertThat(byCpts.get("cpts-paris").cptsAppointments()).isEqualTo(1);
        assertThat(byCpts.get("-").bookingsByMethod()).isEqualTo(Map.of("PHONE", 2, "ONLINE", 1));
    }

    @Test
    void theWeeklyCapIsCountedPerIsoWeekAcrossAMonthBoundary() {
        final List<AuditEvent> events = new java.util.ArrayList<>();
        // Sunday 29 November (ISO week 48): 15 patients.
        for (int i = 0; i < 15; i++) {
            events.add(confirm("2026-11-29T" + String.format("%02d", 8 + i % 10) + ":00", "w48-" + i, A, "PHONE", false));
        }
        // Monday 30 November and Wednesday 2 December (both ISO week 49, two months): 12 + 10.
        for (int i = 0; i < 12; i++) {
            events.add(confirm("2026-11-30T" + String.format("%02d", 8 + i % 10) + ":00", "w49a-" + i, A, "PHONE", false));
        }
        for (int i = 0; i < 10; i++) {
            events.add(confirm("2026-12-02T" + String.format("%02d", 8 + i) + ":00", "w49b-" + i, A, "ONLINE", false));
        }
        // Not SAS patients under the cap: as the patient's MT, and a booking cancelled since.
        events.add(confirm("2026-12-03T09:00", "mt", A, "PHONE", true));
        events.add(confirm("2026-12-03T10:00", "gone", A, "PHONE", false));
        events.add(AuditEvent.of(at("2026-12-03T10:05"), AuditEvent.Type.RELEASE, "gone", "anne")
            .row("SLOT", A, null, "x").booking("PHONE", "OFFICE", false, "t-gone"));
        final LocalDate from = LocalDate.of(2026, 11, 23);
        final LocalDate to = LocalDate.of(2026, 12, 6);
        final Indicators.Row a = Indicators.compute(writtenAndReadBack(events, from, to), from, to,
            Indicators.GroupBy.PRACTITIONER, directory(), IndicatorsTest::departement, 20).stream()
            .filter(r -> r.group().equals(Rpps.format(A))).findFirst().orElseThrow();
        assertThat(a.weeklyPatients()).isEqualTo(Map.of("2026-W48", 15, "2026-W49", 22));
        assertThat(a.maxWeeklyPatients()).isEqualTo(22);
        assertThat(a.doctorWeeksOverCap()).isEqualTo(1); // by calendar month neither November nor December would be
        final Indicators.Row capped30 = Indicators.compute(events, from, to, Indicators.GroupBy.PRACTITIONER,
            directory(), IndicatorsTest::departement, 30).stream()
            .filter(r -> r.group().equals(Rpps.format(A))).findFirst().orElseThrow();
        assertThat(capped30.doctorWeeksOverCap()).isZero();
    }
}
