package fr.creneau.examples.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Structure;
import fr.creneau.directory.StructureKind;
import fr.creneau.feed.DirectoryLoader;
import fr.creneau.feed.IngestReport;
import fr.creneau.feed.RejectReason;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.Modality;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.ResultKind;
import fr.creneau.rank.SearchResults;

/**
 * Issue 15 in the generator (and so in the embedded sample, which is its tiny scale): GPs with a
 * second site, structures of every kind in {@code structures.json}, all loaded by the engine
 * without a rejection, and slots at second sites ranked there.
 */
class SitesAndStructuresGenerationTest {
    static final Instant TUESDAY = Instant.parse("2026-11-24T07:00:00Z"); // 08:00 in Paris: second sites work

    @TempDir
    static Path tmp;
    static Path dir;
    static GeneratedSummary summary;
    static DirectoryLoader.Result loaded;

    @BeforeAll
    static void generate() throws IOException {
        dir = tmp.resolve("tiny");
        summary = new DataGenerator(GeneratorConfig.of(42, Scale.TINY, TUESDAY)).generate(dir);
        loaded = new DirectoryLoader(VendorRegistry.defaults()).load(dir.resolve(DataGenerator.PRACTITIONERS_FILE));
    }

    @Test
    void aboutOneGpInTenHasASecondSiteHalfOfThemKnownByAddressOnly() {
        final Directory d = loaded.directory();
        int gps = 0;
        int twoSites = 0;
        int approximate = 0;
        for (int i = 0; i < d.capacity(); i++) {
            final Practitioner p = d.get(i);
            if (p == null || p.profession() != Profession.GP) {
                assertThat(p == null || p.sites().size() == 1).isTrue();
                continue;
            }
            gps++;
            if (p.sites().size() == 2) {
                twoSites++;
                approximate += p.sites().get(1).approximate() ? 1 : 0;
                assertThat(p.mainSite().approximate()).isFalse();
                assertThat(p.sites().get(1).address().inseeCode()).isNotNull();
            }
        }
        assertThat(twoSites).isEqualTo(summary.secondSites());
        assertThat((double) twoSites / gps).isBetween(0.07, 0.13);
        assertThat((double) approximate / twoSites).isBetween(0.3, 0.7);
    }

    @Test
    void structuresOfEveryKindLoadWithoutRejection() {
        assertThat(loaded.report().rejectedByReason()).isEmpty();
        assertThat(loaded.structures().rejectedByReason()).isEmpty();
        assertThat(loaded.structures().accepted()).isEqualTo(summary.structures());
        final Set<StructureKind> kinds = EnumSet.noneOf(StructureKind.class);
        final Map<String, Integer> members = new HashMap<>();
        for (final Structure s : loaded.directory().structures()) {
            kinds.add(s.kind());
        }
        for (int i = 0; i < loaded.directory().capacity(); i++) {
            final Practitioner p = loaded.directory().get(i);
            if (p != null && p.structure() != null) {
                members.merge(p.structure(), 1, Integer::sum);
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder(StructureKind.values());
        assertThat(loaded.directory().structures()).hasSize(summary.structures());
        final Structure mmg = loaded.directory().structure("mmg-48");
        assertThat(mmg.hours()).isNotEmpty();
        assertThat(mmg.approximate()).isTrue(); // at its commune
        assertThat(members.get("mmg-48")).isNull();
        assertThat(members).isNotEmpty();
    }

    @Test
    void slotsAtSecondSitesAreIngestedAndRankedByThatSite() {
        try (Creneau c = Creneau.builder().clock(Clock.fixed(TUESDAY, ZoneOffset.UTC)).expiryTimer(false).build()) {
            c.loadDirectory(dir.resolve(DataGenerator.PRACTITIONERS_FILE));
            int rejected = 0;
            for (final String sub : new String[] {DataGenerator.FEEDS_DIR, DataGenerator.MANUAL_DIR}) {
                try (var files = java.nio.file.Files.list(dir.resolve(sub))) {
                    for (final Path f : files.sorted().toList()) {
                        final IngestReport r = sub.equals(DataGenerator.MANUAL_DIR) ? c.ingestManual(f)
                            : c.ingestVendorFeed(f);
                        rejected += r.rejected(RejectReason.UNKNOWN_SITE);
                    }
                } catch (final IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            assertThat(rejected).isZero();
            // Some row of a search around a second site is at that site, at its distance.
            final Directory d = loaded.directory();
            int atSecond = 0;
            final SearchResults r = new SearchResults();
            for (int i = 0; i < d.capacity() && atSecond == 0; i++) {
                final Practitioner p = d.get(i);
                if (p == null || p.sites().size() < 2) {
                    continue;
                }
                final var second = p.sites().get(1);
                final int rows = c.search(new RegulatorQuery().patient(second.lat(), second.lon()).now(TUESDAY)
                    .modality(Modality.OFFICE).limit(20), r);
                for (int k = 0; k < rows; k++) {
                    if (r.kind(k) == ResultKind.SLOT && r.rpps(k) == p.rpps() && r.site(k).id().equals("site-2")) {
                        assertThat(r.distanceKm(k)).isLessThan(0.01);
                        assertThat(r.approximate(k)).isEqualTo(second.approximate());
                        atSecond++;
                    }
                }
            }
            assertThat(atSecond).isPositive();
        }
    }
}
