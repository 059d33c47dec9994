package fr.creneau.pull;

import java.time.Duration;
import java.util.Map;

import fr.creneau.feed.RejectReason;

/**
 * One pull cycle of one vendor.
 *
 * @param vendor        the vendor's display name
 * @param requests      HTTP requests sent (pages included; batches refused by an open breaker are
 *                      not sent)
 * @param batches       batches of practitioners the cycle had
 * @param answered      batches answered and applied
 * @param practitioners practitioners asked
 * @param accepted      slots accepted into the index
 * @param rejected      slots rejected, by reason
 * @param failures      failed batches, by kind
 * @param elapsed       wall time of the cycle
 * @param breaker       the breaker's state at the end
 * @param latencyP50    median latency of this cycle's requests (sent to whole answer), or {@code null} when none was answered
 * @param latencyP99    its 99th percentile, or {@code null}
 */
public record VendorReport(String vendor, int requests, int batches, int answered, int practitioners, int accepted,
                           Map<RejectReason, Integer> rejected, Map<FailureKind, Integer> failures,
                           Duration elapsed, CircuitBreaker.State breaker, Duration latencyP50, Duration latencyP99) {
    public VendorReport {
        rejected = Map.copyOf(rejected);
        failures = Map.copyOf(failures);
    }

    /** At least one batch was answered and applied (a vendor with no practitioner to ask counts as answered). */
    public boolean anyAnswered() {
        return answered > 0 || batches == 0;
    }

    public int failed() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }
}
