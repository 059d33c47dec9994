package fr.creneau.feed;

/**
 * An input larger than {@link IngestConfig#maxFeedBytes()}. Reading stops at the limit, so the heap
 * a parse needs stays bounded whatever a vendor sends; nothing of the input is applied.
 */
public final class FeedTooLargeException extends FeedFormatException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    public FeedTooLargeException(final String source, final long limit) {
        super(source, "larger than the limit of " + limit + " bytes (" + mebibytes(limit)
            + "IngestConfig.maxFeedBytes): refused, nothing applied");
        this.limit = limit;
    }

    private static String mebibytes(final long bytes) {
        if (bytes < 1L << 20) {
            return "";
        }
        return (bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : String.format("%.1f MiB", bytes / (double) (1L << 20)))
            + ", ";
    }

    /** The limit in bytes. */
    public long limit() {
        return limit;
    }
}
