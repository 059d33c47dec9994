package fr.creneau.pull;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.creneau.directory.Integration;
import fr.creneau.directory.Vendor;
import fr.creneau.directory.VendorRegistry;

/**
 * Reads the endpoints file ({@code endpoints.schema.json} beside the feed schemas):
 * <pre>
 * {"vendors": [{"name": "doctolib", "baseUrl": "https://…/fhir", "integration": "END_TO_END",
 *   "timeoutMs": 7000, "idsPerRequest": 25, "refreshSeconds": 300, "maxInFlight": 4,
 *   "departements": ["75", "48"], "tls": {"keyStore": "client.p12", "keyStorePassword": "…",
 *   "trustStore": "trust.p12", "trustStorePassword": "…"}}]}
 * </pre>
 * Only {@code name} and {@code baseUrl} are required; the others default to the values shown,
 * {@code integration} to the registry's level for that vendor, {@code departements} to the whole
 * directory. Every problem is an {@link EndpointsException} naming the key: an unknown key (a
 * misspelt {@code timeoutMS} would otherwise silently mean 7 s), a value of the wrong type or out
 * of range, an unregistered vendor or one named twice, an integration level other than the
 * registry's, plain {@code http://} to anything but a loopback address (vendors' data is health
 * data: only a simulator on this machine may be reached in clear), a TLS store that cannot be
 * opened. Store paths are relative to the file's directory; stores are PKCS12. The passwords are
 * used to open the stores here and are not kept.
 *
 * <p>Stateless; thread-safe.
 */
public final class EndpointsFile {
    private static final Set<String> ROOT_KEYS = Set.of("vendors");
    private static final Set<String> VENDOR_KEYS = Set.of("name", "baseUrl", "integration", "timeoutMs",
        "idsPerRequest", "refreshSeconds", "maxInFlight", "departements", "tls", "search", "sirets");
    private static final Set<String> TLS_KEYS = Set.of("keyStore", "keyStorePassword", "trustStore",
        "trustStorePassword");
    /** Metropolitan 01-95 (Corsica 2A, 2B instead of 20) and the five overseas départements. */
    private static final Pattern DEPARTEMENT = Pattern.compile("0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5]|97[1-46]");
    private static final long MAX_TIMEOUT_MS = 600_000;
    private static final long MAX_REFRESH_SECONDS = 86_400;
    private static final int MAX_IN_FLIGHT = 64;
    private static final long MAX_FILE_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private EndpointsFile() {
    }

    /**
     * @throws EndpointsException when the file cannot be read or used (nothing is returned)
     */
    public static List<Endpoint> load(final Path file, final VendorRegistry vendors) {
        final String label = String.valueOf(file.getFileName());
        final byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new EndpointsException(label, null, "larger than " + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (final IOException e) {
            throw new EndpointsException(label, null, "cannot read: " + e.getMessage(), e);
        }
        final Path base = file.toAbsolutePath().getParent();
        return parse(label, bytes, base, vendors);
    }

    /** As {@link #load}, from the file's bytes; TLS store paths are resolved against {@code base}. */
    public static List<Endpoint> parse(final String label, final byte[] json, final Path base,
                                       final VendorRegistry vendors) {
        final JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (final JsonProcessingException e) {
            throw new EndpointsException(label, null, "not JSON: " + e.getOriginalMessage());
        } catch (final IOException e) {
            throw new EndpointsException(label, null, "cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new EndpointsException(label, null, "expected an object {\"vendors\": [...]}");
        }
        onlyKeys(label, "", root, ROOT_KEYS);
        final JsonNode list = root.get("vendors");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new EndpointsException(label, "vendors", "required: a non-empty array of vendor endpoints");
        }
        final List<Endpoint> endpoints = new ArrayList<>();
        final Set<Integer> seen = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            final Endpoint e = vendor(label, "vendors[" + i + "]", list.get(i), base, vendors);
            if (!seen.add(e.vendor().id())) {
                throw new EndpointsException(label, "vendors[" + i + "].name", "vendor " + e.vendor().displayName()
                    + " is listed twice");
            }
            endpoints.add(e);
        }
        return List.copyOf(endpoints);
    }

