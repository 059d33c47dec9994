package fr.creneau.feed;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import fr.creneau.directory.VendorRegistry;

/**
 * Reads the FHIR R4 {@code searchset} Bundle a booking vendor returns to the SAS slot search
 * ({@code GET [base]/Slot?_include=Slot:schedule&_include:iterate=Schedule:actor&status=free...}),
 * as specified by the ANS implementation guide "Service d'Accès aux Soins" (profiles
 * {@code BundleAgregateur}, {@code FrSlotAgregateur}, {@code FrScheduleAgregateur},
 * {@code FrPractitionerAgregateur}, {@code FrPractitionerRoleExerciceAgregateur}), into the same
 * {@link ParsedFeed} as every other feed format. The mapping is documented in
 * {@code docs/feed-fhir.md}.
 *
 * <p>Only the format is checked here: whether the RPPS is known, the 48h window, local times and
 * overlaps are the validator's business. A problem with one slot becomes a {@link Rejection} and
 * parsing goes on; a problem with the whole input (not JSON, not a searchset Bundle, an
 * {@code OperationOutcome}, no snapshot time) is a {@link FeedFormatException} and nothing is
 * returned.
 *
 * <p>The {@code entry} array is streamed one entry at a time: memory grows with the number of
 * Slots and included resources (a few strings or reference nodes each), not with the size of the
 * JSON text (narratives and specialties are dropped as soon as read; of a role's contained Location only
 * what a site is matched by is kept, see {@link #locationOf}). Entries
 * may come in any order: Slots are buffered and linked to their Schedule and Practitioner once the
 * whole array has been read.
 *
 * <p>Thread-safe: stateless (the shared Jackson setup of {@code Json} is immutable); one instance
 * serves every vendor.
 */
public final class FhirBundleParser {

    /** IDNPS, the national identifier of a health professional: {@code 8} + RPPS or {@code 0} + ADELI. */
    static final String IDNPS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1";
    /** TRE_R314 TypeCreneau: who a slot is shown to ({@code Slot.meta.security}). */
    static final String TYPE_CRENEAU_SYSTEM =
        "https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau";
    /** v3-ActCode: consultation type ({@code Slot.serviceType}). */
    static final String ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    /** v2-0276: with or without an appointment ({@code Slot.appointmentType}). */
    static final String APPOINTMENT_REASON_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0276";

    /** FHIR's {@code id} datatype. */
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private static final String RPPS_PREFIX = "8";
    private static final String ADELI_PREFIX = "0";
    /** {@code 8} followed by the eleven RPPS digits. */
    private static final int IDNPS_RPPS_LENGTH = 12;
    /** An RPPS sent without its {@code 8}. */
    private static final int BARE_RPPS_LENGTH = 11;

