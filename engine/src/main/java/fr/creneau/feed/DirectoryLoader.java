package fr.creneau.feed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import fr.creneau.directory.Address;
import fr.creneau.directory.Communes;
import fr.creneau.directory.Cpts;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.Site;
import fr.creneau.directory.Structure;
import fr.creneau.directory.StructureKind;
import fr.creneau.directory.Territory;
import fr.creneau.directory.WeeklyHours;
import fr.creneau.directory.Vendor;
import fr.creneau.directory.VendorRegistry;

/**
 * Reads {@code practitioners.json} (a JSON array of directory entries, schema
 * {@code fr/creneau/feed/practitioners.schema.json}) into a {@link Directory}.
 *
 * <p>Entries are streamed one at a time; each bad entry is a counted {@link Rejection} and the rest
 * of the file still loads. A file that is not a JSON array, or that breaks off mid-way, is a
 * {@link FeedFormatException}: a truncated directory would silently remove practitioners.
 *
 * <p><b>Sites.</b> An entry may list {@code "sites"} (the first is the main one): each with an
 * {@code id} unique in the entry, an optional {@code address}, an optional position (absent: the
 * commune's, from the bundled {@link Communes} table by INSEE code then postal code, flagged
 * approximate) and an optional {@code phone} (absent: the entry's). Without {@code sites} the entry
 * has one site, {@link Site#MAIN}, at its own position and phone, as before. The practitioner's
 * {@code lat}/{@code lon} are then the main site's (the top-level ones are optional when sites are
 * given).
 *
 * <p><b>Structures.</b> {@code structures.json}, beside {@code practitioners.json}, lists the CDS,
 * MSP, SOS Médecins, CPTS and MMG; an entry names the one it registered through with
 * {@code "structure"}. It is read first (a missing file: no structures), each bad structure a
 * counted rejection in a report of its own ({@link Result#structures()}, records named
 * {@code structure <id>}), and an entry naming an unknown structure is rejected
 * {@link RejectReason#UNKNOWN_STRUCTURE}.
 *
 * <p>Stateless apart from its configuration; thread-safe.
 */
public final class DirectoryLoader {
    /** The structures file, beside the practitioners' file (name exact). */
    public static final String STRUCTURES_FILE = "structures.json";

    private final VendorRegistry vendors;
    private final long maxBytes;

    public DirectoryLoader(final VendorRegistry vendors) {
        this(vendors, IngestConfig.DEFAULTS);
    }

    /**
     * @param config only {@link IngestConfig#maxFeedBytes()} is used here: a larger file is a
     *               {@link FeedTooLargeException}
     */
    public DirectoryLoader(final VendorRegistry vendors, final IngestConfig config) {
        this.vendors = Objects.requireNonNull(vendors, "vendors");
        this.maxBytes = Objects.requireNonNull(config, "config").maxFeedBytes();
    }

    /**
     * The loaded directory and what was rejected on the way.
     *
     * @param directory  the directory
     * @param report     the practitioners' file: received, accepted and rejected entries
     * @param structures {@code structures.json}'s own, or {@code null} when there was none
     */
    public record Result(Directory directory, IngestReport report, IngestReport structures) {
        /** A result without structures file. */
        public Result(final Directory directory, final IngestReport report) {
            this(directory, report, null);
        }
    }

    /** Loads a file, from scratch. */
    public Result load(final Path file) {
        return load(file, null);
    }