    private static Endpoint vendor(final String label, final String at, final JsonNode node, final Path base,
                                   final VendorRegistry vendors) {
        if (!node.isObject()) {
            throw new EndpointsException(label, at, "expected an object");
        }
        onlyKeys(label, at + ".", node, VENDOR_KEYS);
        final String name = requiredString(label, at + ".name", node.get("name"));
        final Vendor vendor = vendors.find(name);
        if (vendor == null) {
            throw new EndpointsException(label, at + ".name", "not a registered vendor: " + quote(name));
        }
        final URI baseUrl = baseUrl(label, at + ".baseUrl", requiredString(label, at + ".baseUrl", node.get("baseUrl")));
        Integration integration = vendor.integration();
        final JsonNode integrationNode = node.get("integration");
        if (integrationNode != null) {
            final String text = requiredString(label, at + ".integration", integrationNode);
            try {
                integration = Integration.valueOf(text);
            } catch (final IllegalArgumentException e) {
                throw new EndpointsException(label, at + ".integration", "expected END_TO_END or AGGREGATION_ONLY: "
                    + quote(text));
            }
            if (integration != vendor.integration()) {
                throw new EndpointsException(label, at + ".integration", integration + " but the vendor registry has "
                    + vendor.displayName() + " as " + vendor.integration());
            }
        }
        final long timeoutMs = integer(label, at + ".timeoutMs", node.get("timeoutMs"),
            Endpoint.DEFAULT_TIMEOUT.toMillis(), 1, MAX_TIMEOUT_MS);
        final long ids = integer(label, at + ".idsPerRequest", node.get("idsPerRequest"),
            Endpoint.DEFAULT_IDS_PER_REQUEST, 1, Endpoint.MAX_IDS_PER_REQUEST);
        final long refresh = integer(label, at + ".refreshSeconds", node.get("refreshSeconds"),
            Endpoint.DEFAULT_REFRESH.toSeconds(), 1, MAX_REFRESH_SECONDS);
        final long inFlight = integer(label, at + ".maxInFlight", node.get("maxInFlight"),
            Endpoint.DEFAULT_MAX_IN_FLIGHT, 1, MAX_IN_FLIGHT);
        final Set<String> departements = departements(label, at + ".departements", node.get("departements"));
        final JsonNode tls = node.get("tls");
        final SSLContext ssl = tls == null ? null : tls(label, at + ".tls", tls, base);
        if (ssl != null && !"https".equals(baseUrl.getScheme())) {
            throw new EndpointsException(label, at + ".tls", "given for a plain http:// baseUrl");
        }
        SearchKind search = SearchKind.PRACTITIONER;
        final JsonNode searchNode = node.get("search");
        if (searchNode != null) {
            final String text = requiredString(label, at + ".search", searchNode);
            try {
                search = SearchKind.valueOf(text);
            } catch (final IllegalArgumentException e) {
                throw new EndpointsException(label, at + ".search", "expected PRACTITIONER, CPTS or SOS_MEDECINS: "
                    + quote(text));
            }
        }
        final List<String> sirets = sirets(label, at + ".sirets", node.get("sirets"));
        if (search == SearchKind.SOS_MEDECINS && sirets.isEmpty()) {
            throw new EndpointsException(label, at + ".sirets", "required by the SOS_MEDECINS search (the associations asked)");
        }
        if (search != SearchKind.SOS_MEDECINS && !sirets.isEmpty()) {
            throw new EndpointsException(label, at + ".sirets", "given for a " + search + " search (only SOS_MEDECINS asks by SIRET)");
        }
        return new Endpoint(vendor, baseUrl, integration, Duration.ofMillis(timeoutMs), (int) ids,
            Duration.ofSeconds(refresh), (int) inFlight, departements, ssl, search, sirets);
    }

