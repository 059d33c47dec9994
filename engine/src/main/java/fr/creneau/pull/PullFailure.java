package fr.creneau.pull;

import java.util.List;

/**
 * A batch that failed, for the listener: which vendor, which practitioners, why.
 *
 * @param vendor the vendor's display name
 * @param asked  the RPPS the search named
 * @param kind   the failure's kind
 * @param detail one line (status, OperationOutcome diagnostics, parser message)
 */
public record PullFailure(String vendor, List<Long> asked, FailureKind kind, String detail) {
    public PullFailure {
        asked = List.copyOf(asked);
    }
}
