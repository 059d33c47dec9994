package fr.creneau.examples.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.Modality;
import fr.creneau.feed.NativeFeedParser;
import fr.creneau.feed.ParsedFeed;
import fr.creneau.feed.RawSlot;
import fr.creneau.feed.Visibility;

/**
 * A vendor's FHIR server as the ANS guide specifies its slot search (flux INT_R01), serving one
 * vendor's slots of a data set on 127.0.0.1, so that the live pull can be seen end to end and
 * tested against a real server. Built on the JDK's {@code com.sun.net.httpserver} (HAPI FHIR's
 * plain server resolves from Maven Central, but is a servlet needing a container and the R4
 * structures, tens of MB, for one search).
 *
 * <p>{@code GET [base]/Slot} must carry the guide's parameters, else 400 with an OperationOutcome:
 * {@code _include=Slot:schedule}, {@code _include:iterate=Schedule:actor}, {@code start=ge…} and
 * {@code start=le…}, {@code schedule.actor:Practitioner.identifier=urn:oid:1.2.250.1.71.4.2.1|…}
 * (1 to 25, prefixed {@code 8} or not: the guide asks vendors to accept both) and
 * {@code status=free}. The answer is a searchset Bundle of Slot, Schedule and Practitioner,
 * identifiers prefixed (or not, {@link Options#unprefixed}), paged by {@link Options#pageSize}
 * with {@code next} links; {@link Options#delayMs} delays every answer and
 * {@link Options#failRate} answers that share of requests 500 with an OperationOutcome.
 *
 * <p>The CPTS variant (the same search with {@code _include=Slot:service-type-reference&_include:iterate=HealthcareService:organization})
 * adds a HealthcareService and its Organization; {@code GET [base]/Schedule} serves the SOS
 * Médecins variant for the associations of {@link Options#sos} (by SIRET, {@code _revinclude=Slot:schedule}).
 * END_TO_END vendors put the practitioner's agenda ({@code [root]/agenda/RPPS}, a page served
 * here) in {@code Slot.comment}, the guide's deep link; {@link #take} books a slot away, as
 * another channel would, so that the check at hold has something to find.
 *
 * <p>Thread-safe: the slots are read once; requests are served on a pool, one thread each.
 */
public final class VendorSimulator implements AutoCloseable {
    static final String IDNPS = "urn:oid:1.2.250.1.71.4.2.1";
    /** IDNST: structures, SIRET prefixed with {@code 3}. */
    static final String IDNST = "urn:oid:1.2.250.1.71.4.2.2";
    private static final String TYPE_CRENEAU = "https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau";
    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static final String APPOINTMENT_REASON = "http://terminology.hl7.org/CodeSystem/v2-0276";
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final JsonFactory JSON = new JsonFactory();

    /** Behaviour knobs; mutable between requests (tests turn a failing vendor healthy again). */
    public static final class Options {
        public volatile long delayMs;
        public volatile double failRate;
        public volatile boolean unprefixed;
        /** Slots per page; 0: one page. */
        public volatile int pageSize;
        /**
         * The SOS Médecins associations this vendor serves (SIRET to their slots), for the guide's
         * Schedule search by SIRET ({@code GET [base]/Schedule?_revinclude=Slot:schedule&...}).
         */
        public volatile Map<String, List<RawSlot>> sos = Map.of();
    }

    private final String vendor;
    /** RPPS to that practitioner's slots, sorted by start; {@link #take} removes one while serving. */
    private final Map<Long, List<RawSlot>> slots;
    /** END_TO_END vendors put the practitioner's agenda in {@code Slot.comment} (the deep link). */
    private final boolean agendaLinks;
    private final Map<Long, String> names;
    private final Options options;
    private final HttpServer server;
    private final ExecutorService pool;
    private final AtomicLong requests = new AtomicLong();
    private final String base;

