package fr.creneau.bench;

import fr.creneau.directory.Profession;
import fr.creneau.feed.Modality;
import fr.creneau.slot.Minutes;
import fr.creneau.rank.RegulatorQuery;

/**
 * One regulator query, pre-drawn, in a form all three implementations read: Créneau through
 * {@link #fill(RegulatorQuery)} (no allocation), the baselines from the fields. Immutable.
 *
 * @param lat           patient latitude
 * @param lon           patient longitude
 * @param nowMinute     "now", minutes since 2020-01-01T00:00Z
 * @param windowMinutes window from now
 * @param modality      modality asked for
 * @param profession    profession asked for
 * @param mtRpps        médecin traitant, or 0
 * @param limit         rows wanted (MT row included)
 */
public record QuerySpec(double lat, double lon, int nowMinute, int windowMinutes, Modality modality,
                        Profession profession, long mtRpps, int limit) {
    /** Epoch milliseconds of {@link #nowMinute}. */
    public long nowEpochMillis() {
        return (Minutes.EPOCH_SECOND + 60L * nowMinute) * 1000L;
    }

    /** Fills a reusable query; allocation-free. */
    public RegulatorQuery fill(final RegulatorQuery q) {
        return q.reset().patient(lat, lon).nowEpochMillis(nowEpochMillis()).windowMinutes(windowMinutes)
            .modality(modality).profession(profession).medecinTraitant(mtRpps).limit(limit);
    }
}
