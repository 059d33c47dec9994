package fr.creneau.rank;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import fr.creneau.calendar.CareHours;
import fr.creneau.calendar.CareHoursConfig;
import fr.creneau.directory.Territory;
import fr.creneau.pdsa.PdsaLayer;

/**
 * The local rules of the ranking protocol, beside the distances of {@link RankingConfig}: SAS
 * participants first, the channel from the hours (with regional overrides), the office radius per
 * département with its widening, the order of the second level per département, and the PDSA
 * layer. Immutable, safe to share between threads; the builder is not thread-safe.
 *
 * <p>A query's département comes from the patient's position ({@link Departements}) unless the
 * query names it; its hours are the override given for that département, else the national rules
 * in the territory's time zone and holiday zone ({@link CareHoursConfig#forTerritory}).
 */
public final class ProtocolConfig {
    /** The groups of the second level (nothing free, SAS channel). */
    public enum SecondLevel {
        /** A CPTS, for its surnuméraire members. */
        CPTS,
        /** Surnuméraire doctors registered through SOS Médecins. */
        SOS_MEDECINS,
        /** Surnuméraire doctors registered through another structure (MSP, CDS). */
        STRUCTURES,
        /** Surnuméraire doctors registered individually. */
        INDIVIDUALS
    }

    /** Participants first, channel from the hours, bundled radii, no second-level order, no PDSA data. */
    public static final ProtocolConfig DEFAULTS = builder().build();

    private final boolean participantsFirst;
    private final boolean channelFromHours;
    private final boolean departementRadii;
    private final int widenUntil;
    private final double widenCapKm;
    private final PdsaLayer pdsa;
    private final double pdsaStructureMaxKm;
    private final Departements departements;
    private final CareHours[] hoursByDepartement;
    private final Map<Territory, CareHours> hoursByTerritory = new EnumMap<>(Territory.class);
    private final int[][] secondLevelRankByDepartement;
    private final int[] defaultSecondLevelRank;

    private ProtocolConfig(final Builder b) {
        this.participantsFirst = b.participantsFirst;
        this.channelFromHours = b.channelFromHours;
        this.departementRadii = b.departementRadii;
        this.widenUntil = b.widenUntil;
        this.widenCapKm = b.widenCapKm;
        this.pdsa = b.pdsa;
        this.pdsaStructureMaxKm = b.pdsaStructureMaxKm;
        this.departements = Departements.bundled();
        this.hoursByDepartement = new CareHours[departements.size()];
        for (final Map.Entry<String, CareHoursConfig> e : b.hours.entrySet()) {
            hoursByDepartement[index(e.getKey())] = CareHours.of(e.getValue());
        }
        for (final Territory t : Territory.values()) {
            hoursByTerritory.put(t, CareHours.forTerritory(t));
        }
        this.defaultSecondLevelRank = ranks(b.secondLevel);
        this.secondLevelRankByDepartement = new int[departements.size()][];
        for (final Map.Entry<String, List<SecondLevel>> e : b.secondLevelByDepartement.entrySet()) {
            secondLevelRankByDepartement[index(e.getKey())] = ranks(e.getValue());
        }
    }

    private int index(final String code) {
        final int i = departements.indexOf(code);
        if (i < 0) {
            throw new IllegalArgumentException("unknown département: " + code);
        }
        return i;
    }

