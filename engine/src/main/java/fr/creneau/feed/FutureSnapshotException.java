package fr.creneau.feed;

import java.time.Duration;
import java.time.Instant;

import fr.creneau.error.CreneauException;

/**
 * A vendor snapshot dated further ahead of the ingestor's clock than
 * {@link IngestConfig#maxClockSkew()} allows. Applying it would make every true snapshot that
 * follows look stale ({@link StaleSnapshotException}) and freeze the vendor, so it is refused whole
 * and changes nothing: neither the slots nor the vendor's applied snapshot time.
 */
public final class FutureSnapshotException extends CreneauException {
    private static final long serialVersionUID = 1L;

    private final String vendor;
    private final Instant generatedAt;
    private final Instant now;
    private final Duration allowance;

    public FutureSnapshotException(final String vendor, final Instant generatedAt, final Instant now,
                                   final Duration allowance) {
        super("snapshot of " + vendor + " generated at " + generatedAt + " is ahead of now (" + now
            + ") by more than the allowed clock skew " + allowance + ": refused (the vendor's clock or the file is wrong)");
        this.vendor = vendor;
        this.generatedAt = generatedAt;
        this.now = now;
        this.allowance = allowance;
    }

    public String vendor() {
        return vendor;
    }

    public Instant generatedAt() {
        return generatedAt;
    }

    /** The ingestor's clock when the snapshot was refused. */
    public Instant now() {
        return now;
    }

    /** {@link IngestConfig#maxClockSkew()} at the time. */
    public Duration allowance() {
        return allowance;
    }
}
