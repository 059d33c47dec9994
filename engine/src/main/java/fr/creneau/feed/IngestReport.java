package fr.creneau.feed;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one ingest did: how many records were read, kept, and not kept by reason, with the first
 * rejections as samples for a human. Immutable.
 */
public final class IngestReport {
    /** Samples kept per report: enough to diagnose a vendor, bounded for a 2M-slot snapshot gone bad. */
    public static final int MAX_SAMPLES = 100;

    private final String label;
    private final String source;
    private final Instant generatedAt;
    private final int received;
    private final int accepted;
    private final Map<RejectReason, Integer> rejected;
    private final List<Rejection> samples;
    private final int practitionersChanged;
    private final int placedAtMainSite;

    private IngestReport(final Builder b) {
        this.label = b.label;
        this.source = b.source;
        this.generatedAt = b.generatedAt;
        this.received = b.received;
        this.accepted = b.accepted;
        final EnumMap<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);
        for (final RejectReason r : RejectReason.values()) {
            if (b.counts[r.ordinal()] > 0) {
                counts.put(r, b.counts[r.ordinal()]);
            }
        }
        this.rejected = Collections.unmodifiableMap(counts);
        this.samples = List.copyOf(b.samples);
        this.practitionersChanged = b.practitionersChanged;
        this.placedAtMainSite = b.placedAtMainSite;
    }

    public static Builder builder(final String label, final String source, final Instant generatedAt) {
        return new Builder(label, source, generatedAt);
    }

    /** File name or label of the input. */
    public String label() {
        return label;
    }

    /** Vendor display name, {@code "manual"}, or {@code "directory"}. */
    public String source() {
        return source;
    }

    /** Snapshot time declared by the vendor, or {@code null}. */
    public Instant generatedAt() {
        return generatedAt;
    }

    /** Records read from the input, kept or not. */
    public int received() {
        return received;
    }

    /** Records kept. */
    public int accepted() {
        return accepted;
    }

    /** Records not kept, by reason (reasons with a zero count are absent). */
    public Map<RejectReason, Integer> rejectedByReason() {
        return rejected;
    }

    /** Count for one reason (0 when none). */
    public int rejected(final RejectReason reason) {
        return rejected.getOrDefault(reason, 0);
    }

    /** All records not kept. */
    public int rejectedTotal() {
        int total = 0;
        for (final int n : rejected.values()) {
            total += n;
        }
        return total;
    }

    /** Records not kept because the data was bad (not because a rule filtered good data). */
    public int invalidTotal() {
        int total = 0;
        for (final Map.Entry<RejectReason, Integer> e : rejected.entrySet()) {
            if (e.getKey().kind() == RejectReason.Kind.INVALID) {
                total += e.getValue();
            }
        }
        return total;
    }

    /** The first {@link #MAX_SAMPLES} rejections, in input order. */
    public List<Rejection> samples() {
        return samples;
    }

    /** Practitioners whose slots from this source changed (added, removed or modified). */
    public int practitionersChanged() {
        return practitionersChanged;
    }

    /**
     * Kept slots whose FHIR Location matched none of their practitioner's sites and that were put
     * at the main site, the practitioner having only that one (see {@link FeedValidator}); counted
     * in {@link #accepted()} too.
     */
    public int placedAtMainSite() {
        return placedAtMainSite;
    }

    @Override
    public String toString() {
        return label + " (" + source + "): received " + received + ", accepted " + accepted
            + ", rejected " + rejectedTotal() + (rejected.isEmpty() ? "" : " " + rejected)
            + ", practitioners changed " + practitionersChanged
            + (placedAtMainSite == 0 ? "" : ", placed at the main site " + placedAtMainSite);
    }

    /** Not thread-safe: one per ingest. */
    public static final class Builder {
        private final String label;
        private final String source;
        private final Instant generatedAt;
        private final int[] counts = new int[RejectReason.values().length];
        private final List<Rejection> samples = new ArrayList<>();
        private int received;
        private int accepted;
        private int practitionersChanged;
        private int placedAtMainSite;

        private Builder(final String label, final String source, final Instant generatedAt) {
            this.label = Objects.requireNonNull(label, "label");
            this.source = Objects.requireNonNull(source, "source");
            this.generatedAt = generatedAt;
        }

        public Builder received(final int n) {
            received += n;
            return this;
        }

        public Builder accepted() {
            accepted++;
            return this;
        }

        public Builder reject(final Rejection r) {
            counts[r.reason().ordinal()]++;
            if (samples.size() < MAX_SAMPLES) {
                samples.add(r);
            }
            return this;
        }

        public Builder reject(final RejectReason reason, final String recordId, final String detail) {
            return reject(new Rejection(reason, recordId, detail));
        }

        /** Counts a kept slot whose Location matched no site, put at the only (main) site. */
        public Builder placedAtMainSite() {
            placedAtMainSite++;
            return this;
        }

        public Builder practitionersChanged(final int n) {
            practitionersChanged = n;
            return this;
        }

        public IngestReport build() {
            return new IngestReport(this);
        }
    }
}