    /** Rank of each group: its position in the order; groups left out come after, together. */
    private static int[] ranks(final List<SecondLevel> order) {
        final int[] rank = new int[SecondLevel.values().length];
        java.util.Arrays.fill(rank, order.isEmpty() ? 0 : order.size());
        for (int i = 0; i < order.size(); i++) {
            rank[order.get(i).ordinal()] = i;
        }
        return rank;
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

    /** {@code true} (the default): the channel comes from the hours; {@code false}: always SAS. */
    public boolean channelFromHours() {
        return channelFromHours;
    }

    /**
     * {@code true} (the default): the office-visit radius is the département's (the bundled table),
     * widened by its step while fewer than {@link #widenUntil()} practitioners have a slot within
     * it, up to {@link #widenCapKm()}; {@code false}: {@link RankingConfig#officeMaxKm()}.
     */
    public boolean departementRadii() {
        return departementRadii;
    }

    /** Practitioners with a slot the office radius must hold before it stops widening (5, the platform's aim). */
    public int widenUntil() {
        return widenUntil;
    }

    /**
     * Bound of the widening, km (60: the ring tables' default radius, so that the widened search
     * stays on the fast path). The widening of a département stops at its radius plus two of its
     * steps, or at {@link RankingConfig#officeMaxKm()} when that is farther, never beyond this
     * bound; a département whose own radius is larger keeps it.
     */
    public double widenCapKm() {
        return widenCapKm;
    }

    /** The PDSA sectors and roster ({@link PdsaLayer#EMPTY} by default). */
    public PdsaLayer pdsa() {
        return pdsa;
    }

    /** How far an MMG or an SOS Médecins association may be for the PDSA second level, km (50). */
    public double pdsaStructureMaxKm() {
        return pdsaStructureMaxKm;
    }

    /** The département table the queries are resolved against. */
    public Departements departements() {
        return departements;
    }

    /** The hours of a département (its override), else of the territory; {@code dep} may be -1. */
    public CareHours hours(final int dep, final Territory territory) {
        final CareHours h = dep >= 0 ? hoursByDepartement[dep] : null;
        return h != null ? h : hoursByTerritory.get(territory == null ? Territory.METROPOLE : territory);
    }

    /** Rank of a second-level group in the département's order (0 first); {@code dep} may be -1. */
    int secondLevelRank(final int dep, final SecondLevel group) {
        final int[] ranks = dep >= 0 && secondLevelRankByDepartement[dep] != null
            ? secondLevelRankByDepartement[dep] : defaultSecondLevelRank;
        return ranks[group.ordinal()];
    }

    /** Builder of a {@link ProtocolConfig}, starting from the defaults. */
    public static final class Builder {
        private boolean participantsFirst = true;
        private boolean channelFromHours = true;
        private boolean departementRadii = true;
        private int widenUntil = 5;
        private double widenCapKm = 60;
        private PdsaLayer pdsa = PdsaLayer.EMPTY;
        private double pdsaStructureMaxKm = 50;
        private final Map<String, CareHoursConfig> hours = new HashMap<>();
        private List<SecondLevel> secondLevel = List.of();
        private final Map<String, List<SecondLevel>> secondLevelByDepartement = new HashMap<>();

        private Builder() {
        }

        public Builder participantsFirst(final boolean on) {
            this.participantsFirst = on;
            return this;
        }

        public Builder channelFromHours(final boolean on) {
            this.channelFromHours = on;
            return this;
        }

        public Builder departementRadii(final boolean on) {
            this.departementRadii = on;
            return this;
        }

        public Builder widenUntil(final int practitioners) {
            if (practitioners < 0) {
                throw new IllegalArgumentException("widenUntil must be >= 0");
            }
            this.widenUntil = practitioners;
            return this;
        }

        public Builder widenCapKm(final double km) {
            if (!(km > 0)) {
                throw new IllegalArgumentException("widenCapKm must be positive");
            }
            this.widenCapKm = km;
            return this;
        }

        public Builder pdsa(final PdsaLayer layer) {
            this.pdsa = Objects.requireNonNull(layer, "pdsa");
            return this;
        }

        public Builder pdsaStructureMaxKm(final double km) {
            if (!(km > 0)) {
                throw new IllegalArgumentException("pdsaStructureMaxKm must be positive");
            }
            this.pdsaStructureMaxKm = km;
            return this;
        }

        /** The regional hours of a département (its région's cahier des charges). */
        public Builder hours(final String departement, final CareHoursConfig config) {
            hours.put(Objects.requireNonNull(departement, "departement"), Objects.requireNonNull(config, "config"));
            return this;
        }

        /** The national order of the second level; empty (the default): all groups by distance together. */
        public Builder secondLevelOrder(final List<SecondLevel> order) {
            this.secondLevel = List.copyOf(order);
            return this;
        }

        /** A département's own order of the second level (territories that validated theirs). */
        public Builder secondLevelOrder(final String departement, final List<SecondLevel> order) {
            secondLevelByDepartement.put(Objects.requireNonNull(departement, "departement"), List.copyOf(order));
            return this;
        }

        public ProtocolConfig build() {
            return new ProtocolConfig(this);
        }
    }
}
