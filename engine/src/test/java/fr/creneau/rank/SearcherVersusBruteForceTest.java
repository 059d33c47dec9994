package fr.creneau.rank;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import fr.creneau.Creneau;
import fr.creneau.EngineInternals;
import fr.creneau.directory.Profession;
import fr.creneau.feed.Modality;
import fr.creneau.index.CellTable;
import fr.creneau.index.Geo;
import fr.creneau.index.H3;
import fr.creneau.slot.Minutes;

/**
 * The searcher walks cells outward and stops early; a brute force over every practitioner must
 * agree with it row for row, whatever the density, the distance limit (inside and beyond the ring
 * tables' 40 km) or the row limit; SAS participants come before practitioners whose slots are
 * only sent by default, whatever the distance.
 */
class SearcherVersusBruteForceTest {
    private static final String[] MODALITIES = {"OFFICE", "TELECONSULTATION", "HOME_VISIT"};

    record Doctor(long rpps, double lat, double lon, Profession profession, boolean participant, List<int[]> slots) {
    }

    @Property(tries = 40)
    void theSearcherAgreesWithABruteForceRanking(@ForAll @LongRange(min = 1, max = 1_000_000) final long seed)
        throws IOException {
        final SplittableRandom random = new SplittableRandom(seed);
        final Path dir = Files.createTempDirectory("brute");
        final Scenario s = new Scenario(dir);
        final List<Doctor> doctors = new ArrayList<>();
        final int count = 50 + random.nextInt(250);
        // A dense centre (Lyon), a sparse surrounding up to ~120 km, and a block of ~600 m where
        // the index keys sites in finer cells than resolution 7 (CellTable.LEAF_UNITS): the walk
        // then mixes cells of several resolutions.
        // Alternately a block keyed at resolution 8 and one keyed at 9 (more than 7 × LEAF_UNITS
        // units in its area: its group's walk goes through resolution-8 sub-blocks).
        final boolean finer = seed % 2 == 0;
        final int block = finer ? 8 * CellTable.LEAF_UNITS + random.nextInt(2 * CellTable.LEAF_UNITS)
            : 3 * CellTable.LEAF_UNITS + random.nextInt(3 * CellTable.LEAF_UNITS);
        for (int i = 0; i < count + block; i++) {
            final boolean inBlock = i >= count;
            final boolean dense = random.nextInt(3) > 0;
            final double lat = inBlock ? 45.760 + random.nextDouble() * (finer ? 0.003 : 0.006)
                : dense ? 45.70 + random.nextDouble() * 0.15 : 45.0 + random.nextDouble() * 1.5;
            final double lon = inBlock ? 4.830 + random.nextDouble() * (finer ? 0.004 : 0.008)
                : dense ? 4.78 + random.nextDouble() * 0.15 : 4.0 + random.nextDouble() * 1.8;
            // Mostly GPs, some nurses and midwives: a cell's entries are split by profession
            // (CellTable), and a query reads its profession's alone.
            final int draw = random.nextInt(8);
            final Profession profession = draw < 5 ? Profession.GP : draw < 7 ? Profession.NURSE : Profession.MIDWIFE;
            // A third send their slots by default only (participation NONE): they come after the participants.
            final boolean participant = random.nextInt(3) > 0;
            final long rpps = s.practitioner("d" + i, profession.name(), lat, lon, "Doctolib", false, null,
                participant ? "INDIVIDUAL" : "NONE");
            final List<int[]> slots = new ArrayList<>();
            int minute = random.nextInt(600);
            for (int k = random.nextInt(6); k > 0; k--) {
                final int modality = random.nextInt(3);
                s.slot("Doctolib", rpps, minute, MODALITIES[modality]);
                slots.add(new int[] {minute, modality});
                minute += 20 + random.nextInt(900);
                if (minute > 47 * 60) {
                    break;
                }
            }
            doctors.add(new Doctor(rpps, lat, lon, profession, participant, slots));
        }
        final Creneau creneau = s.load();
        final CellTable cells = EngineInternals.index(creneau).cells();
        int fine = 0;
        int finest = CellTable.RESOLUTION;
        for (int c = 0; c < cells.cellCount(); c++) {
            final int r = H3.CORE.getResolution(cells.cell(c));
            fine += r > CellTable.RESOLUTION ? 1 : 0;
            finest = Math.max(finest, r);
        }
        assertThat(fine).as("cells finer than resolution 7 around the block").isPositive();
        if (finer) {
            assertThat(finest).as("cells of resolution 9 or finer in the block").isGreaterThan(8);
        }
        final RegulatorQuery query = new RegulatorQuery();
        final SearchResults results = new SearchResults();
        // Rows shown to operators (issue 17): random counts, as recordSearch would leave them, so
        // the rotation's least-proposed-first is checked against the brute force too.
        final java.util.Map<Long, Integer> proposed = new java.util.HashMap<>();
        for (final Doctor doctor : doctors) {
            final int times = random.nextInt(4) == 0 ? 0 : random.nextInt(3);
            for (int t = 0; t < times; t++) {
                creneau.exposure().proposed(creneau.directory(), doctor.rpps());
            }
            proposed.put(doctor.rpps(), times);
        }
        for (int q = 0; q < 30; q++) {
            // A third of the patients in or around the block.
            final boolean near = q % 3 == 0;
            final double lat = near ? 45.755 + random.nextDouble() * 0.016 : 45.0 + random.nextDouble() * 1.5;
            final double lon = near ? 4.823 + random.nextDouble() * 0.022 : 4.0 + random.nextDouble() * 1.8;
            final int modality = random.nextInt(3);
            final double maxKm = 2 + random.nextDouble() * 90;
            final int limit = 1 + random.nextInt(15);
            final Profession profession = q % 4 == 3 ? Profession.values()[1 + random.nextInt(2)] : Profession.GP;
            final int window = 60 + random.nextInt(47 * 60);
            query.reset().patient(lat, lon).now(Scenario.NOW).modality(Modality.values()[modality])
                .maxDistanceKm(maxKm).limit(limit).windowMinutes(window).profession(profession);
            creneau.search(query, results);

            final int now = Minutes.floor(Scenario.NOW);
            final int seedPeriod = now / RankingConfig.DEFAULTS.rotationMinutes();
            final List<long[]> expected = new ArrayList<>(); // {key, index in doctors, start}
            for (int d = 0; d < doctors.size(); d++) {
                final Doctor doctor = doctors.get(d);
                final double km = Geo.distanceKm(lat, lon, doctor.lat(), doctor.lon());
                if (doctor.profession() != profession || km > maxKm) {
                    continue;
                }
                int earliest = Integer.MAX_VALUE;
                for (final int[] slot : doctor.slots()) {
                    if (slot[1] == modality && slot[0] < window && slot[0] < earliest) {
                        earliest = slot[0];
                    }
                }
                if (earliest == Integer.MAX_VALUE) {
                    continue;
                }
                final long band = (long) (km / RankingConfig.DEFAULTS.distanceBandKm());
                // SAS participants before the others, then band, hour, rotation: least proposed,
                // then the period's hash (Searcher.rankKey).
                final long key = ((doctor.participant() ? 0L : 1L) << 60) | (band << 40) | ((long) (earliest / 60) << 32)
                    | (Searcher.rotation(doctor.rpps(), seedPeriod, proposed.getOrDefault(doctor.rpps(), 0)) & 0xFFFF_FFFFL);
                expected.add(new long[] {key, d, earliest});
            }
            // Ties on the key fall to the practitioner index: the directory order, here the doctors' order.
            expected.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
            final List<String> want = new ArrayList<>();
            for (int i = 0; i < Math.min(limit, expected.size()); i++) {
                want.add(doctors.get((int) expected.get(i)[1]).rpps() + "@" + expected.get(i)[2]);
            }
            final List<String> got = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                if (results.kind(i) == ResultKind.SLOT) {
                    got.add(results.rpps(i) + "@" + (results.startMinute(i) - now));
                    // Each row's distance is the haversine to its practitioner's site, however step 2 decided its band.
                    final long rpps = results.rpps(i);
                    final Doctor doctor = doctors.stream().filter(x -> x.rpps() == rpps).findFirst().orElseThrow();
                    assertThat(results.distanceKm(i)).as("query %d row %d distance", q, i)
                        .isCloseTo(Geo.distanceKm(lat, lon, doctor.lat(), doctor.lon()), org.assertj.core.data.Offset.offset(1e-9));
                }
            }
            assertThat(got).as("query %d: %s at %.4f,%.4f modality %d within %.1f km, limit %d, window %d",
                q, profession, lat, lon, modality, maxKm, limit, window).isEqualTo(want);
        }
    }
}
