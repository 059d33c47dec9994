package fr.creneau.feed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import fr.creneau.directory.Cpts;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.Territory;
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
 * <p>Stateless apart from its configuration; thread-safe.
 */
public final class DirectoryLoader {
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

    /** The loaded directory and what was rejected on the way. */
    public record Result(Directory directory, IngestReport report) {
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
        Json.checkSize(file, maxBytes);
        try (InputStream in = Files.newInputStream(file)) {
            return load(file.getFileName().toString(), in, previous);
        } catch (final NoSuchFileException e) {
            throw new FeedFormatException(file.toString(), "no such file");
        } catch (final IOException e) {
            throw new FeedFormatException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    /** Loads from a stream (not closed). */
    public Result load(final String label, final InputStream in, final Directory previous) {
        final Directory.Builder builder = previous == null ? Directory.builder() : Directory.builder(previous);
        final IngestReport.Builder report = IngestReport.builder(label, "directory", null);
        try (JsonParser p = Json.parser(in, maxBytes, label)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new FeedFormatException(label, "expected a JSON array of practitioners at "
                    + p.currentLocation().offsetDescription());
            }
            int position = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new FeedFormatException(label, "unexpected end of input inside the array");
                }
                final JsonNode node = p.readValueAsTree();
                report.received(1);
                entry(node, position++, builder, report);
            }
            if (p.nextToken() != null) {
                throw new FeedFormatException(label, "trailing content after the array");
            }
        } catch (final IOException e) {
            throw Json.unreadable(label, e);
        }
        return new Result(builder.build(), report.build());
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
        final JsonNode lat = node.get("lat");
        final JsonNode lon = node.get("lon");
        if (lat == null || lon == null || !lat.isNumber() || !lon.isNumber()) {
            report.reject(RejectReason.OUTSIDE_FRANCE, id, "lat/lon missing or not numbers");
            return;
        }
        final Territory territory = Territory.of(lat.doubleValue(), lon.doubleValue());
        if (territory == null) {
            report.reject(RejectReason.OUTSIDE_FRANCE, id,
                "position " + lat.doubleValue() + "," + lon.doubleValue() + " is outside France");
            return;
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
        final double pLat = lat.doubleValue();
        final double pLon = lon.doubleValue();
        final String phone = Json.text(node, "phone");
        builder.add(new Practitioner(rpps, Json.text(node, "name"), profession, pLat, pLon, phone, vendorCode, refuses,
            participation, extra, cpts, territory, java.util.List.of(fr.creneau.directory.Site.main(pLat, pLon, phone)),
            null, regulationPhone, homeVisitRadiusKm));
        report.accepted();
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