    /**
     * @param ssl      {@code null} for plain http; else https requiring a client certificate
     *                 trusted by the context (mutual TLS, as vendors require)
     */
    public VendorSimulator(final String vendor, final Map<Long, List<RawSlot>> slots, final Map<Long, String> names,
                           final int port, final SSLContext ssl, final Options options) throws IOException {
        this.vendor = vendor;
        final Map<Long, List<RawSlot>> copy = new java.util.concurrent.ConcurrentSkipListMap<>();
        slots.forEach((rpps, list) -> copy.put(rpps, new java.util.concurrent.CopyOnWriteArrayList<>(list)));
        this.slots = copy;
        final fr.creneau.directory.Vendor known = VendorRegistry.defaults().find(vendor);
        this.agendaLinks = known != null && known.integration() == fr.creneau.directory.Integration.END_TO_END;
        this.names = names;
        this.options = options;
        final InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (ssl == null) {
            server = HttpServer.create(at, 64);
        } else {
            final HttpsServer https = HttpsServer.create(at, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(ssl) {
                @Override
                public void configure(final HttpsParameters params) {
                    final SSLParameters p = ssl.getDefaultSSLParameters();
                    p.setNeedClientAuth(true);
                    params.setSSLParameters(p);
                }
            });
            server = https;
        }
        pool = Executors.newFixedThreadPool(32, r -> {
            final Thread t = new Thread(r, "vendor-sim-" + vendor);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/fhir/Slot", this::handle);
        server.createContext("/fhir/Schedule", this::handleSos);
        server.createContext("/agenda/", this::agenda);
        server.start();
        base = (ssl == null ? "http" : "https") + "://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    /** One vendor's slots and names from a data directory ({@code practitioners.json}, {@code feeds/*.json}). */
    public static VendorSimulator fromDataSet(final Path data, final String vendor, final int port, final SSLContext ssl,
                                              final Options options) throws IOException {
        final String code = VendorRegistry.code(vendor);
        final Map<Long, String> names = new LinkedHashMap<>();
        final JsonNode directory = new ObjectMapper().readTree(data.resolve("practitioners.json").toFile());
        for (final JsonNode p : directory) {
            final String v = p.path("vendor").asText(null);
            if (v != null && code.equals(VendorRegistry.code(v))) {
                names.put(Long.parseLong(p.path("rpps").asText()), p.path("name").asText());
            }
        }
        final Map<Long, List<RawSlot>> slots = new TreeMap<>();
        final NativeFeedParser parser = new NativeFeedParser();
        final java.io.File[] files = data.resolve("feeds").toFile().listFiles((d, n) -> n.endsWith(".json"));
        if (files != null) {
            for (final java.io.File f : files) {
                final ParsedFeed feed;
                try {
                    feed = parser.parseVendorFeed(f.toPath());
                } catch (final RuntimeException e) {
                    continue; // not this simulator's business: the data set's own checks report it
                }
                if (!code.equals(VendorRegistry.code(feed.vendor()))) {
                    continue;
                }
                for (final RawSlot s : feed.slots()) {
                    try {
                        slots.computeIfAbsent(Long.parseLong(s.rpps()), k -> new ArrayList<>()).add(s);
                    } catch (final NumberFormatException e) {
                        // a bad RPPS is the data set's problem; such a slot is not served
                    }
                }
            }
        }
        return new VendorSimulator(vendor, slots, names, port, ssl, options);
    }

    /**
     * Takes a slot as another channel would (booked on the vendor's own site): it is no longer
     * served. {@code true} when that practitioner had a slot starting then.
     */
    public boolean take(final long rpps, final java.time.Instant start) {
        final List<RawSlot> list = slots.get(rpps);
        if (list == null) {
            return false;
        }
        return list.removeIf(s -> {
            try {
                return OffsetDateTime.parse(s.start()).toInstant().equals(start);
            } catch (final DateTimeParseException e) {
                return false;
            }
        });
    }

    /** The deep link this simulator gives a practitioner's slots (END_TO_END vendors), or {@code null}. */
    public String agendaUrl(final long rpps) {
        return agendaLinks ? base.substring(0, base.length() - "/fhir".length()) + "/agenda/"
            + fr.creneau.directory.Rpps.format(rpps) : null;
    }

    /** The practitioner's agenda page the deep link leads to (a stand-in for the vendor's booking page). */
    private void agenda(final HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        final byte[] page = ("<!doctype html><title>" + vendor + " (simulated)</title><p>Agenda "
            + ex.getRequestURI().getPath().replaceAll("[^0-9/a-z]", "") + " at " + vendor
            + " (simulated): book here, then the vendor reports the Appointment (INT_R03).</p>")
            .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(200, page.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(page);
        }
    }

    /** The FHIR base, {@code http(s)://127.0.0.1:PORT/fhir}. */
    public String baseUrl() {
        return base;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests served (answered or failed) since start. */
    public long requests() {
        return requests.get();
    }

    public int practitioners() {
        return slots.size();
    }

    public int slotCount() {
        return slots.values().stream().mapToInt(List::size).sum();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------

    private void handle(final HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        try {
            if (options.delayMs > 0) {
                Thread.sleep(options.delayMs);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
            return;
        }
        if (!"GET".equals(ex.getRequestMethod())) {
            outcome(ex, 405, "not-supported", "only GET [base]/Slot is served");
            return;
        }
        if (options.failRate > 0 && ThreadLocalRandom.current().nextDouble() < options.failRate) {
            outcome(ex, 500, "exception", "simulated failure (--fail-rate)");
            return;
        }
        final String raw = ex.getRequestURI().getRawQuery();
        final Map<String, List<String>> q = query(raw == null ? "" : raw);
        final String problem = checkGuideRequest(q);
        if (problem != null) {
            outcome(ex, 400, "invalid", problem);
            return;
        }
        final OffsetDateTime from;
        final OffsetDateTime to;
        final Set<Long> asked = new LinkedHashSet<>();
        try {
            OffsetDateTime f = null;
            OffsetDateTime t = null;
            for (final String s : q.get("start")) {
                if (s.startsWith("ge")) {
                    f = OffsetDateTime.parse(s.substring(2));
                } else if (s.startsWith("le")) {
                    t = OffsetDateTime.parse(s.substring(2));
                }
            }
            from = f;
            to = t;
            for (final String list : q.get("schedule.actor:Practitioner.identifier")) {
                for (final String token : list.split(",")) {
                    final String tok = token.trim();
                    final int bar = tok.indexOf('|');
                    if (bar < 0 || !IDNPS.equals(tok.substring(0, bar))) {
                        outcome(ex, 400, "invalid", "identifier without the IDNPS system " + IDNPS + ": " + tok);
                        return;
                    }
                    String value = tok.substring(bar + 1);
                    if (value.length() == 12 && value.startsWith("8")) {
                        value = value.substring(1);
                    }
                    asked.add(Long.parseLong(value));
                }
            }
        } catch (final DateTimeParseException | NumberFormatException e) {
            outcome(ex, 400, "invalid", "bad parameter: " + e.getMessage());
            return;
        }
        if (asked.isEmpty() || asked.size() > 25) {
            outcome(ex, 400, "invalid", "1 to 25 practitioner identifiers, got " + asked.size());
            return;
        }
        final List<RawSlot> matched = new ArrayList<>();
        for (final Long rpps : asked) {
            for (final RawSlot s : slots.getOrDefault(rpps, List.of())) {
                final OffsetDateTime start;
                try {
                    start = OffsetDateTime.parse(s.start());
                } catch (final DateTimeParseException e) {
                    continue;
                }
                if (!start.isBefore(from) && !start.isAfter(to) && s.bookable()
                    && s.visibility() != Visibility.PATIENTELE) {
                    matched.add(s);
                }
            }
        }
        int page = 1;
        final List<String> pageParam = q.get("_page");
        if (pageParam != null) {
            page = Integer.parseInt(pageParam.get(0));
        }
        final int size = options.pageSize;
        final int first = size <= 0 ? 0 : (page - 1) * size;
        final int last = size <= 0 ? matched.size() : Math.min(matched.size(), first + size);
        final String next = size > 0 && last < matched.size()
            ? base + "/Slot?" + stripPage(raw) + "&_page=" + (page + 1) : null;
        // The CPTS variant: the HealthcareService (and its Organization) of the CPTS come with the slots.
        final boolean cpts = q.getOrDefault("_include", List.of()).contains("Slot:service-type-reference")
            && q.getOrDefault("_include:iterate", List.of()).contains("HealthcareService:organization");
        bundle(ex, matched.subList(Math.min(first, matched.size()), last), matched.size(), next, cpts);
    }

    /** The SOS Médecins variant: Schedules by the associations' SIRET, their Slots revincluded. */
    private void handleSos(final HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        if (!"GET".equals(ex.getRequestMethod())) {
            outcome(ex, 405, "not-supported", "only GET [base]/Schedule is served");
            return;
        }
        if (options.failRate > 0 && ThreadLocalRandom.current().nextDouble() < options.failRate) {
            outcome(ex, 500, "exception", "simulated failure (--fail-rate)");
            return;
        }
        final String raw = ex.getRequestURI().getRawQuery();
        final Map<String, List<String>> q = query(raw == null ? "" : raw);
        final String problem = checkSosRequest(q);
        if (problem != null) {
            outcome(ex, 400, "invalid", problem);
            return;
        }
        OffsetDateTime from = null;
        OffsetDateTime to = null;
        final Set<String> asked = new LinkedHashSet<>();
        try {
            for (final String v : q.get("_has:Slot:schedule:start")) {
                if (v.startsWith("ge")) {
                    from = OffsetDateTime.parse(v.substring(2));
                } else if (v.startsWith("le")) {
                    to = OffsetDateTime.parse(v.substring(2));
                }
            }
        } catch (final DateTimeParseException e) {
            outcome(ex, 400, "invalid", "bad parameter: " + e.getMessage());
            return;
        }
        for (final String list : q.get("actor:Location.organization.identifier")) {
            for (final String token : list.split(",")) {
                final int bar = token.indexOf('|');
                final String value = bar < 0 ? "" : token.substring(bar + 1);
                if (bar < 0 || !IDNST.equals(token.substring(0, bar)) || !value.matches("3[0-9]{14}")) {
                    outcome(ex, 400, "invalid", "expected " + IDNST + "|3{SIRET}: " + token);
                    return;
                }
                asked.add(value.substring(1));
            }
        }
        if (asked.isEmpty() || asked.size() > 25) {
            outcome(ex, 400, "invalid", "1 to 25 structure identifiers, got " + asked.size());
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/fhir+json; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody();
             JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("resourceType", "Bundle");
            g.writeStringField("type", "searchset");
            g.writeArrayFieldStart("entry");
            for (final String siret : asked) {
                final List<RawSlot> list = options.sos.getOrDefault(siret, List.of());
                if (list.isEmpty()) {
                    continue;
                }
                g.writeStartObject();
                g.writeObjectFieldStart("resource");
                g.writeStringField("resourceType", "Schedule");
                g.writeStringField("id", "sch-sos-" + siret);
                g.writeArrayFieldStart("actor");
                g.writeStartObject();
                g.writeStringField("reference", "Location/loc-" + siret);
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
                g.writeObjectFieldStart("search");
                g.writeStringField("mode", "match");
                g.writeEndObject();
                g.writeEndObject();
                resource(g, "Location", "loc-" + siret, "managingOrganization", "Organization/org-" + siret);
                g.writeStartObject();
                g.writeObjectFieldStart("resource");
                g.writeStringField("resourceType", "Organization");
                g.writeStringField("id", "org-" + siret);
                g.writeArrayFieldStart("identifier");
                g.writeStartObject();
                g.writeStringField("system", IDNST);
                g.writeStringField("value", "3" + siret);
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndObject();
                for (final RawSlot slot : list) {
                    final OffsetDateTime start = OffsetDateTime.parse(slot.start());
                    if (start.isBefore(from) || start.isAfter(to)) {
                        continue;
                    }
                    g.writeStartObject();
                    g.writeObjectFieldStart("resource");
                    g.writeStringField("resourceType", "Slot");
                    g.writeStringField("id", fhirId(slot.id()));
                    g.writeObjectFieldStart("schedule");
                    g.writeStringField("reference", "Schedule/sch-sos-" + siret);
                    g.writeEndObject();
                    g.writeStringField("status", "free");
                    g.writeStringField("start", slot.start());
                    g.writeStringField("end", slot.end());
                    g.writeEndObject();
                    g.writeObjectFieldStart("search");
                    g.writeStringField("mode", "include");
                    g.writeEndObject();
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** What the guide's SOS Médecins search makes mandatory, or {@code null} when the request is the guide's. */
    static String checkSosRequest(final Map<String, List<String>> q) {
        if (!q.getOrDefault("_revinclude", List.of()).contains("Slot:schedule")) {
            return "missing _revinclude=Slot:schedule";
        }
        if (!q.getOrDefault("_include", List.of()).contains("Schedule:actor:Location")) {
            return "missing _include=Schedule:actor:Location";
        }
        if (!q.getOrDefault("_include:iterate", List.of()).contains("Location:organization")) {
            return "missing _include:iterate=Location:organization";
        }
        final List<String> start = q.getOrDefault("_has:Slot:schedule:start", List.of());
        if (start.stream().noneMatch(v -> v.startsWith("ge")) || start.stream().noneMatch(v -> v.startsWith("le"))) {
            return "_has:Slot:schedule:start=ge… and =le… are both required";
        }
        if (!List.of("free").equals(q.get("_has:Slot:schedule:status"))) {
            return "_has:Slot:schedule:status=free is required";
        }
        if (!q.containsKey("actor:Location.organization.identifier")) {
            return "missing actor:Location.organization.identifier";
        }
        return null;
    }

    /** An included resource with one reference field. */
    private static void resource(final JsonGenerator g, final String type, final String id, final String field,
                                 final String reference) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("resource");
        g.writeStringField("resourceType", type);
        g.writeStringField("id", id);
        g.writeObjectFieldStart(field);
        g.writeStringField("reference", reference);
        g.writeEndObject();
        g.writeEndObject();
        g.writeObjectFieldStart("search");
        g.writeStringField("mode", "include");
        g.writeEndObject();
        g.writeEndObject();
    }

    /** What the guide makes mandatory, or {@code null} when the request is the guide's. */
    static String checkGuideRequest(final Map<String, List<String>> q) {
        final List<String> include = q.getOrDefault("_include", List.of());
        if (!include.contains("Slot:schedule")) {
            return "missing _include=Slot:schedule";
        }
        if (!q.getOrDefault("_include:iterate", List.of()).contains("Schedule:actor")) {
            return "missing _include:iterate=Schedule:actor";
        }
        final List<String> start = q.getOrDefault("start", List.of());
        if (start.stream().noneMatch(s -> s.startsWith("ge")) || start.stream().noneMatch(s -> s.startsWith("le"))) {
            return "start=ge… and start=le… are both required";
        }
        if (!q.containsKey("schedule.actor:Practitioner.identifier")) {
            return "missing schedule.actor:Practitioner.identifier";
        }
        if (!List.of("free").equals(q.get("status"))) {
            return "status=free is required";
        }
        return null;
    }

    private static String stripPage(final String raw) {
        final StringBuilder sb = new StringBuilder();
        for (final String part : raw.split("&")) {
            if (!part.startsWith("_page=")) {
                sb.append(sb.length() == 0 ? "" : "&").append(part);
            }
        }
        return sb.toString();
    }

    static Map<String, List<String>> query(final String raw) {
        final Map<String, List<String>> q = new LinkedHashMap<>();
        for (final String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            final int eq = part.indexOf('=');
            final String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            final String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return q;
    }

    private void bundle(final HttpExchange ex, final List<RawSlot> page, final int total, final String next,
                        final boolean cpts) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/fhir+json; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody();
             JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("resourceType", "Bundle");
            g.writeStringField("type", "searchset");
            g.writeNumberField("total", total);
            if (next != null) {
                g.writeArrayFieldStart("link");
                g.writeStartObject();
                g.writeStringField("relation", "next");
                g.writeStringField("url", next);
                g.writeEndObject();
                g.writeEndArray();
            }
            g.writeArrayFieldStart("entry");
            final Set<Long> who = new LinkedHashSet<>();
            // Slots at a site other than the main one: one Schedule per (practitioner, site) whose
            // PractitionerRole contains the site as a Location, as the guide gives a practitioner
            // with several places of work (the Location's identifier is the site's id).
            final Set<String> sited = new LinkedHashSet<>();
            for (final RawSlot s : page) {
                final long rpps = Long.parseLong(s.rpps());
                who.add(rpps);
                if (s.site() != null) {
                    sited.add(rpps + "|" + s.site());
                }
                slot(g, s, rpps);
            }
            for (final Long rpps : who) {
                schedule(g, rpps);
                practitioner(g, rpps);
            }
            for (final String key : sited) {
                final int bar = key.indexOf('|');
                sitedSchedule(g, Long.parseLong(key.substring(0, bar)), key.substring(bar + 1));
            }
            if (cpts && !who.isEmpty()) {
                resource(g, "HealthcareService", "hs-cpts", "providedBy", "Organization/org-cpts");
                g.writeStartObject();
                g.writeObjectFieldStart("resource");
                g.writeStringField("resourceType", "Organization");
                g.writeStringField("id", "org-cpts");
                g.writeStringField("name", "CPTS (simulated)");
                g.writeEndObject();
                g.writeObjectFieldStart("search");
                g.writeStringField("mode", "include");
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private void slot(final JsonGenerator g, final RawSlot s, final long rpps) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("resource");
        g.writeStringField("resourceType", "Slot");
        g.writeStringField("id", fhirId(s.id()));
        g.writeObjectFieldStart("meta");
        g.writeArrayFieldStart("security");
        g.writeStartObject();
        g.writeStringField("system", TYPE_CRENEAU);
        g.writeStringField("code", switch (s.visibility()) {
            case PUBLIC -> "PUBLIC";
            case PROFESSIONAL -> "PRO";
            default -> "CPTS";
        });
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeArrayFieldStart("serviceType");
        for (final Modality m : Modality.values()) {
            if ((s.modalities() & m.bit()) != 0) {
                g.writeStartObject();
                g.writeArrayFieldStart("coding");
                g.writeStartObject();
                g.writeStringField("system", ACT_CODE);
                g.writeStringField("code", switch (m) {
                    case OFFICE -> "AMB";
                    case HOME_VISIT -> "HH";
                    case TELECONSULTATION -> "VR";
                });
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeObjectFieldStart("appointmentType");
        g.writeArrayFieldStart("coding");
        g.writeStartObject();
        g.writeStringField("system", APPOINTMENT_REASON);
        g.writeStringField("code", "ROUTINE");
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeObjectFieldStart("schedule");
        g.writeStringField("reference", s.site() == null ? "Schedule/sch-" + rpps
            : "Schedule/sch-" + rpps + "-" + fhirId(s.site()));
        g.writeEndObject();
        g.writeStringField("status", "free");
        g.writeStringField("start", s.start());
        g.writeStringField("end", s.end());
        final String link = s.bookingUrl() != null ? s.bookingUrl() : agendaUrl(rpps);
        if (link != null) {
            g.writeStringField("comment", link);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void schedule(final JsonGenerator g, final long rpps) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("resource");
        g.writeStringField("resourceType", "Schedule");
        g.writeStringField("id", "sch-" + rpps);
        g.writeArrayFieldStart("actor");
        g.writeStartObject();
        g.writeStringField("reference", "Practitioner/pr-" + rpps);
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The Schedule of one site, and its PractitionerRole containing the site as a Location. */
    private static void sitedSchedule(final JsonGenerator g, final long rpps, final String site) throws IOException {
        final String id = rpps + "-" + fhirId(site);
        g.writeStartObject();
        g.writeObjectFieldStart("resource");
        g.writeStringField("resourceType", "Schedule");
        g.writeStringField("id", "sch-" + id);
        g.writeArrayFieldStart("actor");
        g.writeStartObject();
        g.writeStringField("reference", "Practitioner/pr-" + rpps);
        g.writeEndObject();
        g.writeStartObject();
        g.writeStringField("reference", "PractitionerRole/role-" + id);
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
        g.writeStartObject();
        g.writeObjectFieldStart("resource");
        g.writeStringField("resourceType", "PractitionerRole");
        g.writeStringField("id", "role-" + id);
        g.writeArrayFieldStart("contained");
        g.writeStartObject();
        g.writeStringField("resourceType", "Location");
        g.writeStringField("id", "loc");
        g.writeArrayFieldStart("identifier");
        g.writeStartObject();
        g.writeStringField("system", "https://simulator.creneau.example/lieux");
        g.writeStringField("value", site);
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndArray();
        g.writeObjectFieldStart("practitioner");
        g.writeStringField("reference", "Practitioner/pr-" + rpps);
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    private void practitioner(final JsonGenerator g, final long rpps) throws IOException {
        final String text = fr.creneau.directory.Rpps.format(rpps);
        g.writeStartObject();
        g.writeObjectFieldStart("resource");
        g.writeStringField("resourceType", "Practitioner");
        g.writeStringField("id", "pr-" + rpps);
        g.writeArrayFieldStart("identifier");
        g.writeStartObject();
        g.writeStringField("system", IDNPS);
        g.writeStringField("value", options.unprefixed ? text : "8" + text);
        g.writeEndObject();
        g.writeEndArray();
        final String name = names.get(rpps);
        if (name != null) {
            g.writeArrayFieldStart("name");
            g.writeStartObject();
            g.writeStringField("text", name);
            g.writeEndObject();
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static String fhirId(final String id) {
        if (FHIR_ID.matcher(id).matches()) {
            return id;
        }
        final String cleaned = id.replaceAll("[^A-Za-z0-9\\-.]", "-");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned.isEmpty() ? "x" : cleaned;
    }

    private static void outcome(final HttpExchange ex, final int status, final String code, final String diagnostics)
        throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/fhir+json; charset=utf-8");
        ex.sendResponseHeaders(status, 0);
        try (OutputStream out = ex.getResponseBody();
             JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("resourceType", "OperationOutcome");
            g.writeArrayFieldStart("issue");
            g.writeStartObject();
            g.writeStringField("severity", "error");
            g.writeStringField("code", code);
            g.writeStringField("diagnostics", diagnostics);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
