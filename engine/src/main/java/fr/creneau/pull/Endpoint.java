package fr.creneau.pull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.net.ssl.SSLContext;

import fr.creneau.directory.Integration;
import fr.creneau.directory.Vendor;

/**
 * One vendor's FHIR server, as the endpoints file describes it ({@link EndpointsFile}). Immutable.
 *
 * @param vendor        the registered vendor it serves
 * @param baseUrl       the FHIR base ({@code [base]} of the guide), without a trailing slash
 * @param integration   its integration level (the registry's; the file may only restate it)
 * @param timeout       per request, answer included (the SAS platform drops answers after 7 s)
 * @param idsPerRequest practitioners per search, 1 to 25 (the guide's cardinality)
 * @param refresh       delay between the end of one pull cycle of that vendor and the next
 * @param maxInFlight   requests to that vendor at once
 * @param departements  the départements whose practitioners are asked; empty for all
 * @param sslContext    the client's TLS context (client certificate and trusted CAs), or
 *                      {@code null} for the JDK's default (no client certificate)
 * @param search        which of the guide's searches the vendor serves
 * @param sirets        for {@link SearchKind#SOS_MEDECINS}, the associations' SIRETs (14 digits) to
 *                      ask; empty otherwise
 */
public record Endpoint(Vendor vendor, URI baseUrl, Integration integration, Duration timeout, int idsPerRequest,
                       Duration refresh, int maxInFlight, Set<String> departements, SSLContext sslContext,
                       SearchKind search, List<String> sirets) {
    /** The guide's largest batch: {@code schedule.actor:Practitioner.identifier} is 1..25. */
    public static final int MAX_IDS_PER_REQUEST = 25;
    /** The SAS platform's timeout (annexes of the guide). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(7000);
    public static final int DEFAULT_IDS_PER_REQUEST = 25;
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(300);
    public static final int DEFAULT_MAX_IN_FLIGHT = 4;

    public Endpoint {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(integration, "integration");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(refresh, "refresh");
        departements = Set.copyOf(departements);
        Objects.requireNonNull(search, "search");
        sirets = List.copyOf(sirets);
        if ((search == SearchKind.SOS_MEDECINS) == sirets.isEmpty()) {
            throw new IllegalArgumentException("sirets are given for, and only for, the SOS_MEDECINS search");
        }
        for (final String siret : sirets) {
            if (!siret.matches("[0-9]{14}")) {
                throw new IllegalArgumentException("a SIRET is 14 digits: " + siret);
            }
        }
        if (idsPerRequest < 1 || idsPerRequest > MAX_IDS_PER_REQUEST) {
            throw new IllegalArgumentException("idsPerRequest must be 1 to " + MAX_IDS_PER_REQUEST + ": " + idsPerRequest);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive: " + maxInFlight);
        }
        if (timeout.isNegative() || timeout.isZero() || refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("timeout and refresh must be positive");
        }
    }

    /** An endpoint of the individual practitioners' search ({@link SearchKind#PRACTITIONER}). */
    public Endpoint(final Vendor vendor, final URI baseUrl, final Integration integration, final Duration timeout,
                    final int idsPerRequest, final Duration refresh, final int maxInFlight, final Set<String> departements,
                    final SSLContext sslContext) {
        this(vendor, baseUrl, integration, timeout, idsPerRequest, refresh, maxInFlight, departements, sslContext,
            SearchKind.PRACTITIONER, List.of());
    }

    /** An endpoint with every default, for a host that configures in code (plain, no TLS context). */
    public static Endpoint of(final Vendor vendor, final URI baseUrl) {
        return new Endpoint(vendor, baseUrl, vendor.integration(), DEFAULT_TIMEOUT, DEFAULT_IDS_PER_REQUEST,
            DEFAULT_REFRESH, DEFAULT_MAX_IN_FLIGHT, Set.of(), null);
    }

    /** This endpoint with another timeout. */
    public Endpoint withTimeout(final Duration t) {
        return new Endpoint(vendor, baseUrl, integration, t, idsPerRequest, refresh, maxInFlight, departements,
            sslContext, search, sirets);
    }

    /** This endpoint with another search (and its SIRETs for SOS Médecins). */
    public Endpoint withSearch(final SearchKind kind, final List<String> siretList) {
        return new Endpoint(vendor, baseUrl, integration, timeout, idsPerRequest, refresh, maxInFlight, departements,
            sslContext, kind, siretList);
    }
}
