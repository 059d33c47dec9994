package fr.creneau.pull;

import fr.creneau.error.CreneauException;

/**
 * An endpoints file that cannot be used: not JSON, an unknown key, a missing or bad value, a TLS
 * store that cannot be opened. Names the file and the key ({@code vendors[0].timeoutMs}); nothing
 * is pulled from a file that fails.
 */
public class EndpointsException extends CreneauException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public EndpointsException(final String file, final String key, final String message) {
        super(file + ": " + (key == null ? "" : key + ": ") + message);
        this.key = key;
    }

    public EndpointsException(final String file, final String key, final String message, final Throwable cause) {
        super(file + ": " + (key == null ? "" : key + ": ") + message, cause);
        this.key = key;
    }

    /** The offending key as a path ({@code vendors[1].tls.keyStore}), or {@code null} for the whole file. */
    public String key() {
        return key;
    }
}
