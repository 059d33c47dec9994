package fr.creneau.outcome;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import fr.creneau.audit.AuditEvent;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Rpps;

/**
 * The indicators the territory is paid and judged on, computed from the audit log over a period
 * of Paris days, one {@link Row} per département, CPTS or practitioner. Definitions (each counted
 * from the audit events whose instant falls in the period, unless said otherwise):
 * <ul>
 *   <li><b>cases searched</b>: distinct cases with a SEARCH that proposed a practitioner of the
 *       group (a case searched across two départements counts in both);</li>
 *   <li><b>bookings by method</b>: CONFIRM events, {@code ONLINE} / {@code PHONE}, by the booked
 *       practitioner's group;</li>
 *   <li><b>contacts accepted by kind</b>: OUTCOME {@code ACCEPTED}, by the kind of row
 *       ({@code MT}, {@code SURNUMERAIRE}, {@code CPTS}, {@code SLOT}, ...);</li>
 *   <li><b>surnuméraire patients</b>: distinct cases with an {@code ACCEPTED} surnuméraire row
 *       (the ARS's indicator 9);</li>
 *   <li><b>CPTS requests</b> and <b>those ended in an appointment</b>: distinct cases with an
 *       outcome on a CPTS row; of those, the cases the CPTS accepted or that were booked with one
 *       of its members;</li>
 *   <li><b>no-show rate</b>: {@code NO_SHOW / (FULFILLED + NO_SHOW)}, {@code null} without any;</li>
 *   <li><b>minutes from first search to booking</b>: per booked case, from its first SEARCH in the
 *       events given (give a few days before the period) to its CONFIRM; the median;</li>
 *   <li><b>SAS patients per doctor per ISO week</b> against the cap: distinct cases a doctor took
 *       (booked, not as the patient's MT, and not cancelled since; or a surnuméraire or slot row
 *       accepted), per ISO week in Paris (Monday to Sunday, whatever the month): the group's
 *       largest weekly count and the doctor-weeks above the cap;</li>
 *   <li><b>registered practitioners never proposed / never taken</b>: practitioners of the
 *       directory with a SAS participation ({@link Participation} other than {@code NONE}) of the
 *       group, that no SEARCH proposed / that no booking or acceptance took in the period.</li>
 * </ul>
 * Computed on the caller's thread from a list of events: no state, thread-safe.
 */
public final class Indicators {
    /** The SNP supplement's cap: SAS patients per doctor per week. */
    public static final int DEFAULT_WEEKLY_CAP = 20;
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** How rows are grouped. */
    public enum GroupBy {
        DEPARTEMENT,
        CPTS,
        PRACTITIONER
    }

    /**
     * One group's indicators.
     *
     * @param group                  département code, CPTS id ({@code -} for none) or RPPS
     * @param casesSearched          distinct cases searched
     * @param bookingsByMethod       bookings by booking method
     * @param acceptedByKind         contacts accepted by kind of row
     * @param surnumerairePatients   distinct surnuméraire patients
     * @param cptsRequests           distinct cases with a CPTS row's outcome
     * @param cptsAppointments       of those, ended in an appointment
     * @param fulfilled              bookings the patient came to
     * @param noShows                bookings the patient did not come to
     * @param noShowRate             {@code noShows / (fulfilled + noShows)}, or {@code null}
     * @param medianMinutesToBooking median minutes from first search to booking, or {@code null}
     * @param maxWeeklyPatients      the largest SAS patients count of a doctor in one ISO week
     * @param doctorWeeksOverCap     doctor-weeks above the cap
     * @param weeklyPatients         per ISO week ({@code 2026-W49}), the largest doctor count
     * @param neverProposed          registered practitioners never proposed (RPPS, sorted)
     * @param neverTaken             registered practitioners never taken (RPPS, sorted)
     */
    public record Row(String group, int casesSearched, Map<String, Integer> bookingsByMethod,
                      Map<String, Integer> acceptedByKind, int surnumerairePatients, int cptsRequests,
                      int cptsAppointments, int fulfilled, int noShows, Double noShowRate,
                      Long medianMinutesToBooking, int maxWeeklyPatients, int doctorWeeksOverCap,
                      Map<String, Integer> weeklyPatients, List<Long> neverProposed, List<Long> neverTaken) {
    }

    private Indicators() {
    }

