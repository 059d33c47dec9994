package fr.creneau.pull;

/** Why one request of a pull failed. A failed request changes nothing indexed. */
public enum FailureKind {
    /** No answer within the endpoint's {@code timeoutMs} (answer body included). */
    TIMEOUT,
    /** Could not connect, TLS handshake refused, connection reset. */
    CONNECTION,
    /** An HTTP status other than 200 without an OperationOutcome body. */
    HTTP_ERROR,
    /** The vendor answered an OperationOutcome (the guide's failure answer), with any status. */
    OPERATION_OUTCOME,
    /** The answer is not a readable searchset Bundle (truncated, not JSON, bad link, too large). */
    MALFORMED,
    /** Not sent: the vendor's circuit breaker is open. */
    BREAKER_OPEN,
    /** Read but refused when applied (stale, dated in the future, unknown vendor). */
    REFUSED
}
