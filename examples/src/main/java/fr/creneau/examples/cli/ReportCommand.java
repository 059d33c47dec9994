package fr.creneau.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import fr.creneau.Creneau;
import fr.creneau.audit.AuditEvent;
import fr.creneau.audit.DailyAuditLog;
import fr.creneau.examples.data.Departements;
import fr.creneau.outcome.Indicators;

/**
 * {@code creneau report}: the indicators of {@link Indicators} over the Paris days
 * {@code --from}..{@code --to} (inclusive), read from the audit log in {@code DIR/audit/}, one row
 * per département (from the practitioner's position), CPTS or practitioner. CSV (a header line,
 * then one line per group; counts only) or JSON Lines (one object per group, with the lists).
 * First searches are looked for up to {@link #LOOK_BACK_DAYS} days before the period.
 */
@Command(name = "report", description = "Indicators over a period, by département, CPTS or practitioner.",
    mixinStandardHelpOptions = true)
final class ReportCommand implements Callable<Integer> {
    static final int LOOK_BACK_DAYS = 7;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> CSV_COLUMNS = List.of("group", "casesSearched", "bookingsOnline", "bookingsPhone",
        "acceptedMt", "acceptedSurnumeraire", "acceptedCpts", "acceptedStructure", "acceptedSlot", "acceptedPdsa",
        "surnumerairePatients", "cptsRequests", "cptsAppointments", "fulfilled", "noShows", "noShowRate",
        "medianMinutesToBooking", "maxWeeklyPatients", "weeklyCap", "doctorWeeksOverCap", "neverProposed",
        "neverTaken");

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: the embedded sample).")
    Path data;

    @Option(names = "--from", paramLabel = "DATE", required = true, description = "First day, e.g. 2026-11-23.")
    String from;

    @Option(names = "--to", paramLabel = "DATE", required = true, description = "Last day, inclusive.")
    String to;

    @Option(names = "--by", defaultValue = "departement",
        description = "departement, cpts or practitioner (default: ${DEFAULT-VALUE}).")
    String by;

    @Option(names = "--format", defaultValue = "csv", description = "csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--cap", defaultValue = "" + Indicators.DEFAULT_WEEKLY_CAP,
        description = "SAS patients per doctor per ISO week (default: ${DEFAULT-VALUE}).")
    int cap;

    @Override
    public Integer call() throws JsonProcessingException {
        final LocalDate first = date(from, "--from");
        final LocalDate last = date(to, "--to");
        if (last.isBefore(first)) {
            throw new UserError("--to is before --from");
        }
        final Indicators.GroupBy groupBy;
        switch (by) {
            case "departement":
                groupBy = Indicators.GroupBy.DEPARTEMENT;
                break;
            case "cpts":
                groupBy = Indicators.GroupBy.CPTS;
                break;
            case "practitioner":
                groupBy = Indicators.GroupBy.PRACTITIONER;
                break;
            default:
                throw new UserError("--by must be departement, cpts or practitioner: " + Text.field(by));
        }
        if (!format.equals("csv") && !format.equals("json")) {
            throw new UserError("--format must be csv or json: " + Text.field(format));
        }
        if (cap < 1) {
            throw new UserError("--cap must be positive");
        }
        final Instant at = Instant.now();
        final Progress progress = Progress.forConsole(spec.commandLine().getErr());
        final Path dir = DataSet.directory(data, at, progress);
        final List<AuditEvent> events = DailyAuditLog.read(dir.resolve(DataSet.AUDIT), first.minusDays(LOOK_BACK_DAYS),
            last);
        final PrintWriter out = spec.commandLine().getOut();
        try (Creneau creneau = DataSet.openReadOnly(dir, at, progress)) {
            final List<Indicators.Row> rows = Indicators.compute(events, first, last, groupBy, creneau.directory(),
                p -> Departements.of(p.lat(), p.lon()), cap);
            if (format.equals("csv")) {
                out.println(String.join(",", CSV_COLUMNS));
                for (final Indicators.Row r : rows) {
                    out.println(csv(r, cap));
                }
            } else {
                for (final Indicators.Row r : rows) {
                    final Map<String, Object> o = new LinkedHashMap<>();
                    o.put("group", r.group());
                    o.put("casesSearched", r.casesSearched());
                    o.put("bookingsByMethod", r.bookingsByMethod());
                    o.put("acceptedByKind", r.acceptedByKind());
                    o.put("surnumerairePatients", r.surnumerairePatients());
                    o.put("cptsRequests", r.cptsRequests());
                    o.put("cptsAppointments", r.cptsAppointments());
                    o.put("fulfilled", r.fulfilled());
                    o.put("noShows", r.noShows());
                    o.put("noShowRate", r.noShowRate());
                    o.put("medianMinutesToBooking", r.medianMinutesToBooking());
                    o.put("maxWeeklyPatients", r.maxWeeklyPatients());
                    o.put("weeklyCap", cap);
                    o.put("doctorWeeksOverCap", r.doctorWeeksOverCap());
                    o.put("weeklyPatients", r.weeklyPatients());
                    o.put("neverProposed", r.neverProposed().stream().map(fr.creneau.directory.Rpps::format).toList());
                    o.put("neverTaken", r.neverTaken().stream().map(fr.creneau.directory.Rpps::format).toList());
                    out.println(JSON.writeValueAsString(o));
                }
            }
        }
        out.flush();
        return 0;
    }

    private static LocalDate date(final String text, final String option) {
        try {
            return LocalDate.parse(text);
        } catch (final DateTimeParseException e) {
            throw new UserError(option + " must be a date like 2026-11-23: " + Text.field(text));
        }
    }

    private static String csv(final Indicators.Row r, final int cap) {
        final Map<String, Integer> a = r.acceptedByKind();
        return String.join(",", List.of(quote(r.group()), n(r.casesSearched()),
            n(r.bookingsByMethod().getOrDefault("ONLINE", 0)), n(r.bookingsByMethod().getOrDefault("PHONE", 0)),
            n(a.getOrDefault("MT", 0)), n(a.getOrDefault("SURNUMERAIRE", 0)), n(a.getOrDefault("CPTS", 0)),
            n(a.getOrDefault("STRUCTURE", 0)), n(a.getOrDefault("SLOT", 0)), n(a.getOrDefault("PDSA", 0)),
            n(r.surnumerairePatients()), n(r.cptsRequests()), n(r.cptsAppointments()), n(r.fulfilled()),
            n(r.noShows()), r.noShowRate() == null ? "" : String.format(Locale.ROOT, "%.3f", r.noShowRate()),
            r.medianMinutesToBooking() == null ? "" : Long.toString(r.medianMinutesToBooking()),
            n(r.maxWeeklyPatients()), n(cap), n(r.doctorWeeksOverCap()), n(r.neverProposed().size()),
            n(r.neverTaken().size())));
    }

    private static String n(final int v) {
        return Integer.toString(v);
    }

    /** A group is a département code, a CPTS id or an RPPS; quoted only if it would break the line. */
    private static String quote(final String s) {
        final String clean = Text.clean(s);
        return clean.matches("[A-Za-z0-9._:?-]*") ? clean : '"' + clean.replace("\"", "\"\"") + '"';
    }
}
