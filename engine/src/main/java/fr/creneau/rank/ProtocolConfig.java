package fr.creneau.rank;

/**
 * The local rules of the ranking protocol, beside the distances of {@link RankingConfig}.
 * Immutable, safe to share between threads; the builder is not thread-safe.
 */
public final class ProtocolConfig {
    /** Participants first. */
    public static final ProtocolConfig DEFAULTS = builder().build();

    private final boolean participantsFirst;

    private ProtocolConfig(final Builder b) {
        this.participantsFirst = b.participantsFirst;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code true} (the default): in step 2, practitioners registered with the SAS (participation
     * other than NONE) come before those whose slots arrive only because vendors send them by
     * default, whatever the distance; then distance band, hour and rotation as before.
     */
    public boolean participantsFirst() {
        return participantsFirst;
    }

    /** Builder of a {@link ProtocolConfig}, starting from the defaults. */
    public static final class Builder {
        private boolean participantsFirst = true;

        private Builder() {
        }

        public Builder participantsFirst(final boolean on) {
            this.participantsFirst = on;
            return this;
        }

        public ProtocolConfig build() {
            return new ProtocolConfig(this);
        }
    }
}
