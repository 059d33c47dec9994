package fr.creneau.store.postgres;

import java.net.URI;
import java.net.URISyntaxException;

import fr.creneau.error.CreneauException;

/**
 * The store URL of the CLI and the host configuration, {@code postgresql://host:port/db?user=…},
 * turned into the driver's JDBC URL. A {@code jdbc:postgresql:} URL is accepted as is.
 */
public final class StoreUrl {
    private StoreUrl() {
    }

    /** A malformed store URL. */
    public static final class MalformedStoreUrlException extends CreneauException {
        private static final long serialVersionUID = 1L;

        MalformedStoreUrlException(final String message) {
            super(message);
        }
    }

    /**
     * @throws MalformedStoreUrlException when it is neither form, or has no host or database
     */
    public static String toJdbc(final String url) {
        if (url == null || url.isBlank()) {
            throw new MalformedStoreUrlException("empty store URL: expected postgresql://host:port/db?user=...");
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        final URI uri;
        try {
            uri = new URI(url);
        } catch (final URISyntaxException e) {
            throw new MalformedStoreUrlException("malformed store URL " + safe(url) + ": " + e.getReason());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new MalformedStoreUrlException("store URL " + safe(url)
                + " must start with postgresql:// (e.g. postgresql://localhost:5432/creneau?user=creneau)");
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new MalformedStoreUrlException("store URL " + safe(url) + " needs a host and a database");
        }
        if (uri.getUserInfo() != null) {
            throw new MalformedStoreUrlException("store URL " + safe(url)
                + ": give the user as ?user=..., and the password through PGPASSWORD or ?password=...");
        }
        return "jdbc:postgresql://" + uri.getRawAuthority() + uri.getRawPath()
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** The URL without its query, so a password never reaches a message or a log. */
    private static String safe(final String url) {
        final int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?…";
    }
}
