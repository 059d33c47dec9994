package fr.creneau.pull;

import java.time.Duration;
import java.time.Instant;

/**
 * One vendor's counters since the puller was built, for the host's monitoring.
 *
 * @param vendor              the vendor's display name
 * @param requests            HTTP requests sent (pages included)
 * @param answered            batches answered and applied
 * @param failed              batches failed, whatever the kind (breaker refusals included)
 * @param lastSuccess         when a batch was last applied, by the puller's clock, or {@code null}
 * @param consecutiveFailures failed requests since the last success
 * @param breaker             the breaker's state now
 * @param breakerOpened       how many times the breaker opened
 * @param latencyP50          median time from sending a request to its whole answer (HdrHistogram,
 *                            1% resolution), or {@code null} before any answer; timeouts are not in it
 * @param latencyP99          its 99th percentile, or {@code null}
 */
public record VendorStats(String vendor, long requests, long answered, long failed, Instant lastSuccess,
                          int consecutiveFailures, CircuitBreaker.State breaker, long breakerOpened,
                          Duration latencyP50, Duration latencyP99) {
}
