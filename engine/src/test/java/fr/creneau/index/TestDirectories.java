package fr.creneau.index;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.Territory;

/** Small directories built in code, with real positions. */
public final class TestDirectories {
    private TestDirectories() {
    }

    public static Practitioner gp(final int n, final double lat, final double lon) {
        final long rpps = Long.parseLong(Rpps.withCheckDigit(String.format("1%09d", n)));
        return new Practitioner(rpps, "Dr " + n, Profession.GP, lat, lon, "01 00 00 00 " + n % 100, "doctolib",
            false, Participation.INDIVIDUAL, false, null, Territory.of(lat, lon));
    }

    /** {@code count} GPs around central Paris, a few in each of several H3 cells. */
    public static Directory paris(final int count) {
        final Directory.Builder b = Directory.builder();
        for (int i = 0; i < count; i++) {
            // ~1.5 km steps: neighbours share cells, far ones do not.
            b.add(gp(i, 48.85 + 0.013 * (i % 4), 2.33 + 0.02 * (i / 4 % 4)));
        }
        return b.build();
    }
}
