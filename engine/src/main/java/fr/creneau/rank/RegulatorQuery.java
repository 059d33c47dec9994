package fr.creneau.rank;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

import fr.creneau.slot.SupportedTime;
import fr.creneau.directory.Profession;
import fr.creneau.feed.Modality;
import fr.creneau.slot.Minutes;

/**
 * What the regulator asks: find this patient a practitioner near them within a window. A mutable,
 * reusable holder: a thread fills it, hands it to its {@link Searcher}, and reuses it for the next
 * call, so that asking allocates nothing. Not thread-safe.
 *
 * <p>Defaults after {@link #reset()}: window 48 h, OFFICE, GP, no MT, nothing excluded, limit 10,
 * maximum distance from the {@link RankingConfig} for the modality.
 */
public final class RegulatorQuery {
    /** Largest window: the SAS aggregates 48 hours. */
    public static final int MAX_WINDOW_MINUTES = 48 * 60;

    double lat;
    double lon;
    int nowMinute;
    int windowMinutes;
    Modality modality;
    Profession profession;
    long mtRpps;
    long[] excluded = new long[8];
    int excludedCount;
    /** Structures (or CPTS) whose row is left out; their members' own slot rows are not. */
    String[] excludedStructures = new String[4];
    int excludedStructureCount;
    int limit;
    double maxDistanceKm;
    String departement;
    boolean positioned;
    boolean timed;

    public RegulatorQuery() {
        reset();
    }

    /** Back to the defaults (patient and time unset). */
    public RegulatorQuery reset() {
        positioned = false;
        timed = false;
        windowMinutes = MAX_WINDOW_MINUTES;
        modality = Modality.OFFICE;
        profession = Profession.GP;
        mtRpps = 0;
        excludedCount = 0;
        excludedStructureCount = 0;
        limit = 10;
        maxDistanceKm = Double.NaN;
        departement = null;
        return this;
    }

    /** The patient's WGS84 position, degrees. */
    public RegulatorQuery patient(final double lat, final double lon) {
        if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
            throw new IllegalArgumentException("patient position out of range: " + lat + "," + lon);
        }
        this.lat = lat;
        this.lon = lon;
        this.positioned = true;
        return this;
    }

    /**
     * "Now", in epoch milliseconds (allocation-free form of {@link #now(Instant)}).
     *
     * @throws fr.creneau.slot.TimeOutOfRangeException outside {@link SupportedTime}'s range
     */
    public RegulatorQuery nowEpochMillis(final long epochMillis) {
        SupportedTime.checkEpochMillis(epochMillis, "query's now");
        this.nowMinute = (int) Math.floorDiv(Math.floorDiv(epochMillis, 1000L) - Minutes.EPOCH_SECOND, 60L);
        this.timed = true;
        return this;
    }

    /**
     * "Now".
     *
     * @throws fr.creneau.slot.TimeOutOfRangeException outside {@link SupportedTime}'s range: the index
     *                                             cannot look there
     */
    public RegulatorQuery now(final Instant now) {
        this.nowMinute = Minutes.floor(SupportedTime.check(now, "query's now"));
        this.timed = true;
        return this;
    }

    /** Window from now, in minutes: from a few hours to 48 h. */
    public RegulatorQuery windowMinutes(final int minutes) {
        if (minutes <= 0 || minutes > MAX_WINDOW_MINUTES) {
            throw new IllegalArgumentException("window must be 1.." + MAX_WINDOW_MINUTES + " minutes: " + minutes);
        }
        this.windowMinutes = minutes;
        return this;
    }

    public RegulatorQuery modality(final Modality modality) {
        this.modality = Objects.requireNonNull(modality, "modality");
        return this;
    }

    public RegulatorQuery profession(final Profession profession) {
        this.profession = Objects.requireNonNull(profession, "profession");
        return this;
    }

    /** The patient's médecin traitant, or 0 when unknown. */
    public RegulatorQuery medecinTraitant(final long rpps) {
        this.mtRpps = rpps;
        return this;
    }

    /**
     * Leaves out the row of a structure or CPTS (a case's declined contact): the structure is not
     * proposed, while its members' own free slots still are. An id the directory does not know is
     * ignored.
     */
    public RegulatorQuery excludeStructure(final String id) {
        if (excludedStructureCount == excludedStructures.length) {
            excludedStructures = Arrays.copyOf(excludedStructures, excludedStructureCount * 2);
        }
        excludedStructures[excludedStructureCount++] = java.util.Objects.requireNonNull(id, "id");
        return this;
    }

    /** A practitioner the patient refused, or whom the next proposal must differ from. */
    public RegulatorQuery exclude(final long rpps) {
        if (excludedCount == excluded.length) {
            excluded = Arrays.copyOf(excluded, excludedCount * 2);
        }
        excluded[excludedCount++] = rpps;
        return this;
    }

    /** Most rows returned (MT row included). */
    public RegulatorQuery limit(final int limit) {
        if (limit <= 0 || limit > SearchResults.MAX_ROWS) {
            throw new IllegalArgumentException("limit must be 1.." + SearchResults.MAX_ROWS + ": " + limit);
        }
        this.limit = limit;
        return this;
    }

    /** Overrides the maximum distance of the modality's default, km. */
    public RegulatorQuery maxDistanceKm(final double km) {
        if (!(km > 0)) {
            throw new IllegalArgumentException("max distance must be positive: " + km);
        }
        this.maxDistanceKm = km;
        return this;
    }

    /**
     * The patient's département (01..95, 2A, 2B, 971..976), when the host knows it from an address;
     * {@code null} (the default): from the position (see {@link Departements}).
     */
    public RegulatorQuery departement(final String code) {
        if (code != null && Departements.bundled().indexOf(code) < 0) {
            throw new IllegalArgumentException("unknown département: " + code);
        }
        this.departement = code;
        return this;
    }

    public double lat() {
        return lat;
    }

    public double lon() {
        return lon;
    }

    public int nowMinute() {
        return nowMinute;
    }

    public Modality modality() {
        return modality;
    }

    public int limit() {
        return limit;
    }

    void check() {
        if (!positioned) {
            throw new IllegalStateException("query has no patient position");
        }
        if (!timed) {
            throw new IllegalStateException("query has no 'now'");
        }
    }
}
