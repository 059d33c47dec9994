package fr.creneau.feed;

import java.time.Instant;

import fr.creneau.error.CreneauException;

/**
 * A vendor snapshot generated before the one already applied for that vendor. Applying it would
 * resurrect slots that were taken since, so it is refused whole and changes nothing.
 */
public final class StaleSnapshotException extends CreneauException {
    private static final long serialVersionUID = 1L;

    private final String vendor;
    private final Instant generatedAt;
    private final Instant applied;

    public StaleSnapshotException(final String vendor, final Instant generatedAt, final Instant applied) {
        super("snapshot of " + vendor + " generated at " + generatedAt
            + " is older than the one applied (" + applied + "): refused");
        this.vendor = vendor;
        this.generatedAt = generatedAt;
        this.applied = applied;
    }

    public String vendor() {
        return vendor;
    }

    public Instant generatedAt() {
        return generatedAt;
    }

    public Instant applied() {
        return applied;
    }
}
