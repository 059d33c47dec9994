package fr.creneau.feed;

import fr.creneau.error.CreneauException;

/**
 * An input that cannot be read as the format it claims to be (not JSON, not a Bundle, a missing
 * top-level field). Thrown before anything is applied: the index is unchanged.
 */
public class FeedFormatException extends CreneauException {
    private static final long serialVersionUID = 1L;

    private final String source;

    /** The message is {@code Json.clean}ed: it may quote what the input held, and reaches logs. */
    public FeedFormatException(final String source, final String message) {
        super(Json.clean(source + ": " + message));
        this.source = source;
    }

    public FeedFormatException(final String source, final String message, final Throwable cause) {
        super(Json.clean(source + ": " + message), cause);
        this.source = source;
    }

    /** The file name or label of the input. */
    public String source() {
        return source;
    }
}
