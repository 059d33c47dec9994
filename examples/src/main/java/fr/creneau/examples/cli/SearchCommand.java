package fr.creneau.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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
import fr.creneau.directory.Address;
import fr.creneau.directory.Profession;
import fr.creneau.feed.Modality;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.SearchResults;

/** {@code creneau search}: the regulator query, as a table or as JSON Lines. */
@Command(name = "search", description = "Find slots for a patient, following the SAS protocol.",
    mixinStandardHelpOptions = true)
final class SearchCommand implements Callable<Integer> {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.FRENCH);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: the embedded sample).")
    Path data;

    @Option(names = "--lat", required = true, description = "Patient latitude (WGS84).")
    double lat;

    @Option(names = "--lon", required = true, description = "Patient longitude (WGS84).")
    double lon;

    @Option(names = "--now", paramLabel = "ISO-8601", converter = Options.NowConverter.class,
        description = "The instant to search from (default: now).")
    Instant now;

    @Option(names = "--within", paramLabel = "DURATION", defaultValue = "48h", converter = Options.WithinConverter.class,
        description = "Window from now, e.g. 4h, 48h (default: ${DEFAULT-VALUE}).")
    Duration within;

    @Option(names = "--modality", defaultValue = "office", converter = Options.ModalityConverter.class,
        description = "office, teleconsultation or home-visit (default: ${DEFAULT-VALUE}).")
    Modality modality;

    @Option(names = "--profession", defaultValue = "gp", converter = Options.ProfessionConverter.class,
        description = "gp, nurse or midwife (default: ${DEFAULT-VALUE}).")
    Profession profession;

    @Option(names = "--mt", paramLabel = "RPPS", converter = Options.RppsConverter.class,
        description = "The patient's médecin traitant.")
    Long mt;

    @Option(names = "--exclude", paramLabel = "RPPS", split = ",", converter = Options.RppsConverter.class,
        description = "Practitioners the patient refused (comma-separated).")
    List<Long> exclude = new ArrayList<>();

    @Option(names = "--limit", defaultValue = "10", description = "Most rows (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "JSON Lines, one row per result.")
    boolean json;

    @picocli.CommandLine.Mixin
    StoreOption store;

    @Option(names = "--case", paramLabel = "ID",
        description = "The LRM case: its declined and refused rows are left out, and the search is audited.")
    String caseId;

    @Override
    public Integer call() throws JsonProcessingException {
        final Instant at = now != null ? now : Instant.now();
        final RegulatorQuery query = new RegulatorQuery();
        try {
            query.patient(lat, lon).now(at).windowMinutes((int) within.toMinutes()).modality(modality)
                .profession(profession).limit(limit);
        } catch (final IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (mt != null) {
            query.medecinTraitant(mt);
        }
        for (final long rpps : exclude) {
            query.exclude(rpps);
        }
        final Progress progress = Progress.forConsole(spec.commandLine().getErr());
        final Path dir = DataSet.directory(data, at, progress);
        final SearchResults results = new SearchResults();
        final PrintWriter out = spec.commandLine().getOut();
        if (caseId != null) {
            Options.checkCase(caseId);
        }
        try (Creneau creneau = DataSet.openToRead(dir, at, progress, store.orNull(now != null))) {
            final int rows = caseId == null ? creneau.search(query, results) : creneau.search(query, caseId, results);
            if (caseId != null) {
                // What "cases searched" and "time from first search to booking" count.
                creneau.recordSearch(caseId, null, results);
            }
            if (json) {
                for (int i = 0; i < rows; i++) {
                    out.println(JSON.writeValueAsString(row(creneau, results, i)));
                }
            } else {
                printTable(creneau, results, rows, out);
            }
            if (results.medecinTraitantUnknown()) {
                spec.commandLine().getErr().println("note: médecin traitant " + mt + " is not in the directory");
            }
        }
        out.flush();
        return 0;
    }

    /**
     * One JSON Lines row, fields in the documented order. Jackson escapes what JSON requires; the
     * free text of the data ({@code name}, {@code phone}, {@code address}) is also
     * {@link Text#field cleaned and cut} as in the table, because a consumer shows it on a screen
     * (bidi overrides are valid JSON). {@code rpps} is null on a structure row (CPTS, STRUCTURE, a PDSA MMG or SOS Médecins);
     * {@code phone} is the site's or the structure's; {@code address} is the site's or the
     * structure's on one line (null when unknown); {@code approximate} is true when the position
     * (and so the distance) is the commune's; {@code reachableFrom} (last, issue 16) is null when the
     * contact can be reached now or the row is a slot, else the instant it can.
     */
    static Map<String, Object> row(final Creneau creneau, final SearchResults r, final int i) {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("rank", i + 1);
        row.put("kind", r.kind(i).name());
        // null for a CPTS and for a structure (a CDS, an MSP, an MMG, SOS Médecins).
        row.put("rpps", r.practitioner(i) < 0 ? null : r.practitionerEntry(i).rppsText());
        row.put("name", Text.field(r.name(i)));
        row.put("distanceKm", Math.round(r.distanceKm(i) * 100) / 100.0);
        // Never cut: it is typed back into book and release (clean() is a no-op on a real id).
        row.put("slotId", r.hasSlot(i) ? Text.clean(r.slotId(i, creneau.vendors()).toString()) : null);
        row.put("start", r.hasSlot(i) ? ISO.format(r.start(i).atZone(PARIS).toOffsetDateTime()) : null);
        row.put("end", r.hasSlot(i) ? ISO.format(r.end(i).atZone(PARIS).toOffsetDateTime()) : null);
        row.put("modality", r.modality().name());
        row.put("booking", r.booking(i).name());
        row.put("phone", Text.field(r.phone(i)));
        // After the search, for the rows printed only: side-table and lock lookups, not the query path.
        final Instant asOf = creneau.asOf(r, i);
        row.put("asOf", asOf == null ? null : ISO.format(asOf.atZone(PARIS).toOffsetDateTime()));
        // A URL is not free text to cut (cut, it would lead elsewhere): the engine kept only a
        // plain http(s) URL without spaces or control characters; clean() is a no-op on it.
        final String url = creneau.bookingUrl(r, i);
        row.put("bookingUrl", url == null ? null : Text.clean(url));
        row.put("address", address(r, i));
        row.put("approximate", r.approximate(i));
        final Instant reachable = r.reachableFrom(i);
        row.put("reachableFrom", reachable == null ? null : ISO.format(reachable.atZone(PARIS).toOffsetDateTime()));
        return row;
    }

    /** The row's address on one line, cleaned and cut, or {@code null} when unknown. */
    private static String address(final SearchResults r, final int i) {
        final Address a = r.address(i);
        final String line = a == null ? "" : a.oneLine();
        return line.isEmpty() ? null : Text.field(line);
    }

    private static String orDash(final String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** Width on a terminal, as code points (wide and combining characters are not told apart). */
    private static int columns(final String s) {
        return s.codePointCount(0, s.length());
    }

    /** {@code canal : PDSA jusqu'à 08:00}: the channel of the search and when it hands over. */
    static String channelLine(final SearchResults r) {
        final Instant until = r.channelUntil();
        return "canal : " + r.channel().name()
            + (until == null ? "" : " jusqu'à " + HOUR.format(until.atZone(PARIS)));
    }

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm", Locale.FRENCH);

    private static void printTable(final Creneau creneau, final SearchResults r, final int rows, final PrintWriter out) {
        out.println(channelLine(r));
        if (rows == 0) {
            out.println("No result.");
            return;
        }
        final List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"#", "kind", "name", "km", "when", "booking", "phone", "address", "slot", "reachable"});
        for (int i = 0; i < rows; i++) {
            // Names and phones come from the data: a newline or an escape sequence in one would
            // forge rows or drive the terminal (Text).
            lines.add(new String[] {
                Integer.toString(i + 1), r.kind(i).name(), orDash(Text.field(r.name(i))),
                String.format(Locale.ROOT, r.approximate(i) ? "~%.1f" : "%.1f", r.distanceKm(i)),
                r.hasSlot(i) ? LOCAL_TIME.format(r.start(i).atZone(PARIS)) : "-", r.booking(i).name(),
                orDash(Text.field(r.phone(i))), orDash(address(r, i)),
                r.hasSlot(i) ? Text.clean(r.slotId(i, creneau.vendors()).toString()) : "-",
                r.hasSlot(i) ? "-" : r.reachableFrom(i) == null ? "now" : LOCAL_TIME.format(r.reachableFrom(i).atZone(PARIS))});
        }
        final int[] widths = new int[lines.get(0).length];
        for (final String[] line : lines) {
            for (int c = 0; c < line.length; c++) {
                widths[c] = Math.max(widths[c], columns(line[c]));
            }
        }
        for (final String[] line : lines) {
            final StringBuilder sb = new StringBuilder();
            for (int c = 0; c < line.length; c++) {
                final boolean numeric = c == 0 || c == 3;
                final String cell = line[c];
                final String pad = " ".repeat(widths[c] - columns(cell));
                sb.append(numeric ? pad + cell : cell + pad);
                if (c + 1 < line.length) {
                    sb.append("  ");
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