    /**
     * @param events        audit events (the period's, plus some days before for the first searches)
     * @param from          first day of the period (Paris)
     * @param to            last day of the period, inclusive
     * @param by            grouping
     * @param directory     the registered practitioners, and each one's CPTS
     * @param departementOf a practitioner's département ({@code "75"}, {@code "2A"}, {@code "971"})
     * @param weeklyCap     SAS patients per doctor per week above which a week is over the cap
     * @return one row per group, sorted by group
     */
    public static List<Row> compute(final List<AuditEvent> events, final LocalDate from, final LocalDate to,
                                    final GroupBy by, final Directory directory,
                                    final Function<Practitioner, String> departementOf, final int weeklyCap) {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(departementOf, "departementOf");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("the period ends before it starts: " + from + " .. " + to);
        }
        final Instant start = from.atStartOfDay(PARIS).toInstant();
        final Instant end = to.plusDays(1).atStartOfDay(PARIS).toInstant();
        final Function<Long, String> groupOf = rpps -> {
            final Practitioner p = directory.byRpps(rpps);
            switch (by) {
                case PRACTITIONER:
                    return Rpps.format(rpps);
                case CPTS:
                    return p == null || p.cpts() == null ? "-" : p.cpts().id();
                case DEPARTEMENT:
                default:
                    return p == null ? "?" : String.valueOf(departementOf.apply(p));
            }
        };
        final Map<String, String> structureGroup = new HashMap<>(); // CPTS id -> group of one of its members
        for (final Practitioner p : directory.practitioners()) {
            if (p.cpts() != null) {
                structureGroup.putIfAbsent(p.cpts().id(), by == GroupBy.CPTS ? p.cpts().id() : groupOf.apply(p.rpps()));
            }
        }
        final Map<String, Acc> groups = new TreeMap<>();
        final Function<String, Acc> acc = g -> groups.computeIfAbsent(g, Acc::new);

