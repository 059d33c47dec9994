package fr.creneau.feed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.creneau.directory.Address;
import fr.creneau.directory.Communes;
import fr.creneau.directory.Cpts;
import fr.creneau.directory.Directory;
import fr.creneau.directory.NationalId;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Site;
import fr.creneau.directory.Structure;
import fr.creneau.directory.StructureKind;
import fr.creneau.directory.Territory;
import fr.creneau.directory.VendorRegistry;

/**
 * Reads the national health directory, the ANS "Annuaire Santé" in FHIR R4 (profiles
 * {@code as-practitioner}, {@code as-practitionerrole}, {@code as-organization} of the IG
 * {@code ansforge/IG-fhir-annuaire}, served by {@code https://gateway.api.esante.gouv.fr/fhir/v2}),
 * and the SAS overlay beside it ({@link SasOverlay}), into a {@link Directory}. The mapping is the
 * README's section "The directory from the national sources".
 *
 * <p><b>Input.</b> One or more JSON values, one after the other (a single Bundle, the pages of a
 * search saved one after the other, or an NDJSON export of one resource a line): each is a
 * {@code searchset} or {@code collection} Bundle, or a bare Practitioner, PractitionerRole,
 * Organization or Location. The ANS API pages its answers ({@code link} {@code next}) and repeats
 * an included Organization on every page that refers to it: a resource seen again under the same
 * type and id is the same resource and is read once. A file whose last Bundle still has a
 * {@code next} link is one page short of the directory and is refused
 * ({@link FeedFormatException}): loading it would drop every practitioner of the missing pages.
 *
 * <p><b>Streaming.</b> A Bundle's {@code entry} array is read one entry at a time and each
 * resource is reduced at once to the few strings the directory needs (narratives, qualifications
 * and extensions are dropped as read): memory grows with the number of practitioners and places,
 * not with the JSON text. The whole input is bounded by {@link IngestConfig#maxFeedBytes()}.
 *
 * <p><b>Rejections.</b> A resource that cannot be used is a counted {@link Rejection}, named by
 * its identifier when it has one, else {@code Type/id}; the rest still loads. A practitioner
 * keeps the sites that could be placed; one with none is rejected.
 *
 * <p>Stateless apart from its configuration; thread-safe.
 */
public final class AnnuaireSanteLoader {

    /** IDNPS: {@code 8} + RPPS or {@code 0} + ADELI. */
    static final String IDNPS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1";
    /** IDNST: {@code 1} + FINESS, {@code 3} + SIRET, {@code 4} + an RPPS-rang cabinet id, .... */
    static final String IDNST_SYSTEM = "urn:oid:1.2.250.1.71.4.2.2";
    static final String RPPS_SYSTEM = "https://rpps.esante.gouv.fr";
    static final String FINESS_SYSTEM = "https://finess.esante.gouv.fr";
    /** Code systems are matched on their NOS table name: the ANS writes them with and without a trailing slash. */
    static final String PROFESSION_TABLE = "TRE_G15-ProfessionSante";
    static final String SPECIALTY_TABLE = "TRE_R38-SpecialiteOrdinale";
    static final String MODE_TABLE = "TRE_R23-ModeExercice";
    static final String CATEGORY_TABLE = "TRE_R66-CategorieEtablissement";
    static final String GEOLOCATION = "http://hl7.org/fhir/StructureDefinition/geolocation";

    /** TRE_G15 professions the SAS routes to. */
    static final String MEDECIN = "10";
    static final String SAGE_FEMME = "50";
    static final String INFIRMIER = "60";
    /** TRE_R38 specialties of general medicine: SM26 qualifié, SM53 spécialiste, SM54 médecine générale. */
    static final List<String> GENERAL_MEDICINE = List.of("SM26", "SM53", "SM54");

    /** Most places of work a practitioner keeps; beyond, the file is taken to be wrong about them. */
    static final int MAX_SITES = 16;

    private final VendorRegistry vendors;
    private final long maxBytes;
    private final Communes communes;

    public AnnuaireSanteLoader(final VendorRegistry vendors) {
        this(vendors, IngestConfig.DEFAULTS);
    }

    /**
     * @param config only {@link IngestConfig#maxFeedBytes()} is used here, for each of the two
     *               files: a larger one is a {@link FeedTooLargeException}
     */
    public AnnuaireSanteLoader(final VendorRegistry vendors, final IngestConfig config) {
        this.vendors = Objects.requireNonNull(vendors, "vendors");
        this.maxBytes = Objects.requireNonNull(config, "config").maxFeedBytes();
        this.communes = Communes.bundled();
    }