    /**
     * Loads a file; when {@code previous} is given, practitioners keep their index (see
     * {@link Directory#builder(Directory)}).
     */
    public Result load(final Path file, final Directory previous) {
        final Path parent = file.toAbsolutePath().getParent();
        final Path structures = parent == null ? null : parent.resolve(STRUCTURES_FILE);
        final Directory.Builder builder = previous == null ? Directory.builder() : Directory.builder(previous);
        final IngestReport.Builder report = IngestReport.builder(file.getFileName().toString(), "directory", null);
        IngestReport.Builder structuresReport = null;
        if (structures != null && Files.exists(structures, LinkOption.NOFOLLOW_LINKS)) {
            Json.checkSize(structures, maxBytes);
            structuresReport = IngestReport.builder(STRUCTURES_FILE, "directory", null);
            try (InputStream in = Files.newInputStream(structures, LinkOption.NOFOLLOW_LINKS)) {
                loadStructures(STRUCTURES_FILE, in, builder, structuresReport);
            } catch (final IOException e) {
                throw new FeedFormatException(structures.toString(), "cannot read: " + e.getMessage(), e);
            }
        }
        Json.checkSize(file, maxBytes);
        try (InputStream in = Files.newInputStream(file)) {
            return load(file.getFileName().toString(), in, builder, report, structuresReport);
        } catch (final NoSuchFileException e) {
            throw new FeedFormatException(file.toString(), "no such file");
        } catch (final IOException e) {
            throw new FeedFormatException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    /** Loads from a stream (not closed), without structures. */
    public Result load(final String label, final InputStream in, final Directory previous) {
        return load(label, in, null, previous);
    }

    /**
     * Loads practitioners from {@code in} (not closed) and, when {@code structures} is not
     * {@code null}, the structures they may name from that stream (not closed) first.
     */
    public Result load(final String label, final InputStream in, final InputStream structures, final Directory previous) {
        final Directory.Builder builder = previous == null ? Directory.builder() : Directory.builder(previous);
        final IngestReport.Builder report = IngestReport.builder(label, "directory", null);
        IngestReport.Builder structuresReport = null;
        if (structures != null) {
            structuresReport = IngestReport.builder(STRUCTURES_FILE, "directory", null);
            loadStructures(STRUCTURES_FILE, structures, builder, structuresReport);
        }
        return load(label, in, builder, report, structuresReport);
    }

    private Result load(final String label, final InputStream in, final Directory.Builder builder,
                        final IngestReport.Builder report, final IngestReport.Builder structures) {
        Json.eachArrayEntry(in, maxBytes, label, "practitioners", report,
            (node, position) -> entry(node, position, builder, report));
        return new Result(builder.build(), report.build(), structures == null ? null : structures.build());
    }

    private void entry(final JsonNode node, final int position, final Directory.Builder builder,
                       final IngestReport.Builder report) {
        final String id = node != null && node.isObject() && Json.text(node, "rpps") != null
            ? Json.text(node, "rpps") : "#" + position;
        if (node == null || !node.isObject()) {
            report.reject(RejectReason.INVALID_VALUE, id, "entry is not a JSON object");
            return;
        }
        final String rppsText = Json.text(node, "rpps");
        final String rppsProblem = Rpps.problem(rppsText);
        if (rppsProblem != null) {
            report.reject(RejectReason.INVALID_RPPS, id, rppsProblem);
            return;
        }
        final long rpps = Long.parseLong(rppsText);
        if (builder.contains(rpps)) {
            report.reject(RejectReason.DUPLICATE_RPPS, id, "RPPS listed twice; the first entry is kept");
            return;
        }
        for (final String field : new String[] {"name", "profession", "phone", "participation"}) {
            if (Json.text(node, field) == null) {
                report.reject(RejectReason.MISSING_FIELD, id, "'" + field + "' is missing or not a string");
                return;
            }
            if (Json.text(node, field).isBlank()) {
                // A row without a name to show or a number to call is no row at all (schema: minLength 1).
                report.reject(RejectReason.INVALID_VALUE, id, "'" + field + "' is empty");
                return;
            }
        }
        final Profession profession = enumValue(Profession.class, Json.text(node, "profession"));
        if (profession == null) {
            report.reject(RejectReason.INVALID_VALUE, id, "unknown profession " + Json.quote(Json.text(node, "profession")));
            return;
        }
        final Participation participation = enumValue(Participation.class, Json.text(node, "participation"));
        if (participation == null) {
            report.reject(RejectReason.INVALID_VALUE, id,
                "unknown participation " + Json.quote(Json.text(node, "participation")));
            return;
        }
        final String phone = Json.text(node, "phone");
        final List<Site> sites;
        if (Json.has(node, "sites")) {
            sites = sites(node.get("sites"), phone, id, report);
            if (sites == null) {
                return;
            }
        } else {
            final JsonNode lat = node.get("lat");
            final JsonNode lon = node.get("lon");
            if (lat == null || lon == null || !lat.isNumber() || !lon.isNumber()) {
                report.reject(RejectReason.OUTSIDE_FRANCE, id, "lat/lon missing or not numbers");
                return;
            }
            sites = List.of(Site.main(lat.doubleValue(), lon.doubleValue(), phone));
        }
        final Site main = sites.get(0);
        final Territory territory = Territory.of(main.lat(), main.lon());
        if (territory == null) {
            report.reject(RejectReason.OUTSIDE_FRANCE, id,
                "position " + main.lat() + "," + main.lon() + " is outside France");
            return;
        }
        String structure = null;
        if (Json.has(node, "structure")) {
            structure = Json.text(node, "structure");
            if (structure == null || structure.isBlank()) {
                report.reject(RejectReason.INVALID_VALUE, id, "'structure' must be a structure id");
                return;
            }
            if (!builder.containsStructure(structure)) {
                report.reject(RejectReason.UNKNOWN_STRUCTURE, id, "structure " + Json.quote(structure)
                    + " is not in " + STRUCTURES_FILE);
                return;
            }
        }
        String vendorCode = null;
        if (Json.has(node, "vendor")) {
            final String name = Json.text(node, "vendor");
            final String nameProblem = name == null ? null : VendorRegistry.nameProblem(name);
            if (nameProblem != null) {
                report.reject(RejectReason.INVALID_VALUE, id, "vendor name " + nameProblem + ": " + Json.quote(name));
                return;
            }
            final Vendor vendor = vendors.find(name);
            if (vendor == null) {
                report.reject(RejectReason.UNKNOWN_VENDOR, id, "unknown vendor " + Json.quote(node.get("vendor").asText()));
                return;
            }
            vendorCode = vendor.code();
        }
        final Boolean refuses = bool(node, "refusesVendorSlots");
        final Boolean extra = bool(node, "acceptsExtraPatients");
        if (refuses == null || extra == null) {
            report.reject(RejectReason.MISSING_FIELD, id, "refusesVendorSlots and acceptsExtraPatients must be booleans");
            return;
        }
        Cpts cpts = null;
        if (Json.has(node, "cpts")) {
            final JsonNode c = node.get("cpts");
            final String cptsId = c.isObject() ? Json.text(c, "id") : null;
            final String cptsName = c.isObject() ? Json.text(c, "name") : null;
            final String cptsPhone = c.isObject() ? Json.text(c, "phone") : null;
            if (cptsId == null || cptsName == null || cptsPhone == null) {
                report.reject(RejectReason.MISSING_FIELD, id, "cpts must have string id, name and phone");
                return;
            }
            if (cptsId.isBlank() || cptsName.isBlank() || cptsPhone.isBlank()) {
                report.reject(RejectReason.INVALID_VALUE, id, "cpts id, name and phone must not be empty");
                return;
            }
            cpts = new Cpts(cptsId, cptsName, cptsPhone);
        }
        if (participation == Participation.CPTS && cpts == null) {
            report.reject(RejectReason.MISSING_FIELD, id, "participation CPTS without a cpts");
            return;
        }
        // Optional keys read by the ranking: the phone reserved for the regulation, the home-visit radius.
        String regulationPhone = null;
        if (Json.has(node, "regulationPhone")) {
            regulationPhone = Json.text(node, "regulationPhone");
            if (regulationPhone == null || regulationPhone.isBlank()) {
                report.reject(RejectReason.INVALID_VALUE, id, "regulationPhone must be a non-empty string or null");
                return;
            }
        }
        double homeVisitRadiusKm = Double.NaN;
        if (Json.has(node, "homeVisitRadiusKm")) {
            final JsonNode r = node.get("homeVisitRadiusKm");
            if (!r.isNumber() || !(r.doubleValue() > 0) || r.doubleValue() > 200) {
                report.reject(RejectReason.INVALID_VALUE, id, "homeVisitRadiusKm must be a number in (0, 200] or null");
                return;
            }
            homeVisitRadiusKm = r.doubleValue();
        }
        builder.add(new Practitioner(rpps, Json.text(node, "name"), profession, main.lat(), main.lon(),
            phone, vendorCode, refuses, participation, extra, cpts, territory, sites, structure, regulationPhone, homeVisitRadiusKm));
        report.accepted();
    }

    /**
     * The sites of an entry, or {@code null} after counting a rejection: a non-empty array of at
     * most {@link Practitioner#MAX_SITES}, ids unique, each placed in France (its own position or
     * its commune's).
     */
    private static List<Site> sites(final JsonNode array, final String phone, final String id,
                                    final IngestReport.Builder report) {
        if (!array.isArray() || array.isEmpty()) {
            report.reject(RejectReason.INVALID_VALUE, id, "'sites' must be a non-empty array");
            return null;
        }
        if (array.size() > Practitioner.MAX_SITES) {
            report.reject(RejectReason.INVALID_VALUE, id, "more than " + Practitioner.MAX_SITES + " sites");
            return null;
        }
        final List<Site> sites = new ArrayList<>(array.size());
        final Set<String> ids = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            final JsonNode s = array.get(i);
            final String where = "sites[" + i + "]";
            if (!s.isObject()) {
                report.reject(RejectReason.INVALID_VALUE, id, where + " is not an object");
                return null;
            }
            final String siteId = Json.text(s, "id");
            if (siteId == null) {
                report.reject(RejectReason.MISSING_FIELD, id, where + ".id is missing or not a string");
                return null;
            }
            final String idProblem = Json.idProblem(siteId);
            if (idProblem != null) {
                report.reject(RejectReason.INVALID_VALUE, id, where + ".id " + idProblem);
                return null;
            }
            if (!ids.add(siteId)) {
                report.reject(RejectReason.INVALID_VALUE, id, "site id " + Json.quote(siteId) + " listed twice");
                return null;
            }
            final Place place = place(s, id, where, report);
            if (place == null) {
                return null;
            }
            String sitePhone = phone;
            if (Json.has(s, "phone")) {
                sitePhone = Json.text(s, "phone");
                if (sitePhone == null || sitePhone.isBlank()) {
                    report.reject(RejectReason.INVALID_VALUE, id, where + ".phone must be a non-empty string");
                    return null;
                }
            }
            String role = null;
            if (Json.has(s, "role")) {
                role = Json.text(s, "role");
                if (role == null || role.isBlank()) {
                    report.reject(RejectReason.INVALID_VALUE, id, where + ".role must be a non-empty string");
                    return null;
                }
            }
            sites.add(new Site(siteId, place.address, place.lat, place.lon, place.approximate, sitePhone, role));
        }
        return sites;
    }

    /** An address and a position, read from an object with {@code address}, {@code lat}, {@code lon}. */
    private record Place(Address address, double lat, double lon, boolean approximate) {
    }

    /**
     * The place of a site or a structure, or {@code null} after counting a rejection. Without
     * {@code lat}/{@code lon} the position is the commune's (approximate); with them it must lie
     * in France.
     */
    private static Place place(final JsonNode node, final String id, final String where,
                               final IngestReport.Builder report) {
        Address address = null;
        if (Json.has(node, "address")) {
            address = address(node.get("address"));
            if (address == null) {
                report.reject(RejectReason.INVALID_VALUE, id, where + ".address must be an object with string "
                    + "lines, postalCode, city and inseeCode (each optional, lines an array, at least one part)");
                return null;
            }
        }
        final boolean hasLat = Json.has(node, "lat");
        final boolean hasLon = Json.has(node, "lon");
        if (hasLat || hasLon) {
            final JsonNode lat = node.get("lat");
            final JsonNode lon = node.get("lon");
            if (!hasLat || !hasLon || !lat.isNumber() || !lon.isNumber()) {
                report.reject(RejectReason.INVALID_VALUE, id, where + ": lat and lon must both be numbers");
                return null;
            }
            if (Territory.of(lat.doubleValue(), lon.doubleValue()) == null) {
                report.reject(RejectReason.OUTSIDE_FRANCE, id, where + ": position " + lat.doubleValue() + ","
                    + lon.doubleValue() + " is outside France");
                return null;
            }
            return new Place(address, lat.doubleValue(), lon.doubleValue(), false);
        }
        final Communes.Commune commune = Communes.bundled().of(address);
        if (commune == null) {
            report.reject(address == null ? RejectReason.MISSING_FIELD : RejectReason.INVALID_VALUE, id, where
                + " has no lat/lon and its address names no known commune (inseeCode or postalCode)");
            return null;
        }
        return new Place(address, commune.lat(), commune.lon(), true);
    }

    /** An address object, or {@code null} when it is not one (wrong types, or no part at all). */
    static Address address(final JsonNode a) {
        if (!a.isObject()) {
            return null;
        }
        final List<String> lines = new ArrayList<>();
        if (Json.has(a, "lines")) {
            final JsonNode l = a.get("lines");
            if (!l.isArray()) {
                return null;
            }
            for (final JsonNode line : l) {
                if (!line.isTextual()) {
                    return null;
                }
                if (!line.asText().isBlank()) {
                    lines.add(line.asText().strip());
                }
            }
        }
        final String[] parts = new String[3];
        final String[] names = {"postalCode", "city", "inseeCode"};
        for (int i = 0; i < names.length; i++) {
            if (Json.has(a, names[i])) {
                parts[i] = Json.text(a, names[i]);
                if (parts[i] == null) {
                    return null;
                }
                parts[i] = parts[i].isBlank() ? null : parts[i].strip();
            }
        }
        if (lines.isEmpty() && parts[0] == null && parts[1] == null && parts[2] == null) {
            return null;
        }
        return new Address(lines, parts[0], parts[1], parts[2]);
    }

    /** Reads {@code structures.json}: an array of structures, each bad one a counted rejection. */
    private void loadStructures(final String label, final InputStream in, final Directory.Builder builder,
                                final IngestReport.Builder report) {
        Json.eachArrayEntry(in, maxBytes, label, "structures", report,
            (node, position) -> structure(node, position, builder, report));
    }

    private static void structure(final JsonNode node, final int position, final Directory.Builder builder,
                                  final IngestReport.Builder report) {
        final String given = node != null && node.isObject() ? Json.text(node, "id") : null;
        final String id = "structure " + (given != null ? given : "#" + position);
        if (node == null || !node.isObject()) {
            report.reject(RejectReason.INVALID_VALUE, id, "entry is not a JSON object");
            return;
        }
        for (final String field : new String[] {"id", "kind", "name", "phone"}) {
            final String v = Json.text(node, field);
            if (v == null) {
                report.reject(RejectReason.MISSING_FIELD, id, "'" + field + "' is missing or not a string");
                return;
            }
            if (v.isBlank()) {
                report.reject(RejectReason.INVALID_VALUE, id, "'" + field + "' is empty");
                return;
            }
        }
        final String idProblem = Json.idProblem(given);
        if (idProblem != null) {
            report.reject(RejectReason.INVALID_VALUE, id, "'id' " + idProblem);
            return;
        }
        if (builder.containsStructure(given)) {
            report.reject(RejectReason.INVALID_VALUE, id, "structure id listed twice; the first is kept");
            return;
        }
        final StructureKind kind = enumValue(StructureKind.class, Json.text(node, "kind"));
        if (kind == null) {
            report.reject(RejectReason.INVALID_VALUE, id, "unknown kind " + Json.quote(Json.text(node, "kind"))
                + " (CDS, MSP, SOS_MEDECINS, CPTS or MMG)");
            return;
        }
        final Place place = place(node, id, "structure", report);
        if (place == null) {
            return;
        }
        final Territory territory = Territory.of(place.lat, place.lon);
        if (territory == null) {
            report.reject(RejectReason.OUTSIDE_FRANCE, id, "position " + place.lat + "," + place.lon + " is outside France");
            return;
        }
        final List<WeeklyHours> hours = new ArrayList<>();
        if (Json.has(node, "hours")) {
            final String problem = hours(node.get("hours"), hours);
            if (problem != null) {
                report.reject(RejectReason.INVALID_VALUE, id, "hours: " + problem);
                return;
            }
        }
        builder.addStructure(new Structure(given, kind, Json.text(node, "name"), Json.text(node, "phone"),
            place.address, place.lat, place.lon, place.approximate, hours, territory));
        report.accepted();
    }

    /** Reads {@code [{"days": [...], "from": "HH:MM", "to": "HH:MM"}]} into {@code out}; the problem, or {@code null}. */
    private static String hours(final JsonNode array, final List<WeeklyHours> out) {
        if (!array.isArray()) {
            return "must be an array of {days, from, to}";
        }
        for (int i = 0; i < array.size(); i++) {
            final JsonNode h = array.get(i);
            final JsonNode days = h.isObject() ? h.get("days") : null;
            final String from = h.isObject() ? Json.text(h, "from") : null;
            final String to = h.isObject() ? Json.text(h, "to") : null;
            if (days == null || !days.isArray() || days.isEmpty() || from == null || to == null) {
                return "[" + i + "] must have days (a non-empty array), from and to";
            }
            final Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
            for (final JsonNode d : days) {
                final DayOfWeek day = d.isTextual() ? DAYS.get(d.asText()) : null;
                if (day == null) {
                    return "[" + i + "] unknown day " + Json.quote(d.asText()) + " (MON..SUN)";
                }
                set.add(day);
            }
            final LocalTime f = localTime(from);
            final LocalTime t = localTime(to);
            if (f == null || t == null || f.equals(t)) {
                return "[" + i + "] from and to must be distinct HH:MM times: " + Json.quote(from) + "-" + Json.quote(to);
            }
            out.add(new WeeklyHours(set, f, t));
        }
        return null;
    }

    private static final java.util.Map<String, DayOfWeek> DAYS = java.util.Map.of("MON", DayOfWeek.MONDAY,
        "TUE", DayOfWeek.TUESDAY, "WED", DayOfWeek.WEDNESDAY, "THU", DayOfWeek.THURSDAY, "FRI", DayOfWeek.FRIDAY,
        "SAT", DayOfWeek.SATURDAY, "SUN", DayOfWeek.SUNDAY);

    private static LocalTime localTime(final String text) {
        if (text.length() != 5 || text.charAt(2) != ':') {
            return null;
        }
        if ("24:00".equals(text)) {
            return LocalTime.MIDNIGHT;
        }
        try {
            return LocalTime.parse(text);
        } catch (final DateTimeParseException e) {
            return null;
        }
    }

    private static Boolean bool(final JsonNode node, final String field) {
        final JsonNode v = node.get(field);
        return v != null && v.isBoolean() ? v.booleanValue() : null;
    }

    static <E extends Enum<E>> E enumValue(final Class<E> type, final String wire) {
        if (wire == null) {
            return null;
        }
        for (final E e : type.getEnumConstants()) {
            if (e.name().equals(wire)) {
                return e;
            }
        }
        return null;
    }
}