        // Every event, in time order, for the first search of each case (before the period too).
        final Map<String, Instant> firstSearch = new HashMap<>();
        final Set<String> released = new HashSet<>(); // tokens of bookings cancelled in the period
        for (final AuditEvent e : events) {
            if (e.type() == AuditEvent.Type.SEARCH && e.caseId() != null) {
                firstSearch.merge(e.caseId(), e.at(), (a, b) -> a.isBefore(b) ? a : b);
            }
            if (e.type() == AuditEvent.Type.RELEASE && e.token() != null && e.at().isBefore(end)) {
                released.add(e.token());
            }
        }
        final Set<Long> proposed = new HashSet<>();
        final Set<Long> taken = new HashSet<>();
        // (group, rpps, week) -> cases
        final Map<String, Map<Long, Map<String, Set<String>>>> weekly = new TreeMap<>();
        final Map<String, Set<String>> cptsCases = new HashMap<>();
        final Map<String, Set<String>> cptsBooked = new HashMap<>();
        for (final AuditEvent e : events) {
            if (e.at().isBefore(start) || !e.at().isBefore(end)) {
                continue;
            }
            final String g = e.rpps() != 0 ? groupOf.apply(e.rpps())
                : e.structure() != null ? structureGroup.getOrDefault(e.structure(), "?") : null;
            switch (e.type()) {
                case SEARCH:
                    if (e.caseId() == null) {
                        break;
                    }
                    for (final Long r : e.proposed()) {
                        proposed.add(r);
                        acc.apply(groupOf.apply(r)).cases.add(e.caseId());
                    }
                    break;
                case CONFIRM: {
                    final Acc a = acc.apply(g);
                    a.bookings.merge(e.method() == null ? "?" : e.method(), 1, Integer::sum);
                    taken.add(e.rpps());
                    if (e.caseId() != null) {
                        final Instant first = firstSearch.get(e.caseId());
                        if (first != null && !first.isAfter(e.at())) {
                            a.minutesToBooking.add(Duration.between(first, e.at()).toMinutes());
                        }
                        final Practitioner p = directory.byRpps(e.rpps());
                        if (p != null && p.cpts() != null) {
                            cptsBooked.computeIfAbsent(p.cpts().id(), k -> new HashSet<>()).add(e.caseId());
                        }
                        if (!Boolean.TRUE.equals(e.mt()) && !released.contains(e.token())) {
                            week(weekly, g, e.rpps(), e.at()).add(e.caseId());
                        }
                    }
                    break;
                }
                case OUTCOME: {
                    final Acc a = acc.apply(g == null ? "?" : g);
                    final String result = e.result();
                    if ("FULFILLED".equals(result)) {
                        a.fulfilled++;
                    } else if ("NO_SHOW".equals(result)) {
                        a.noShows++;
                    } else if ("ACCEPTED".equals(result)) {
                        a.accepted.merge(e.rowKind() == null ? "?" : e.rowKind(), 1, Integer::sum);
                        if ("SURNUMERAIRE".equals(e.rowKind())) {
                            a.surnumeraire.add(e.caseId());
                        }
                        if (e.rpps() != 0) {
                            taken.add(e.rpps());
                            if (!"MT".equals(e.rowKind()) && !"CPTS".equals(e.rowKind())) {
                                week(weekly, g, e.rpps(), e.at()).add(e.caseId());
                            }
                        }
                    }
                    if ("CPTS".equals(e.rowKind()) && e.structure() != null) {
                        cptsCases.computeIfAbsent(e.structure(), k -> new HashSet<>()).add(e.caseId());
                        if ("ACCEPTED".equals(result)) {
                            cptsBooked.computeIfAbsent(e.structure(), k -> new HashSet<>()).add(e.caseId());
                        }
                        a.cptsStructures.add(e.structure());
                    }
                    break;
                }
                default:
                    break;
            }
        }
        for (final Acc a : groups.values()) {
            for (final String cpts : a.cptsStructures) {
                final Set<String> asked = cptsCases.getOrDefault(cpts, Set.of());
                a.cptsRequests += asked.size();
                for (final String k : asked) {
                    if (cptsBooked.getOrDefault(cpts, Set.of()).contains(k)) {
                        a.cptsAppointments++;
                    }
                }
            }
        }
        for (final Map.Entry<String, Map<Long, Map<String, Set<String>>>> g : weekly.entrySet()) {
            final Acc a = acc.apply(g.getKey());
            for (final Map<String, Set<String>> doctor : g.getValue().values()) {
                for (final Map.Entry<String, Set<String>> w : doctor.entrySet()) {
                    final int n = w.getValue().size();
                    a.maxWeekly = Math.max(a.maxWeekly, n);
                    a.weekly.merge(w.getKey(), n, Math::max);
                    if (n > weeklyCap) {
                        a.weeksOverCap++;
                    }
                }
            }
        }
        for (final Practitioner p : directory.practitioners()) {
            if (p.participation() == Participation.NONE) {
                continue;
            }
            final Acc a = acc.apply(groupOf.apply(p.rpps()));
            if (!proposed.contains(p.rpps())) {
                a.neverProposed.add(p.rpps());
            }
            if (!taken.contains(p.rpps())) {
                a.neverTaken.add(p.rpps());
            }
        }
        final List<Row> rows = new ArrayList<>();
        for (final Acc a : groups.values()) {
            rows.add(a.row());
        }
        return rows;
    }

    private static Set<String> week(final Map<String, Map<Long, Map<String, Set<String>>>> weekly, final String group,
                                    final long rpps, final Instant at) {
        final ZonedDateTime t = at.atZone(PARIS);
        final String w = String.format("%d-W%02d", t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        return weekly.computeIfAbsent(group, k -> new TreeMap<>()).computeIfAbsent(rpps, k -> new TreeMap<>())
            .computeIfAbsent(w, k -> new HashSet<>());
    }

    /** One group being counted. */
    private static final class Acc {
        final String group;
        final Set<String> cases = new HashSet<>();
        final Map<String, Integer> bookings = new TreeMap<>();
        final Map<String, Integer> accepted = new TreeMap<>();
        final Set<String> surnumeraire = new HashSet<>();
        final Set<String> cptsStructures = new TreeSet<>();
        int cptsRequests;
        int cptsAppointments;
        int fulfilled;
        int noShows;
        final List<Long> minutesToBooking = new ArrayList<>();
        int maxWeekly;
        int weeksOverCap;
        final Map<String, Integer> weekly = new TreeMap<>();
        final TreeSet<Long> neverProposed = new TreeSet<>();
        final TreeSet<Long> neverTaken = new TreeSet<>();

        Acc(final String group) {
            this.group = group;
        }

        Row row() {
            Long median = null;
            if (!minutesToBooking.isEmpty()) {
                final List<Long> sorted = new ArrayList<>(minutesToBooking);
                Collections.sort(sorted);
                final int n = sorted.size();
                median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            }
            final Double rate = fulfilled + noShows == 0 ? null : (double) noShows / (fulfilled + noShows);
            return new Row(group, cases.size(), new LinkedHashMap<>(bookings), new LinkedHashMap<>(accepted),
                surnumeraire.size(), cptsRequests, cptsAppointments, fulfilled, noShows, rate, median, maxWeekly,
                weeksOverCap, new LinkedHashMap<>(weekly), List.copyOf(neverProposed), List.copyOf(neverTaken));
        }
    }
}