    /**
     * The loaded directory and what was rejected on the way.
     *
     * @param directory the practitioners and structures
     * @param report    the national file's: practitioners and structures received, kept, rejected
     * @param overlay   the overlay's: entries received, applied, rejected (empty without overlay)
     */
    public record Result(Directory directory, IngestReport report, IngestReport overlay) {
    }

    /**
     * Loads the national file and, when {@code overlay} is not {@code null}, the SAS overlay;
     * when {@code previous} is given, practitioners keep their index
     * ({@link Directory#builder(Directory)}). Neither file is followed through a symbolic link.
     *
     * @throws FeedFormatException when either file cannot be read as its format; nothing is loaded
     */
    public Result load(final Path national, final Path overlay, final Directory previous) {
        Objects.requireNonNull(national, "national");
        Json.checkSize(national, maxBytes);
        try (InputStream in = open(national)) {
            if (overlay == null) {
                return load(national.getFileName().toString(), in, null, null, previous);
            }
            Json.checkSize(overlay, maxBytes);
            try (InputStream o = open(overlay)) {
                return load(national.getFileName().toString(), in, overlay.getFileName().toString(), o, previous);
            }
        } catch (final IOException e) {
            throw new FeedFormatException(national.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    private static InputStream open(final Path file) {
        try {
            return Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (final NoSuchFileException e) {
            throw new FeedFormatException(file.toString(), "no such file");
        } catch (final IOException e) {
            // ELOOP on a symbolic link lands here too: a directory file is never read through one.
            throw new FeedFormatException(file.toString(), "cannot open: " + e.getMessage(), e);
        }
    }

    /**
     * Loads from streams (not closed).
     *
     * @param overlayLabel label of the overlay, or {@code null} with {@code overlay} {@code null}
     */
    public Result load(final String label, final InputStream national, final String overlayLabel,
                       final InputStream overlay, final Directory previous) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(national, "national");
        final IngestReport.Builder report = IngestReport.builder(label, "annuaire-sante", null);
        final Resources resources = read(label, national, report);
        final Map<String, Structure> structures = structures(resources, report);
        final Map<Long, Candidate> candidates = candidates(resources, report);

        final IngestReport.Builder overlayReport = IngestReport.builder(
            overlayLabel == null ? "(no overlay)" : overlayLabel, "sas-overlay", null);
        final Map<Long, SasOverlay.Entry> facts = overlay == null ? Map.of()
            : new SasOverlay(vendors, maxBytes).read(overlayLabel, overlay, candidates.keySet(), structures, overlayReport);

        final Directory.Builder builder = previous == null ? Directory.builder() : Directory.builder(previous);
        structures.values().forEach(builder::addStructure);
        for (final Candidate c : candidates.values()) {
            final Practitioner p = c.practitioner(facts.get(c.key), report);
            if (p != null) {
                builder.add(p);
                report.accepted();
            }
        }
        return new Result(builder.build(), report.build(), overlayReport.build());
    }

    // ------------------------------------------------------------------ reading

    /** What the directory needs of a place: its address and, when the file gives it, its position. */
    record Place(Address address, double lat, double lon) {
        boolean positioned() {
            return !Double.isNaN(lat) && !Double.isNaN(lon);
        }
    }

    record PractitionerRes(String ref, String key, String keyProblem, String name, String phone,
                           List<String> professions, List<String> specialties) {
    }

    record RoleRes(String ref, String practitioner, String organization, List<String> locations,
                   Map<String, LocationRes> contained, List<String> professions, List<String> specialties,
                   String mode, String phone, boolean active) {
    }

    record OrganizationRes(String ref, String name, Place place, String phone, StructureKind kind,
                           String structureId, boolean active) {
    }

    record LocationRes(String ref, Place place, String phone, String organization) {
    }

    /** Every resource read, by {@code Type/id} (and by {@code fullUrl} for {@code urn:uuid} references). */
    static final class Resources {
        final Map<String, PractitionerRes> practitioners = new LinkedHashMap<>();
        final Map<String, RoleRes> roles = new LinkedHashMap<>();
        final Map<String, OrganizationRes> organizations = new LinkedHashMap<>();
        final Map<String, LocationRes> locations = new HashMap<>();
        /** fullUrl to {@code Type/id}. */
        final Map<String, String> byFullUrl = new HashMap<>();

        String resolve(final String reference) {
            if (reference == null) {
                return null;
            }
            final String viaUrl = byFullUrl.get(reference);
            return viaUrl != null ? viaUrl : typeAndId(reference);
        }
    }

    private Resources read(final String label, final InputStream in, final IngestReport.Builder report) {
        final Resources resources = new Resources();
        try (JsonParser p = Json.parser(in, maxBytes, label)) {
            boolean any = false;
            boolean nextPending = false;
            int root = 0;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.START_OBJECT) {
                    throw new FeedFormatException(label, "expected a FHIR Bundle or resource (a JSON object) at "
                        + p.currentLocation().offsetDescription());
                }
                any = true;
                nextPending = rootObject(label, p, root++, resources, report);
            }
            if (!any) {
                throw new FeedFormatException(label, "empty: no Bundle and no resource");
            }
            if (nextPending) {
                throw new FeedFormatException(label, "the last Bundle has a 'next' link: the export is missing its "
                    + "following pages, and a partial directory would drop their practitioners");
            }
        } catch (final IOException e) {
            throw Json.unreadable(label, e);
        }
        return resources;
    }

    /**
     * One top-level value: a Bundle, whose entries are streamed, or a bare resource.
     *
     * @return {@code true} when it was a Bundle with a {@code next} link
     */
    private boolean rootObject(final String label, final JsonParser p, final int root, final Resources resources,
                               final IngestReport.Builder report) throws IOException {
        final ObjectNode rest = Json.MAPPER.createObjectNode();
        boolean streamed = false;
        int position = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            final String field = p.currentName();
            final JsonToken value = p.nextToken();
            if ("entry".equals(field) && value == JsonToken.START_ARRAY) {
                streamed = true;
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (e == null) {
                        throw new FeedFormatException(label, "unexpected end of input inside 'entry'");
                    }
                    final JsonNode entry = p.readValueAsTree();
                    entry(entry, position++, resources, report);
                }
            } else {
                rest.set(field, p.readValueAsTree());
            }
        }
        final String type = Json.text(rest, "resourceType");
        if ("Bundle".equals(type)) {
            final String bundleType = Json.text(rest, "type");
            if (!"searchset".equals(bundleType) && !"collection".equals(bundleType)) {
                throw new FeedFormatException(label, "a Bundle of type " + Json.quote(bundleType)
                    + ": expected searchset or collection");
            }
            return hasNextLink(rest);
        }
        if (streamed) {
            throw new FeedFormatException(label, "'entry' outside a Bundle (resourceType " + Json.quote(type) + ")");
        }
        if ("OperationOutcome".equals(type)) {
            throw new FeedFormatException(label, "an OperationOutcome instead of the directory: the export failed");
        }
        resource(rest, null, "value #" + root, resources, report);
        return false;
    }

    private static boolean hasNextLink(final JsonNode bundle) {
        final JsonNode links = bundle.get("link");
        if (links != null && links.isArray()) {
            for (final JsonNode l : links) {
                if ("next".equals(Json.text(l, "relation")) && Json.text(l, "url") != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private void entry(final JsonNode entry, final int position, final Resources resources,
                       final IngestReport.Builder report) {
        final JsonNode resource = entry != null && entry.isObject() ? entry.get("resource") : null;
        if (resource == null || !resource.isObject()) {
            report.received(1);
            report.reject(RejectReason.MISSING_FIELD, "entry #" + position, "entry without a resource object");
            return;
        }
        resource(resource, Json.text(entry, "fullUrl"), "entry #" + position, resources, report);
    }

    private void resource(final JsonNode r, final String fullUrl, final String where, final Resources resources,
                          final IngestReport.Builder report) {
        final String type = Json.text(r, "resourceType");
        final String id = Json.text(r, "id");
        if (type == null || id == null || id.isBlank()) {
            report.received(1);
            report.reject(RejectReason.MISSING_FIELD, where, "resource without resourceType or id");
            return;
        }
        final String ref = type + '/' + id;
        if (fullUrl != null) {
            resources.byFullUrl.put(fullUrl, ref);
        }
        switch (type) {
            case "Practitioner" -> {
                if (!resources.practitioners.containsKey(ref)) { // a page repeats what it includes
                    resources.practitioners.put(ref, practitioner(ref, r));
                }
            }
            case "PractitionerRole" -> resources.roles.putIfAbsent(ref, role(ref, r));
            case "Organization" -> resources.organizations.putIfAbsent(ref, organization(ref, r));
            case "Location" -> resources.locations.putIfAbsent(ref, location(ref, r));
            default -> {
                // HealthcareService, Device, OperationOutcome of a searchset's warnings: not the
                // directory's business, and not an error of the file either.
            }
        }
    }

    private static PractitionerRes practitioner(final String ref, final JsonNode r) {
        String rpps = null;
        String adeli = null;
        String problem = null;
        for (final JsonNode id : array(r, "identifier")) {
            final String system = Json.text(id, "system");
            final String value = Json.text(id, "value");
            final String typeCode = typeCode(id);
            if (value == null) {
                continue;
            }
            final boolean idnps = IDNPS_SYSTEM.equals(system) || "IDNPS".equals(typeCode);
            final boolean isRpps = RPPS_SYSTEM.equals(system) || "RPPS".equals(typeCode);
            final boolean isAdeli = "ADELI".equals(typeCode) || system != null && system.contains("adeli");
            if (!idnps && !isRpps && !isAdeli) {
                continue;
            }
            final String p = NationalId.practitionerProblem(value);
            if (p != null) {
                problem = problem == null ? p : problem;
                continue;
            }
            final NationalId parsed = NationalId.practitioner(value);
            if (parsed.kind() == NationalId.Kind.RPPS) {
                rpps = rpps == null ? value : rpps;
            } else {
                adeli = adeli == null ? value : adeli;
            }
        }
        // An RPPS wins over an ADELI: the RPPS replaces the ADELI where both exist.
        final String key = rpps != null ? rpps : adeli;
        final List<String> professions = new ArrayList<>();
        final List<String> specialties = new ArrayList<>();
        for (final JsonNode q : array(r, "qualification")) {
            codes(q.get("code"), PROFESSION_TABLE, professions);
            codes(q.get("code"), SPECIALTY_TABLE, specialties);
        }
        return new PractitionerRes(ref, key, key == null ? (problem == null ? "no RPPS or ADELI identifier" : problem)
            : null, name(r), phone(r), professions, specialties);
    }

    private RoleRes role(final String ref, final JsonNode r) {
        final Map<String, LocationRes> contained = new HashMap<>();
        for (final JsonNode c : array(r, "contained")) {
            if ("Location".equals(Json.text(c, "resourceType")) && Json.text(c, "id") != null) {
                contained.put("#" + Json.text(c, "id"), location("#" + Json.text(c, "id"), c));
            }
        }
        final List<String> locations = new ArrayList<>();
        for (final JsonNode l : array(r, "location")) {
            if (Json.text(l, "reference") != null) {
                locations.add(Json.text(l, "reference"));
            }
        }
        final List<String> professions = new ArrayList<>();
        final List<String> modes = new ArrayList<>();
        for (final JsonNode code : array(r, "code")) {
            codes(code, PROFESSION_TABLE, professions);
            codes(code, MODE_TABLE, modes);
        }
        final List<String> specialties = new ArrayList<>();
        for (final JsonNode s : array(r, "specialty")) {
            codes(s, SPECIALTY_TABLE, specialties);
        }
        final JsonNode active = r.get("active");
        return new RoleRes(ref, reference(r.get("practitioner")), reference(r.get("organization")), locations,
            contained, professions, specialties, modes.isEmpty() ? null : modes.get(0), phone(r),
            active == null || !active.isBoolean() || active.booleanValue());
    }

    private OrganizationRes organization(final String ref, final JsonNode r) {
        String finess = null;
        String siret = null;
        String idnst = null;
        for (final JsonNode id : array(r, "identifier")) {
            final String value = Json.text(id, "value");
            if (value == null) {
                continue;
            }
            final String system = Json.text(id, "system");
            final String typeCode = typeCode(id);
            if (FINESS_SYSTEM.equals(system) || "FINEG".equals(typeCode) || "FINEJ".equals(typeCode)) {
                finess = finess == null && NationalId.structureProblem(value) == null ? value : finess;
            } else if ("SIRET".equals(typeCode) || system != null && system.contains("sirene")) {
                siret = siret == null && NationalId.structureProblem(value) == null ? value : siret;
            } else if (IDNST_SYSTEM.equals(system) || "IDNST".equals(typeCode)) {
                idnst = idnst == null ? value : idnst;
            }
        }
        // The structure id: the bare FINESS, else the bare SIRET, else the IDNST (which may be an
        // FINESS or SIRET with its prefix, or another register's), else the resource's own id.
        String structureId = finess != null ? NationalId.structure(finess).value()
            : siret != null ? NationalId.structure(siret).value() : null;
        if (structureId == null && idnst != null) {
            structureId = NationalId.structureProblem(idnst) == null ? NationalId.structure(idnst).value() : idnst;
        }
        if (structureId == null) {
            structureId = ref;
        }
        final String name = Json.text(r, "name");
        final JsonNode active = r.get("active");
        return new OrganizationRes(ref, name, place(first(r, "address")), phone(r), kind(r, name), structureId,
            active == null || !active.isBoolean() || active.booleanValue());
    }

    private LocationRes location(final String ref, final JsonNode r) {
        Place place = place(r.get("address"));
        final JsonNode position = r.get("position");
        if (position != null && position.isObject() && position.path("latitude").isNumber()
            && position.path("longitude").isNumber()) {
            place = new Place(place == null ? null : place.address(), position.get("latitude").doubleValue(),
                position.get("longitude").doubleValue());
        }
        return new LocationRes(ref, place, phone(r), reference(r.get("managingOrganization")));
    }

    /**
     * The structure kind of an Organization, when it can be told: its TRE_R66 category (124 CDS,
     * 603 MSP, 604 CPTS), else its name (SOS Médecins associations and maisons médicales de garde
     * have no category of their own in FINESS).
     */
    static StructureKind kind(final JsonNode org, final String name) {
        final List<String> categories = new ArrayList<>();
        for (final JsonNode type : array(org, "type")) {
            codes(type, CATEGORY_TABLE, categories);
        }
        for (final String c : categories) {
            switch (c) {
                case "124" -> {
                    return StructureKind.CDS;
                }
                case "603" -> {
                    return StructureKind.MSP;
                }
                case "604" -> {
                    return StructureKind.CPTS;
                }
                default -> {
                    // another category: a hospital, a pharmacy, a laboratory, ...
                }
            }
        }
        if (name == null) {
            return null;
        }
        final String n = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "").toUpperCase(Locale.ROOT).replaceAll("[^A-Z]+", " ").strip();
        if (n.startsWith("SOS MEDECINS") || n.contains(" SOS MEDECINS")) {
            return StructureKind.SOS_MEDECINS;
        }
        if (n.contains("MAISON MEDICALE DE GARDE")) {
            return StructureKind.MMG;
        }
        return null;
    }

    /**
     * An address: its text lines, or, for a line given only by its ISO 21090 parts (the ANS
     * examples), house number, street type and street name joined; the INSEE code from the FR
     * Core extension; the position from the {@code geolocation} extension when present.
     */
    private static Place place(final JsonNode a) {
        if (a == null || !a.isObject()) {
            return null;
        }
        final List<String> lines = new ArrayList<>();
        final JsonNode textLines = a.get("line");
        final JsonNode lineParts = a.get("_line");
        final int n = Math.max(textLines == null || !textLines.isArray() ? 0 : textLines.size(),
            lineParts == null || !lineParts.isArray() ? 0 : lineParts.size());
        for (int i = 0; i < n && i < 8; i++) {
            final JsonNode text = textLines == null ? null : textLines.get(i);
            if (text != null && text.isTextual() && !text.asText().isBlank()) {
                lines.add(text.asText().strip());
                continue;
            }
            final JsonNode parts = lineParts == null ? null : lineParts.get(i);
            final StringBuilder sb = new StringBuilder();
            for (final JsonNode ext : array(parts, "extension")) {
                final String url = Json.text(ext, "url");
                final String v = Json.text(ext, "valueString");
                if (url != null && v != null && url.contains("iso21090-ADXP-")) {
                    sb.append(sb.length() > 0 ? " " : "").append(v.strip());
                }
            }
            if (sb.length() > 0) {
                lines.add(sb.toString());
            }
        }
        String insee = null;
        double lat = Double.NaN;
        double lon = Double.NaN;
        for (final JsonNode ext : array(a, "extension")) {
            final String url = Json.text(ext, "url");
            if (url == null) {
                continue;
            }
            if (url.endsWith("insee-code") || url.endsWith("InseeCode")) {
                final JsonNode coding = ext.get("valueCoding");
                insee = coding != null ? Json.text(coding, "code") : Json.text(ext, "valueString");
            } else if (GEOLOCATION.equals(url)) {
                for (final JsonNode part : array(ext, "extension")) {
                    final JsonNode v = part.get("valueDecimal");
                    if (v != null && v.isNumber()) {
                        if ("latitude".equals(Json.text(part, "url"))) {
                            lat = v.doubleValue();
                        } else if ("longitude".equals(Json.text(part, "url"))) {
                            lon = v.doubleValue();
                        }
                    }
                }
            }
        }
        final String postalCode = Json.text(a, "postalCode");
        final String city = Json.text(a, "city");
        if (lines.isEmpty() && postalCode == null && city == null && insee == null && Double.isNaN(lat)) {
            return null;
        }
        return new Place(new Address(lines, postalCode, city, insee), lat, lon);
    }

    /** "Given Family" of the usual (else official, else first) name, or its {@code text}. */
    private static String name(final JsonNode r) {
        JsonNode chosen = null;
        for (final JsonNode n : array(r, "name")) {
            final String use = Json.text(n, "use");
            if (chosen == null || "usual".equals(use) || "official".equals(use) && !"usual".equals(Json.text(chosen, "use"))) {
                chosen = n;
            }
        }
        if (chosen == null) {
            return null;
        }
        final StringBuilder sb = new StringBuilder();
        for (final JsonNode g : array(chosen, "given")) {
            if (g.isTextual() && !g.asText().isBlank()) {
                sb.append(sb.length() > 0 ? " " : "").append(g.asText().strip());
            }
        }
        final String family = Json.text(chosen, "family");
        if (family != null && !family.isBlank()) {
            sb.append(sb.length() > 0 ? " " : "").append(family.strip());
        }
        if (sb.length() == 0 && Json.text(chosen, "text") != null && !Json.text(chosen, "text").isBlank()) {
            sb.append(Json.text(chosen, "text").strip());
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** The phone of lowest {@code rank} (FHIR: 1 is preferred; no rank comes last) among {@code telecom}. */
    private static String phone(final JsonNode r) {
        String best = null;
        int bestRank = Integer.MAX_VALUE;
        for (final JsonNode t : array(r, "telecom")) {
            final String value = Json.text(t, "value");
            if (!"phone".equals(Json.text(t, "system")) || value == null || value.isBlank()) {
                continue;
            }
            final JsonNode rank = t.get("rank");
            final int k = rank != null && rank.canConvertToInt() && rank.intValue() > 0 ? rank.intValue() : Integer.MAX_VALUE - 1;
            if (best == null || k < bestRank) {
                best = value.strip();
                bestRank = k;
            }
        }
        return best;
    }

    private static String typeCode(final JsonNode identifier) {
        final JsonNode type = identifier.get("type");
        for (final JsonNode c : array(type, "coding")) {
            if (Json.text(c, "code") != null) {
                return Json.text(c, "code");
            }
        }
        return null;
    }

    /** Adds the codes of {@code concept}'s codings whose system names the NOS {@code table}. */
    private static void codes(final JsonNode concept, final String table, final List<String> out) {
        for (final JsonNode c : array(concept, "coding")) {
            final String system = Json.text(c, "system");
            final String code = Json.text(c, "code");
            if (system != null && code != null && system.contains(table)) {
                out.add(code);
            }
        }
    }

    private static String reference(final JsonNode ref) {
        return ref != null && ref.isObject() ? Json.text(ref, "reference") : null;
    }

    /** {@code Type/id} of a relative or absolute reference, without its {@code _history}; {@code #id} as is. */
    static String typeAndId(final String reference) {
        if (reference.startsWith("#")) {
            return reference;
        }
        String r = reference;
        final int history = r.indexOf("/_history/");
        if (history >= 0) {
            r = r.substring(0, history);
        }
        final int last = r.lastIndexOf('/');
        if (last <= 0) {
            return r;
        }
        final int before = r.lastIndexOf('/', last - 1);
        return r.substring(before + 1);
    }

    private static Iterable<JsonNode> array(final JsonNode node, final String field) {
        final JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isArray() ? v : List.of();
    }

    private static JsonNode first(final JsonNode node, final String field) {
        final JsonNode v = node.get(field);
        if (v != null && v.isArray()) {
            return v.size() == 0 ? null : v.get(0);
        }
        return v;
    }

    // ------------------------------------------------------------------ linking

    /** A place positioned by the file, or at its commune (approximate), or {@code null}. */
    private Positioned position(final Place place) {
        if (place == null) {
            return null;
        }
        if (place.positioned()) {
            return new Positioned(place.address(), place.lat(), place.lon(), false);
        }
        final Communes.Commune c = communes.of(place.address());
        return c == null ? null : new Positioned(place.address(), c.lat(), c.lon(), true);
    }

    private record Positioned(Address address, double lat, double lon, boolean approximate) {
    }

    private Map<String, Structure> structures(final Resources resources, final IngestReport.Builder report) {
        final Map<String, Structure> out = new LinkedHashMap<>();
        for (final OrganizationRes o : resources.organizations.values()) {
            if (o.kind() == null || !o.active()) {
                continue;
            }
            report.received(1);
            final String id = Json.clean(o.structureId());
            if (o.name() == null || o.name().isBlank()) {
                report.reject(RejectReason.MISSING_FIELD, id, "structure without a name");
                continue;
            }
            if (o.phone() == null) {
                report.reject(RejectReason.MISSING_FIELD, id, "structure without a phone");
                continue;
            }
            final Positioned at = position(o.place());
            final Territory territory = at == null ? null : Territory.of(at.lat(), at.lon());
            if (territory == null) {
                report.reject(RejectReason.OUTSIDE_FRANCE, id,
                    "structure without a position in France (no geolocation and no known commune)");
                continue;
            }
            if (out.containsKey(id)) {
                report.reject(RejectReason.INVALID_VALUE, id, "two Organizations with the same identifier; the first is kept");
                continue;
            }
            // The national directory holds no opening hours for these: always open, as structures.json without hours.
            out.put(id, new Structure(id, o.kind(), o.name(), o.phone(), at.address(), at.lat(), at.lon(),
                at.approximate(), List.of(), territory));
            report.accepted();
        }
        return out;
    }

    /** A practitioner of the national file with its sites, before the overlay's SAS facts. */
    private static final class Candidate {
        final long key;
        final String id;
        final String name;
        final Profession profession;
        final List<PendingSite> sites;
        final String ownPhone;

        Candidate(final long key, final String id, final String name, final Profession profession,
                  final List<PendingSite> sites, final String ownPhone) {
            this.key = key;
            this.id = id;
            this.name = name;
            this.profession = profession;
            this.sites = sites;
            this.ownPhone = ownPhone;
        }

        Practitioner practitioner(final SasOverlay.Entry sas, final IngestReport.Builder report) {
            final String regulation = sas == null ? null : sas.regulationPhone();
            final List<Site> built = new ArrayList<>(sites.size());
            for (final PendingSite s : sites) {
                // The site's own number, else the practitioner's, else the one reserved for the regulation.
                final String phone = s.phone != null ? s.phone : ownPhone != null ? ownPhone : regulation;
                if (phone == null) {
                    continue;
                }
                built.add(new Site(s.id, s.at.address(), s.at.lat(), s.at.lon(), s.at.approximate(), phone, s.role));
            }
            if (built.isEmpty()) {
                report.reject(RejectReason.MISSING_FIELD, id, "no phone at any place of work, nor in the overlay");
                return null;
            }
            final Site main = built.get(0);
            final Territory territory = Territory.of(main.lat(), main.lon());
            final Participation participation = sas == null ? Participation.NONE : sas.participation();
            final Cpts cpts = sas == null ? null : sas.cpts();
            return new Practitioner(key, name, profession, main.lat(), main.lon(), main.phone(),
                sas == null ? null : sas.vendor(), sas != null && sas.refusesVendorSlots(), participation,
                sas != null && sas.acceptsExtraPatients(), cpts, territory, built,
                sas == null ? null : sas.structure(), regulation,
                sas == null || sas.homeVisitRadiusKm() == null ? Double.NaN : sas.homeVisitRadiusKm());
        }
    }

    private record PendingSite(String id, Positioned at, String phone, String role) {
    }

    private Map<Long, Candidate> candidates(final Resources resources, final IngestReport.Builder report) {
        final Map<String, List<RoleRes>> rolesByPractitioner = new HashMap<>();
        for (final RoleRes role : resources.roles.values()) {
            final String who = resources.resolve(role.practitioner());
            if (who != null && resources.practitioners.containsKey(who)) {
                rolesByPractitioner.computeIfAbsent(who, k -> new ArrayList<>()).add(role);
            } else {
                // A place of work of nobody the file holds: a search without _include, or a page lost.
                report.received(1);
                report.reject(RejectReason.MISSING_FIELD, Json.clean(role.ref()), who == null
                    ? "PractitionerRole without a practitioner reference"
                    : "PractitionerRole of " + Json.quote(who) + ", which is not in the file");
            }
        }
        final Map<Long, Candidate> out = new LinkedHashMap<>();
        for (final PractitionerRes p : resources.practitioners.values()) {
            report.received(1);
            if (p.key() == null) {
                report.reject(RejectReason.INVALID_RPPS, Json.clean(p.ref()), p.keyProblem());
                continue;
            }
            final long key = NationalId.practitioner(p.key()).key();
            final String shown = NationalId.keyText(key);
            if (p.name() == null) {
                report.reject(RejectReason.MISSING_FIELD, shown, "Practitioner without a name");
                continue;
            }
            final List<RoleRes> roles = rolesByPractitioner.getOrDefault(p.ref(), List.of());
            final Profession profession = profession(p, roles);
            if (profession == null) {
                report.reject(RejectReason.OTHER_PROFESSION, shown,
                    "profession " + String.join(",", professions(p, roles)) + " / specialties "
                        + String.join(",", specialties(p, roles)) + " is not routed by the SAS");
                continue;
            }
            final List<PendingSite> sites = new ArrayList<>();
            final List<String> unplaced = new ArrayList<>();
            for (final RoleRes role : roles) {
                if (!role.active() || sites.size() == MAX_SITES) {
                    continue;
                }
                final PendingSite site = site(role, resources);
                if (site == null || Territory.of(site.at().lat(), site.at().lon()) == null) {
                    unplaced.add(typeAndId(role.ref()));
                } else {
                    sites.add(site);
                }
            }
            if (sites.isEmpty()) {
                report.reject(RejectReason.OUTSIDE_FRANCE, shown, roles.isEmpty() ? "no PractitionerRole (place of work)"
                    : "no place of work could be placed in France (no geolocation, no known commune): " + unplaced);
                continue;
            }
            if (out.containsKey(key)) {
                report.reject(RejectReason.DUPLICATE_RPPS, shown,
                    "a second Practitioner " + p.ref() + " with this identifier; the first is kept");
                continue;
            }
            out.put(key, new Candidate(key, shown, p.name(), profession, sites, p.phone()));
        }
        return out;
    }

    /**
     * The site of one place of work: the role's Location (contained or referenced) for the address
     * and position, else its Organization's (or the Location's managing Organization's); the
     * phone is the role's, else the Location's, else the Organization's.
     */
    private PendingSite site(final RoleRes role, final Resources resources) {
        LocationRes location = null;
        for (final String ref : role.locations()) {
            final LocationRes l = ref.startsWith("#") ? role.contained().get(ref)
                : resources.locations.get(resources.resolve(ref));
            if (l != null && l.place() != null) {
                location = l;
                break;
            }
        }
        String orgRef = resources.resolve(role.organization());
        if (orgRef == null && location != null) {
            orgRef = resources.resolve(location.organization());
        }
        final OrganizationRes org = orgRef == null ? null : resources.organizations.get(orgRef);
        final Place place = location != null ? location.place() : org == null ? null : org.place();
        final Positioned at = position(place);
        if (at == null) {
            return null;
        }
        final String phone = role.phone() != null ? role.phone()
            : location != null && location.phone() != null ? location.phone() : org == null ? null : org.phone();
        return new PendingSite(typeAndId(role.ref()).substring("PractitionerRole/".length()), at, phone, mode(role.mode()));
    }

    /** TRE_R23 mode d'exercice, in words. */
    private static String mode(final String code) {
        if (code == null) {
            return null;
        }
        return switch (code) {
            case "L" -> "libéral";
            case "S" -> "salarié";
            case "B" -> "bénévole";
            default -> code;
        };
    }

    private static List<String> professions(final PractitionerRes p, final List<RoleRes> roles) {
        final List<String> out = new ArrayList<>(p.professions());
        roles.forEach(r -> out.addAll(r.professions()));
        return out;
    }

    private static List<String> specialties(final PractitionerRes p, final List<RoleRes> roles) {
        final List<String> out = new ArrayList<>(p.specialties());
        roles.forEach(r -> out.addAll(r.specialties()));
        return out;
    }

    /**
     * TRE_G15 and TRE_R38 to the SAS professions: a médecin (10) with a general-medicine
     * specialty is a GP (a médecin without one is not: the SAS routes to GPs, and the national
     * file lists every specialist); a sage-femme (50) a midwife; an infirmier (60) a nurse. The
     * profession is read from the roles ({@code PractitionerRole.code}, API v1 and the examples)
     * and from {@code Practitioner.qualification} (API v2).
     */
    private static Profession profession(final PractitionerRes p, final List<RoleRes> roles) {
        final List<String> professions = professions(p, roles);
        if (professions.contains(MEDECIN)) {
            for (final String s : specialties(p, roles)) {
                if (GENERAL_MEDICINE.contains(s)) {
                    return Profession.GP;
                }
            }
        }
        if (professions.contains(INFIRMIER)) {
            return Profession.NURSE;
        }
        if (professions.contains(SAGE_FEMME)) {
            return Profession.MIDWIFE;
        }
        return null;
    }
}