    private static boolean allDigits(final String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    public FhirBundleParser() {
        this(IngestConfig.DEFAULTS);
    }

    private final long maxBytes;

    /**
     * @param config only {@link IngestConfig#maxFeedBytes()} is used here: a larger Bundle is a
     *               {@link FeedTooLargeException}
     */
    public FhirBundleParser(final IngestConfig config) {
        this.maxBytes = Objects.requireNonNull(config, "config").maxFeedBytes();
    }

    /**
     * Parses one vendor's searchset Bundle.
     *
     * <p>{@link ParsedFeed#generatedAt()} is {@code Bundle.timestamp}, or {@code Bundle.meta.lastUpdated}
     * when the vendor gives no timestamp. A Bundle with neither is refused: a vendor snapshot
     * replaces the previous one, and without a time it cannot be told apart from an older snapshot
     * delivered late, which would bring back slots booked since. (The guide makes neither field
     * mandatory; a host that fetches the Bundle itself can use
     * {@link #parse(String, String, InputStream, Instant)}.)
     *
     * <p>A Bundle with a {@code next} link is refused too: it is one page of a paged search, and
     * applying it as the vendor's whole snapshot would remove the slots of the other pages.
     *
     * <p>A rejection names the slot by its {@code id}, or by {@code "#i"}, {@code i} being its
     * zero-based position in {@code Bundle.entry}, when it has none.
     *
     * @param label      file name or label of the input, for reports and errors
     * @param vendorName the vendor that produced the Bundle (FHIR carries no vendor identity the
     *                   SAS could trust, so the caller, who knows whom it asked, says it); refused
     *                   with a {@link FeedFormatException} when
     *                   {@link VendorRegistry#nameProblem(String)} finds it padded or with a NUL
     * @param in         the Bundle as JSON; read to the end, not closed
     * @return the slots read and the slots rejected, both in input order
     * @throws FeedFormatException when the input is not a readable searchset Bundle
     */
    public ParsedFeed parse(final String label, final String vendorName, final InputStream in) {
        return parse(label, vendorName, in, null);
    }

    /**
     * Like {@link #parse(String, String, InputStream)}, for a host that sent the search itself: when
     * the Bundle declares no time, {@code requestedAt} becomes {@link ParsedFeed#generatedAt()}.
     *
     * <p>It must be the instant the request was <em>sent</em>, not when the answer arrived: the
     * vendor built the Bundle after that instant, so of two overlapping searches the earlier one
     * gets the earlier time, and its late answer is refused as stale instead of undoing the newer
     * one.
     *
     * @param requestedAt when the host sent the search, or {@code null} to refuse an undated Bundle
     */
    public ParsedFeed parse(final String label, final String vendorName, final InputStream in,
                            final Instant requestedAt) {
        return read(label, vendorName, in, requestedAt, false).feed();
    }

    /**
     * One page of a paged search: its slots, and the URL of the next page ({@code Bundle.link}
     * with relation {@code next}), or {@code null} on the last page.
     */
    public record Page(ParsedFeed feed, String next) {
    }

    /**
     * Like {@link #parse(String, String, InputStream, Instant)}, for a host that follows a paged
     * search itself: a {@code next} link is returned instead of refused. The caller must read
     * every page before applying any of them (a page alone is not the vendor's snapshot of the
     * practitioners asked).
     */
    public Page parsePage(final String label, final String vendorName, final InputStream in,
                          final Instant requestedAt) {
        return read(label, vendorName, in, requestedAt, true);
    }

    /** One Bundle; a {@code next} link is refused unless {@code pageAllowed}. */
    private Page read(final String label, final String vendorName, final InputStream in, final Instant requestedAt,
                      final boolean pageAllowed) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(vendorName, "vendorName");
        Objects.requireNonNull(in, "in");
        final String vendorProblem = VendorRegistry.nameProblem(vendorName);
        if (vendorProblem != null) {
            throw new FeedFormatException(label, "vendor name " + vendorProblem + ": " + Json.quote(vendorName));
        }
        try (JsonParser parser = Json.parser(in, maxBytes, label)) {
            final Reading reading = new Reading(label, vendorName, requestedAt, parser);
            reading.pageAllowed = pageAllowed;
            final ParsedFeed feed = reading.read();
            return new Page(feed, reading.next);
        } catch (final IOException e) {
            throw Json.unreadable(label, e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // One parse: not shared, not thread-safe.

    private static final class Reading {
        private final String label;
        private final String vendor;
        private final Instant requestedAt;
        private final JsonParser parser;

        private String resourceType;
        private JsonNode bundleType;
        private JsonNode timestamp;
        private JsonNode meta;
        private JsonNode links;
        private JsonNode issues;
        /** {@link #parsePage}: a {@code next} link is kept in {@link #next} instead of refused. */
        boolean pageAllowed;
        String next;

        private final List<SlotDraft> drafts = new ArrayList<>();
        /** Times and Schedule references repeat from Slot to Slot: each kept once. */
        private final Json.Canon canon = new Json.Canon();
        /** Included resources by {@code Type/id} (relative references, the usual case). */
        private final Map<String, Included> byTypeAndId = new HashMap<>();
        /** Included resources by {@code fullUrl} (absolute and {@code urn:uuid:} references). */
        private final Map<String, Included> byFullUrl = new HashMap<>();

        Reading(final String label, final String vendor, final Instant requestedAt, final JsonParser parser) {
            this.label = label;
            this.vendor = vendor;
            this.requestedAt = requestedAt;
            this.parser = parser;
        }

        ParsedFeed read() throws IOException {
            final JsonToken first = parser.nextToken();
            if (first == null) {
                throw format("empty input");
            }
            if (first != JsonToken.START_OBJECT) {
                throw format("expected a FHIR resource (a JSON object), got " + first.asString());
            }
            // Fields of the root object come in any order: "entry" may precede "resourceType".
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                final String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "resourceType" -> resourceType = stringValue();
                    case "type" -> bundleType = parser.readValueAsTree();
                    case "timestamp" -> timestamp = parser.readValueAsTree();
                    case "meta" -> meta = parser.readValueAsTree();
                    case "link" -> links = parser.readValueAsTree();
                    case "issue" -> issues = parser.readValueAsTree();
                    case "entry" -> readEntries();
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw format("unexpected content after the end of the resource");
            }
            checkIsSearchset();
            final Instant generatedAt = generatedAt();
            return link(generatedAt);
        }

        /** The current value if it is a string; anything else is skipped and read as absent. */
        private String stringValue() throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                return parser.getText();
            }
            parser.skipChildren();
            return null;
        }

        private void readEntries() throws IOException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw format("Bundle.entry is not an array");
            }
            if (resourceType != null && !"Bundle".equals(resourceType)) {
                // Reported as "not a Bundle" once the root object is read; no need to look inside.
                parser.skipChildren();
                return;
            }
            int index = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token != JsonToken.START_OBJECT) {
                    throw format("Bundle.entry[" + index + "] is not an object");
                }
                final JsonNode entry = parser.readValueAsTree();
                readEntry(entry, index);
                index++;
            }
        }

        private void readEntry(final JsonNode entry, final int index) {
            final JsonNode resource = entry.get("resource");
            if (resource == null || !resource.isObject()) {
                return;
            }
            final String type = text(resource, "resourceType");
            if (type == null) {
                return;
            }
            switch (type) {
                case "Slot" -> drafts.add(readSlot(resource, index));
                case "Schedule" -> include(type, resource, entry, new Schedule(type + "/" + text(resource, "id"),
                    resource.path("actor")));
                case "Practitioner" -> include(type, resource, entry, readPractitioner(resource));
                case "PractitionerRole" -> include(type, resource, entry, new Role(resource.get("practitioner"),
                    locationOf(resource)));
                // Locations are contained in the PractitionerRole (read with it), HealthcareService and
                // Organization describe CPTS, OperationOutcome entries carry warnings: none of
                // them changes a slot.
                default -> {
                }
            }
        }

        /** Registers a resource a reference may name; of two with the same key, the first is kept. */
        private void include(final String type, final JsonNode resource, final JsonNode entry, final Included r) {
            final String id = text(resource, "id");
            if (id != null) {
                byTypeAndId.putIfAbsent(type + "/" + id, r);
            }
            final String fullUrl = text(entry, "fullUrl");
            if (fullUrl != null) {
                byFullUrl.putIfAbsent(fullUrl, r);
            }
        }

        // ---- Slot ----------------------------------------------------------------------------

        private SlotDraft readSlot(final JsonNode slot, final int index) {
            final String id = text(slot, "id");
            if (id == null || id.isBlank()) {
                return SlotDraft.rejected(new Rejection(RejectReason.MISSING_FIELD, "#" + index,
                    "Bundle.entry[" + index + "]: Slot.id is missing"));
            }
            if (!FHIR_ID.matcher(id).matches()) {
                return SlotDraft.rejected(new Rejection(RejectReason.INVALID_VALUE, "#" + index,
                    "Bundle.entry[" + index + "]: Slot.id is not a FHIR id (1 to 64 of A-Z a-z 0-9 - .): "
                        + Json.quote(id)));
            }
            final JsonNode start = slot.get("start");
            final JsonNode end = slot.get("end");
            final JsonNode schedule = slot.path("schedule").get("reference");
            final Rejection timeProblem = timeProblem(id, "start", start);
            if (timeProblem != null) {
                return SlotDraft.rejected(timeProblem);
            }
            final Rejection endProblem = timeProblem(id, "end", end);
            if (endProblem != null) {
                return SlotDraft.rejected(endProblem);
            }
            if (schedule == null || !schedule.isTextual() || schedule.asText().isBlank()) {
                return SlotDraft.rejected(new Rejection(RejectReason.MISSING_FIELD, id,
                    "Slot.schedule.reference is missing: the slot cannot be tied to a practitioner"));
            }
            final Coded<Visibility> visibility = visibility(id, slot.path("meta").get("security"));
            if (visibility.problem != null) {
                return SlotDraft.rejected(visibility.problem);
            }
            final Coded<Integer> modalities = modalities(id, slot.get("serviceType"));
            if (modalities.problem != null) {
                return SlotDraft.rejected(modalities.problem);
            }
            final String status = text(slot, "status");
            if (status == null) {
                return SlotDraft.rejected(new Rejection(RejectReason.MISSING_FIELD, id, "Slot.status is missing"));
            }
            final boolean bookable = "free".equals(status) && !isWalkIn(slot.get("appointmentType"));
            final String comment = text(slot, "comment");
            final String bookingUrl = comment == null || comment.isBlank() ? null : comment.trim();
            return new SlotDraft(id, canon.of(schedule.asText()), canon.of(start.asText()), canon.of(end.asText()),
                modalities.value,
                visibility.value, bookable, bookingUrl, null);
        }

        private static Rejection timeProblem(final String id, final String field, final JsonNode value) {
            if (value == null || value.isNull()) {
                return new Rejection(RejectReason.MISSING_FIELD, id, "Slot." + field + " is missing");
            }
            if (!value.isTextual()) {
                return new Rejection(RejectReason.INVALID_VALUE, id,
                    "Slot." + field + " is not a date-time string: " + Json.quote(value.toString()));
            }
            // A FHIR instant SHALL have a zone offset; a local time would otherwise be read in the
            // practitioner's zone by the validator, as only the native format allows.
            try {
                OffsetDateTime.parse(value.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            } catch (final DateTimeParseException e) {
                return new Rejection(RejectReason.MALFORMED_TIME, id, "Slot." + field
                    + " is not a FHIR instant (a date-time with a zone offset or Z): " + Json.quote(value.asText()));
            }
            return null;
        }

        /**
         * TRE_R314 labels to a {@link Visibility}. A slot may carry several labels, each opening
         * it to one more audience, so the widest audience wins (PUBLIC + CPTS is shown to anyone,
         * hence to the SAS).
         *
         * <p>SNP means "accessible by the SAS regulators and OSNP" (IG, Nomenclatures, type de
         * créneau): a slot set aside for the SAS itself. It maps to {@link Visibility#PROFESSIONAL},
         * the model's only audience that is visible to the SAS without being the general public,
         * so it is shown to the regulator and never offered as a public slot. CPTS (visible to a
         * CPTS structure) maps to {@link Visibility#STRUCTURE}, never shown. TRE_R314 has no
         * patient-list code: the guide asks vendors not to send those slots at all, so
         * {@link Visibility#PATIENTELE} never comes out of this parser.
         *
         * <p>An unknown code or system is rejected rather than ignored: an unread label could be
         * the one restricting the slot.
         */
        private static Coded<Visibility> visibility(final String id, final JsonNode security) {
            if (security == null || !security.isArray() || security.isEmpty()) {
                return Coded.problem(new Rejection(RejectReason.MISSING_FIELD, id,
                    "Slot.meta.security is missing: no slot type (TRE_R314 PUBLIC, PRO, SNP or CPTS)"));
            }
            Visibility widest = null;
            for (final JsonNode coding : security) {
                final String system = text(coding, "system");
                final String code = text(coding, "code");
                final Visibility v = TYPE_CRENEAU_SYSTEM.equals(system) ? visibilityOf(code) : null;
                if (v == null) {
                    return Coded.problem(new Rejection(RejectReason.INVALID_VALUE, id,
                        "unknown slot type in Slot.meta.security: " + system + "|" + code
                            + " (expected " + TYPE_CRENEAU_SYSTEM + " PUBLIC, PRO, SNP or CPTS)"));
                }
                if (widest == null || audienceRank(v) > audienceRank(widest)) {
                    widest = v;
                }
            }
            return Coded.of(widest);
        }

        private static Visibility visibilityOf(final String code) {
            if (code == null) {
                return null;
            }
            return switch (code) {
                case "PUBLIC" -> Visibility.PUBLIC;
                case "PRO", "SNP" -> Visibility.PROFESSIONAL;
                case "CPTS" -> Visibility.STRUCTURE;
                default -> null;
            };
        }

        private static int audienceRank(final Visibility v) {
            return switch (v) {
                case PUBLIC -> 3;
                case PROFESSIONAL -> 2;
                case STRUCTURE -> 1;
                case PATIENTELE -> 0;
            };
        }

        /**
         * v3-ActCode codings of {@code serviceType} to a modality set. Concepts in other systems
         * are not consultation types and are skipped: free-text motives ({@code text} only) and
         * the CPTS care-type (TRE_R66 {@code 604} with its HealthcareService extension).
         */
        private static Coded<Integer> modalities(final String id, final JsonNode serviceTypes) {
            if (serviceTypes == null || !serviceTypes.isArray() || serviceTypes.isEmpty()) {
                return Coded.problem(new Rejection(RejectReason.INVALID_VALUE, id,
                    "Slot.serviceType is missing: no consultation type (v3-ActCode AMB, HH or VR)"));
            }
            int bits = 0;
            final List<String> seen = new ArrayList<>();
            for (final JsonNode concept : serviceTypes) {
                for (final JsonNode coding : concept.path("coding")) {
                    final String system = text(coding, "system");
                    final String code = text(coding, "code");
                    seen.add(system + "|" + code);
                    if (!ACT_CODE_SYSTEM.equals(system)) {
                        continue;
                    }
                    final Modality m = modalityOf(code);
                    if (m == null) {
                        return Coded.problem(new Rejection(RejectReason.INVALID_VALUE, id,
                            "unknown consultation type in Slot.serviceType: v3-ActCode " + code
                                + " (expected AMB, HH or VR)"));
                    }
                    bits |= m.bit();
                }
            }
            if (bits == 0) {
                return Coded.problem(new Rejection(RejectReason.INVALID_VALUE, id,
                    "no consultation type in Slot.serviceType (expected " + ACT_CODE_SYSTEM
                        + " AMB, HH or VR), codings: " + seen));
            }
            return Coded.of(bits);
        }

        private static Modality modalityOf(final String code) {
            if (code == null) {
                return null;
            }
            return switch (code) {
                case "AMB" -> Modality.OFFICE;
                case "HH" -> Modality.HOME_VISIT;
                case "VR" -> Modality.TELECONSULTATION;
                default -> null;
            };
        }

        /**
         * {@code true} when {@code appointmentType} says WALKIN (no appointment can be taken).
         * Other codes (ROUTINE, and the rest of v2-0276, which the guide's "preferred" binding
         * allows) and an absent type leave the slot bookable. WALKIN without a system counts too:
         * misreading a walk-in as bookable sends a patient to a booking that does not exist.
         */
        private static boolean isWalkIn(final JsonNode appointmentType) {
            if (appointmentType == null) {
                return false;
            }
            // R4 has one CodeableConcept; tolerate the array some FSH-generated examples show.
            final Iterable<JsonNode> concepts = appointmentType.isArray() ? appointmentType : List.of(appointmentType);
            for (final JsonNode concept : concepts) {
                for (final JsonNode coding : concept.path("coding")) {
                    final String system = text(coding, "system");
                    if ("WALKIN".equals(text(coding, "code"))
                        && (system == null || APPOINTMENT_REASON_SYSTEM.equals(system))) {
                        return true;
                    }
                }
            }
            return false;
        }

        // ---- Practitioner --------------------------------------------------------------------

        private static Who readPractitioner(final JsonNode practitioner) {
            final String ref = "Practitioner/" + text(practitioner, "id");
            final JsonNode identifiers = practitioner.get("identifier");
            if (identifiers == null || !identifiers.isArray() || identifiers.isEmpty()) {
                return Who.problem(RejectReason.INVALID_RPPS,
                    ref + " has no identifier (expected IDNPS, system " + IDNPS_SYSTEM + ")");
            }
            final Set<String> idnps = new LinkedHashSet<>();
            final Set<String> otherSystems = new LinkedHashSet<>();
            for (final JsonNode identifier : identifiers) {
                final String system = text(identifier, "system");
                if (IDNPS_SYSTEM.equals(system)) {
                    idnps.add(text(identifier, "value"));
                } else {
                    otherSystems.add(String.valueOf(system));
                }
            }
            if (idnps.isEmpty()) {
                return Who.problem(RejectReason.INVALID_RPPS, ref + " has no IDNPS identifier (system "
                    + IDNPS_SYSTEM + "), only unknown identifier systems " + otherSystems);
            }
            if (idnps.size() > 1) {
                return Who.problem(RejectReason.INVALID_RPPS, ref + " has several IDNPS identifiers " + idnps);
            }
            return fromIdnps(ref, idnps.iterator().next());
        }

        /**
         * {@code 8} + RPPS to the RPPS; digits and Luhn key are the validator's to check. The guide
         * wants the prefix in answers, but its FAQ names a missing prefix as the commonest vendor
         * error: eleven digits alone are read as a bare RPPS (an ADELI is nine digits, ten with
         * its {@code 0}, so the two cannot be confused; the validator's Luhn check still applies).
         */
        private static Who fromIdnps(final String where, final String idnps) {
            if (idnps == null || idnps.isBlank()) {
                return Who.problem(RejectReason.INVALID_RPPS, where + ": IDNPS identifier has no value");
            }
            if (idnps.length() == BARE_RPPS_LENGTH && allDigits(idnps)) {
                return Who.of(idnps);
            }
            if (idnps.startsWith(ADELI_PREFIX)) {
                return Who.problem(RejectReason.INVALID_RPPS, where + ": IDNPS " + Json.quote(idnps)
                    + " is an ADELI number (prefix 0), not an RPPS");
            }
            if (!idnps.startsWith(RPPS_PREFIX) || idnps.length() != IDNPS_RPPS_LENGTH) {
                return Who.problem(RejectReason.INVALID_RPPS, where + ": IDNPS " + Json.quote(idnps)
                    + " is not '8' followed by the 11-digit RPPS");
            }
            return Who.of(idnps.substring(RPPS_PREFIX.length()));
        }

        // ---- Linking -------------------------------------------------------------------------

        private ParsedFeed link(final Instant generatedAt) {
            final List<RawSlot> slots = new ArrayList<>(drafts.size());
            final List<Rejection> rejected = new ArrayList<>();
            for (final SlotDraft d : drafts) {
                if (d.problem != null) {
                    rejected.add(d.problem);
                    continue;
                }
                final Included target = resolve(d.scheduleRef);
                if (!(target instanceof Schedule)) {
                    rejected.add(new Rejection(RejectReason.MISSING_FIELD, d.id, "Slot.schedule " + Json.quote(d.scheduleRef)
                        + " is not a Schedule in the bundle: the slot cannot be tied to a practitioner"));
                    continue;
                }
                final Who who = practitionerOf((Schedule) target);
                if (who.problem != null) {
                    rejected.add(new Rejection(who.problem, d.id, who.detail));
                    continue;
                }
                slots.add(new RawSlot(d.id, who.rpps, d.start, d.end, d.modalities, d.visibility, d.bookable,
                    d.bookingUrl, null, placeOf((Schedule) target)));
            }
            return new ParsedFeed(label, vendor, generatedAt, slots, rejected);
        }

        /**
         * Where a Schedule's slots are: the Location contained in its PractitionerRole actor (the
         * guide: one Schedule per PractitionerRole, i.e. per place of work), or {@code null}.
         */
        private RawSlot.Place placeOf(final Schedule schedule) {
            if (!schedule.placeResolved) {
                for (final JsonNode actor : schedule.actors) {
                    final String ref = actor != null && actor.isObject() ? text(actor, "reference") : null;
                    final Included target = ref == null ? null : resolve(ref);
                    if (target instanceof Role && ((Role) target).place != null) {
                        schedule.place = ((Role) target).place;
                        break;
                    }
                }
                schedule.placeResolved = true;
            }
            return schedule.place;
        }

        /**
         * The one practitioner behind a Schedule's actors, directly or through a PractitionerRole.
         * Computed once per Schedule: thousands of slots share one.
         */
        private Who practitionerOf(final Schedule schedule) {
            if (schedule.who != null) {
                return schedule.who;
            }
            // The same practitioner is usually named twice (directly and through the role): same
            // RPPS, or for a practitioner without one, the same included resource.
            final Set<String> rpps = new LinkedHashSet<>();
            final List<Who> problems = new ArrayList<>();
            final Set<String> missing = new LinkedHashSet<>();
            for (final JsonNode actor : schedule.actors) {
                final Who who = practitionerOfReference(actor, true, missing);
                if (who == null) {
                    continue;
                }
                if (who.problem == null) {
                    rpps.add(who.rpps);
                } else if (problems.stream().noneMatch(p -> p == who)) {
                    problems.add(who);
                }
            }
            final Who result;
            if (rpps.size() + problems.size() > 1) {
                final List<String> whom = new ArrayList<>(rpps);
                problems.forEach(p -> whom.add(p.detail));
                result = Who.problem(RejectReason.INVALID_VALUE,
                    schedule.ref + " has actors of several practitioners: " + whom);
            } else if (rpps.size() == 1) {
                result = Who.of(rpps.iterator().next());
            } else if (problems.size() == 1) {
                result = problems.get(0);
            } else if (!missing.isEmpty()) {
                result = Who.problem(RejectReason.MISSING_FIELD,
                    schedule.ref + ": actor " + missing + " not in the bundle (_include:iterate=Schedule:actor)");
            } else {
                result = Who.problem(RejectReason.MISSING_FIELD,
                    schedule.ref + " has no Practitioner or PractitionerRole actor");
            }
            schedule.who = result;
            return result;
        }

        /**
         * The practitioner a Reference designates, or {@code null} when it designates something
         * else (a Location, a device). A reference that resolves to nothing is added to
         * {@code missing}. A PractitionerRole is followed one level only, so that roles pointing
         * at each other cannot loop.
         */
        private Who practitionerOfReference(final JsonNode reference, final boolean followRole,
                                            final Set<String> missing) {
            if (reference == null || !reference.isObject()) {
                return null;
            }
            final String ref = text(reference, "reference");
            if (ref == null) {
                // A logical reference: {"identifier": {"system": IDNPS, "value": "8..."}}.
                final JsonNode identifier = reference.get("identifier");
                if (identifier != null && IDNPS_SYSTEM.equals(text(identifier, "system"))) {
                    return fromIdnps("logical reference", text(identifier, "value"));
                }
                return null;
            }
            final Included target = resolve(ref);
            if (target instanceof Who) {
                return (Who) target;
            }
            if (target instanceof Role && followRole) {
                return practitionerOfReference(((Role) target).practitioner, false, missing);
            }
            if (target == null && (isReferenceTo(ref, "Practitioner") || isReferenceTo(ref, "PractitionerRole"))) {
                missing.add(ref);
            }
            return null;
        }

        /**
         * Resolves a reference the way FHIR does within a Bundle: first by {@code fullUrl}
         * (absolute URLs and {@code urn:uuid:}), then by {@code Type/id} (relative references,
         * and absolute ones from the same server). A version suffix ({@code /_history/n}) is
         * ignored: a searchset holds one version of each resource.
         */
        private Included resolve(final String reference) {
            final Included byUrl = byFullUrl.get(reference);
            if (byUrl != null) {
                return byUrl;
            }
            final String typeAndId = typeAndId(reference);
            return typeAndId == null ? null : byTypeAndId.get(typeAndId);
        }

        private static String typeAndId(final String reference) {
            String ref = reference;
            final int history = ref.indexOf("/_history/");
            if (history >= 0) {
                ref = ref.substring(0, history);
            }
            final int lastSlash = ref.lastIndexOf('/');
            if (lastSlash <= 0 || lastSlash == ref.length() - 1) {
                return null;
            }
            final int typeStart = ref.lastIndexOf('/', lastSlash - 1) + 1;
            return ref.substring(typeStart);
        }

        private static boolean isReferenceTo(final String reference, final String type) {
            final String typeAndId = typeAndId(reference);
            return typeAndId != null && typeAndId.startsWith(type + "/");
        }

        // ---- Bundle level --------------------------------------------------------------------

        private void checkIsSearchset() {
            if (resourceType == null) {
                throw format("no resourceType: not a FHIR resource");
            }
            if ("OperationOutcome".equals(resourceType)) {
                throw format("the vendor answered an OperationOutcome instead of a Bundle: " + diagnostics());
            }
            if (!"Bundle".equals(resourceType)) {
                throw format("expected a Bundle, got a " + resourceType);
            }
            final String type = bundleType != null && bundleType.isTextual() ? bundleType.asText() : null;
            if (!"searchset".equals(type)) {
                throw format("Bundle.type is " + (type == null ? "missing" : Json.quote(type))
                    + ", expected 'searchset'");
            }
            if (links != null) {
                for (final JsonNode link : links) {
                    if ("next".equals(text(link, "relation"))) {
                        if (pageAllowed) {
                            next = text(link, "url");
                            if (next == null || next.isBlank()) {
                                throw format("Bundle link 'next' has no url");
                            }
                            continue;
                        }
                        throw format("Bundle is one page of a paged search (link 'next': " + text(link, "url")
                            + "); applying it as the whole snapshot would drop the other pages' slots");
                    }
                }
            }
        }

        private String diagnostics() {
            if (issues == null || !issues.isArray() || issues.isEmpty()) {
                return "(no issue)";
            }
            final List<String> lines = new ArrayList<>();
            for (final JsonNode issue : issues) {
                final StringBuilder sb = new StringBuilder();
                sb.append(text(issue, "severity")).append('/').append(text(issue, "code"));
                final String diagnostics = text(issue, "diagnostics");
                final String details = text(issue.path("details"), "text");
                if (details != null) {
                    sb.append(' ').append(details);
                }
                if (diagnostics != null) {
                    sb.append(' ').append(diagnostics);
                }
                lines.add(sb.toString());
            }
            return String.join("; ", lines);
        }

        private Instant generatedAt() {
            if (timestamp != null && !timestamp.isNull()) {
                return instant("Bundle.timestamp", timestamp);
            }
            final JsonNode lastUpdated = meta == null ? null : meta.get("lastUpdated");
            if (lastUpdated != null && !lastUpdated.isNull()) {
                return instant("Bundle.meta.lastUpdated", lastUpdated);
            }
            if (requestedAt != null) {
                return requestedAt;
            }
            throw format("neither Bundle.timestamp nor Bundle.meta.lastUpdated is set: without a snapshot time"
                + " an older snapshot delivered late could not be refused");
        }

        private Instant instant(final String field, final JsonNode value) {
            if (value.isTextual()) {
                try {
                    // FHIR instant: always with a zone offset or Z.
                    return OffsetDateTime.parse(value.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
                } catch (final DateTimeParseException e) {
                    // fall through to the common message
                }
            }
            throw format(field + " is not a FHIR instant with an offset: " + value);
        }

        private FeedFormatException format(final String message) {
            return new FeedFormatException(label, message);
        }
    }

    // ------------------------------------------------------------------------------------------

    /** Text of a string field, or {@code null} when absent or not a string. */
    private static String text(final JsonNode node, final String field) {
        final JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /**
     * The Location a PractitionerRole names ({@code location}, a reference {@code #id} to one of its
     * {@code contained} resources; without it, its only contained Location), or {@code null}. What a
     * site can be matched by is kept: identifier values and id, {@code position}, the first
     * address line, postal code and INSEE code (an address extension whose URL names it). A
     * malformed part is left out rather than rejecting the slot: the validator decides whether
     * what is left matches a site.
     */
    static RawSlot.Place locationOf(final JsonNode role) {
        final JsonNode contained = role.get("contained");
        if (contained == null || !contained.isArray()) {
            return null;
        }
        String wanted = null;
        final JsonNode location = role.get("location");
        final JsonNode first = location != null && location.isArray() ? location.get(0) : location;
        if (first != null && first.isObject()) {
            final String ref = text(first, "reference");
            if (ref != null && ref.startsWith("#")) {
                wanted = ref.substring(1);
            }
        }
        JsonNode found = null;
        int locations = 0;
        for (final JsonNode r : contained) {
            if (!"Location".equals(text(r, "resourceType"))) {
                continue;
            }
            locations++;
            if (wanted != null ? wanted.equals(text(r, "id")) : locations == 1) {
                found = r;
            }
        }
        if (found == null || (wanted == null && locations > 1)) {
            return null;
        }
        final List<String> ids = new ArrayList<>();
        final JsonNode identifiers = found.get("identifier");
        if (identifiers != null && identifiers.isArray()) {
            for (final JsonNode identifier : identifiers) {
                final String value = text(identifier, "value");
                if (value != null && !value.isBlank()) {
                    ids.add(value);
                }
            }
        }
        final String id = text(found, "id");
        if (id != null) {
            ids.add(id);
        }
        double lat = Double.NaN;
        double lon = Double.NaN;
        final JsonNode position = found.get("position");
        if (position != null && position.path("latitude").isNumber() && position.path("longitude").isNumber()) {
            lat = position.get("latitude").doubleValue();
            lon = position.get("longitude").doubleValue();
        }
        String line = null;
        String postalCode = null;
        String insee = null;
        final JsonNode address = found.get("address");
        if (address != null && address.isObject()) {
            final JsonNode lines = address.get("line");
            if (lines != null && lines.isArray() && lines.size() > 0 && lines.get(0).isTextual()) {
                line = lines.get(0).asText();
            } else if (lines != null && lines.isTextual()) {
                line = lines.asText();
            }
            postalCode = text(address, "postalCode");
            final JsonNode extensions = address.get("extension");
            if (extensions != null && extensions.isArray()) {
                for (final JsonNode e : extensions) {
                    final String url = text(e, "url");
                    if (url != null && url.toLowerCase(java.util.Locale.ROOT).contains("insee")) {
                        insee = text(e, "valueString");
                    }
                }
            }
        }
        final RawSlot.Place place = new RawSlot.Place(ids, lat, lon, postalCode, line, insee);
        return place.empty() ? null : place;
    }

    /** A resource other than a Slot that a reference may designate. */
    private interface Included {
    }

    private static final class Schedule implements Included {
        final String ref;
        final JsonNode actors;
        /** Resolved on first use. */
        Who who;
        /** The contained Location of its role, resolved on first use ({@code placeResolved}). */
        RawSlot.Place place;
        boolean placeResolved;

        Schedule(final String ref, final JsonNode actors) {
            this.ref = ref;
            this.actors = actors;
        }
    }

    private static final class Role implements Included {
        final JsonNode practitioner;
        /** Its contained Location, or {@code null}. */
        final RawSlot.Place place;

        Role(final JsonNode practitioner, final RawSlot.Place place) {
            this.practitioner = practitioner;
            this.place = place;
        }
    }

    /** A practitioner's RPPS, or why there is none. Doubles as the included Practitioner. */
    private static final class Who implements Included {
        final String rpps;
        final RejectReason problem;
        final String detail;

        private Who(final String rpps, final RejectReason problem, final String detail) {
            this.rpps = rpps;
            this.problem = problem;
            this.detail = detail;
        }

        static Who of(final String rpps) {
            return new Who(rpps, null, null);
        }

        static Who problem(final RejectReason reason, final String detail) {
            return new Who(null, reason, detail);
        }
    }

    /** A decoded value or the rejection explaining why it could not be decoded. */
    private static final class Coded<T> {
        final T value;
        final Rejection problem;

        private Coded(final T value, final Rejection problem) {
            this.value = value;
            this.problem = problem;
        }

        static <T> Coded<T> of(final T value) {
            return new Coded<>(value, null);
        }

        static <T> Coded<T> problem(final Rejection problem) {
            return new Coded<>(null, problem);
        }
    }

    /** A Slot as read, before its Schedule is known to exist: the entry order may put it first. */
    private record SlotDraft(String id, String scheduleRef, String start, String end, int modalities,
                             Visibility visibility, boolean bookable, String bookingUrl, Rejection problem) {
        static SlotDraft rejected(final Rejection problem) {
            return new SlotDraft(null, null, null, null, 0, null, false, null, problem);
        }
    }
}