    private static List<String> sirets(final String label, final String key, final JsonNode node) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new EndpointsException(label, key, "expected a non-empty array of SIRETs (14 digits)");
        }
        final Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            final String siret = requiredString(label, key + "[" + i + "]", node.get(i));
            if (!siret.matches("[0-9]{14}")) {
                throw new EndpointsException(label, key + "[" + i + "]", "not a SIRET (14 digits): " + quote(siret));
            }
            if (!out.add(siret)) {
                throw new EndpointsException(label, key + "[" + i + "]", "listed twice: " + quote(siret));
            }
        }
        return List.copyOf(out);
    }

    private static URI baseUrl(final String label, final String key, final String text) {
        final URI uri;
        try {
            uri = new URI(text);
        } catch (final URISyntaxException e) {
            throw new EndpointsException(label, key, "not a URL: " + quote(text));
        }
        final String scheme = uri.getScheme();
        if (!uri.isAbsolute() || uri.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))) {
            throw new EndpointsException(label, key, "expected an absolute https:// URL with a host: " + quote(text));
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new EndpointsException(label, key, "a FHIR base has no query, fragment or user info: " + quote(text));
        }
        if ("http".equals(scheme) && !isLoopback(uri.getHost())) {
            throw new EndpointsException(label, key, "plain http:// is accepted for loopback addresses only"
                + " (127.0.0.0/8, [::1], localhost); vendors are reached over https with mutual TLS: " + quote(text));
        }
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s);
    }

    /** A loopback literal, or {@code localhost}; no other name is looked up (no DNS from a config check). */
    static boolean isLoopback(final String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        final String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        final boolean ipv4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        final boolean ipv6 = literal.indexOf(':') >= 0 && literal.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress(); // a literal: no lookup
        } catch (final IOException e) {
            return false;
        }
    }

    private static Set<String> departements(final String label, final String key, final JsonNode node) {
        if (node == null) {
            return Set.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new EndpointsException(label, key, "expected a non-empty array of département codes (\"75\", \"2A\", \"971\")");
        }
        final Set<String> codes = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            final String code = requiredString(label, key + "[" + i + "]", node.get(i));
            if (!DEPARTEMENT.matcher(code).matches()) {
                throw new EndpointsException(label, key + "[" + i + "]", "not a département code: " + quote(code));
            }
            if (!codes.add(code)) {
                throw new EndpointsException(label, key + "[" + i + "]", "listed twice: " + quote(code));
            }
        }
        return codes;
    }

    private static SSLContext tls(final String label, final String key, final JsonNode node, final Path base) {
        if (!node.isObject()) {
            throw new EndpointsException(label, key, "expected an object");
        }
        onlyKeys(label, key + ".", node, TLS_KEYS);
        final boolean hasKey = node.has("keyStore") || node.has("keyStorePassword");
        final boolean hasTrust = node.has("trustStore") || node.has("trustStorePassword");
        if (!hasKey && !hasTrust) {
            throw new EndpointsException(label, key, "empty: give keyStore and keyStorePassword, trustStore and trustStorePassword");
        }
        try {
            KeyManagerFactory kmf = null;
            if (hasKey) {
                final String password = requiredString(label, key + ".keyStorePassword", node.get("keyStorePassword"));
                final KeyStore ks = store(label, key + ".keyStore", node.get("keyStore"), base, password);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password.toCharArray());
            }
            TrustManagerFactory tmf = null;
            if (hasTrust) {
                final String password = requiredString(label, key + ".trustStorePassword", node.get("trustStorePassword"));
                final KeyStore ts = store(label, key + ".trustStore", node.get("trustStore"), base, password);
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (final GeneralSecurityException e) {
            throw new EndpointsException(label, key, "cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore store(final String label, final String key, final JsonNode node, final Path base,
                                  final String password) {
        final String name = requiredString(label, key, node);
        final Path path = base == null ? Path.of(name) : base.resolve(name);
        try (InputStream in = Files.newInputStream(path)) {
            final KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            return ks;
        } catch (final IOException e) {
            // A wrong password shows as an IOException whose cause is an UnrecoverableKeyException.
            throw new EndpointsException(label, key, "cannot open PKCS12 store " + quote(name) + ": " + e.getMessage(), e);
        } catch (final GeneralSecurityException e) {
            throw new EndpointsException(label, key, "cannot open PKCS12 store " + quote(name) + ": " + e.getMessage(), e);
        }
    }

    private static void onlyKeys(final String label, final String at, final JsonNode node, final Set<String> allowed) {
        for (final Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            final String k = it.next().getKey();
            if (!allowed.contains(k)) {
                throw new EndpointsException(label, at + k, "unknown key (expected one of " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
    }

    private static String requiredString(final String label, final String key, final JsonNode node) {
        if (node == null || node.isNull()) {
            throw new EndpointsException(label, key, "required");
        }
        if (!node.isTextual()) {
            throw new EndpointsException(label, key, "expected a string, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (node.asText().isBlank()) {
            throw new EndpointsException(label, key, "must not be blank");
        }
        return node.asText();
    }

    private static long integer(final String label, final String key, final JsonNode node, final long dflt,
                                final long min, final long max) {
        if (node == null) {
            return dflt;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new EndpointsException(label, key, "expected an integer from " + min + " to " + max + ", got " + node);
        }
        final long v = node.asLong();
        if (v < min || v > max) {
            throw new EndpointsException(label, key, "must be from " + min + " to " + max + ": " + v);
        }
        return v;
    }

    private static String quote(final String s) {
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 200; i++) {
            final char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? '\uFFFD' : c);
        }
        return sb.append(s.length() > 200 ? "…\"" : "\"").toString();
    }
}
