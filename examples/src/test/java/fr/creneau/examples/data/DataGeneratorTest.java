package fr.creneau.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import fr.creneau.directory.Integration;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.Territory;
import fr.creneau.directory.Vendor;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.Modality;
import fr.creneau.feed.Visibility;

/** The tiny scale (Paris 10%, Lozère, La Réunion), generated once for a Monday morning. */
class DataGeneratorTest {
    /** Monday 31 March 2025, 08:00 in Paris (CEST, the day after the spring change). */
    static final Instant MONDAY = Instant.parse("2025-03-31T06:00:00Z");
    static final Set<String> PRACTITIONER_FIELDS = Set.of("rpps", "name", "profession", "lat", "lon", "phone", "vendor",
        "refusesVendorSlots", "participation", "acceptsExtraPatients", "cpts");
    static final Set<String> OPTIONAL_FIELDS = Set.of("rpps", "name", "profession", "lat", "lon", "phone", "vendor",
        "refusesVendorSlots", "participation", "acceptsExtraPatients", "cpts", "sites", "structure");

    @TempDir
    static Path tmp;
    static GeneratedSummary summary;
    static GeneratedData data;

    @BeforeAll
    static void generateTiny() throws IOException {
        summary = new DataGenerator(GeneratorConfig.of(42, Scale.TINY, MONDAY)).generate(tmp.resolve("tiny"));
        data = GeneratedData.read(tmp.resolve("tiny"));
    }

    @Test
    void sameSeedAndNowWriteIdenticalBytes() throws IOException {
        new DataGenerator(GeneratorConfig.of(42, Scale.TINY, MONDAY)).generate(tmp.resolve("again"));
        final Map<String, byte[]> first = GeneratedData.allBytes(tmp.resolve("tiny"));
        final Map<String, byte[]> second = GeneratedData.allBytes(tmp.resolve("again"));
        assertThat(second.keySet()).isEqualTo(first.keySet());
        for (final String file : first.keySet()) {
            assertThat(second.get(file)).as(file).isEqualTo(first.get(file));
        }
    }

    @Test
    void differentSeedWritesDifferentPractitionersAndSlots() throws IOException {
        new DataGenerator(GeneratorConfig.of(43, Scale.TINY, MONDAY)).generate(tmp.resolve("other"));
        final Map<String, byte[]> first = GeneratedData.allBytes(tmp.resolve("tiny"));
        final Map<String, byte[]> other = GeneratedData.allBytes(tmp.resolve("other"));
        assertThat(other.get("practitioners.json")).isNotEqualTo(first.get("practitioners.json"));
        assertThat(other.get("feeds/doctolib.json")).isNotEqualTo(first.get("feeds/doctolib.json"));
    }

    @Test
    void practitionersHaveExactlyTheContractFields() {
        assertThat(data.practitionerList).isNotEmpty();
        for (final JsonNode p : data.practitionerList) {
            final Set<String> fields = new HashSet<>();
            p.fieldNames().forEachRemaining(fields::add);
            // Today's fields, and the sites and structure of issue 15 on some entries only.
            assertThat(fields).as(p.toString()).containsAll(PRACTITIONER_FIELDS);
            assertThat(fields).as(p.toString()).isSubsetOf(OPTIONAL_FIELDS);
            assertThat(p.get("lat").isNumber()).isTrue();
            assertThat(p.get("lon").isNumber()).isTrue();
            assertThat(p.get("refusesVendorSlots").isBoolean()).isTrue();
            assertThat(p.get("acceptsExtraPatients").isBoolean()).isTrue();
            assertThat(Profession.valueOf(p.get("profession").asText())).isNotNull();
            assertThat(Participation.valueOf(p.get("participation").asText())).isNotNull();
            assertThat(p.get("phone").asText()).matches("0[1-9]( \\d\\d){4}");
        }
    }

    @Test
    void everyRppsIsValidAndUnique() {
        final Set<String> seen = new HashSet<>();
        for (final JsonNode p : data.practitionerList) {
            final String rpps = p.get("rpps").asText();
            assertThat(Rpps.problem(rpps)).as(rpps).isNull();
            assertThat(seen.add(rpps)).as("duplicate " + rpps).isTrue();
        }
    }

    @Test
    void everyPositionIsInsideFranceAndInItsDepartementsTerritory() {
        int paris = 0;
        int lozere = 0;
        int reunion = 0;
        for (final JsonNode p : data.practitionerList) {
            final Territory t = GeneratedData.territory(p);
            assertThat(t).as(p.toString()).isNotNull();
            final double lat = p.get("lat").asDouble();
            final double lon = p.get("lon").asDouble();
            if (t == Territory.LA_REUNION) {
                reunion++;
            } else if (isParis(lat, lon)) {
                paris++;
            } else if (isLozere(lat, lon)) {
                lozere++;
            } else {
                throw new AssertionError("outside Paris, Lozère and La Réunion: " + p);
            }
        }
        assertThat(paris).isPositive();
        assertThat(lozere).isPositive();
        assertThat(reunion).isPositive();
    }

    @Test
    void gpCountPerDepartementIsTheAmeliCountTimesTheScale() {
        final Map<String, Integer> ameli = AmeliCounts.gpExclMep();
        final Map<String, Integer> gps = new HashMap<>();
        for (final JsonNode p : data.practitionerList) {
            if (p.get("profession").asText().equals("GP")) {
                gps.merge(departementOf(p), 1, Integer::sum);
            }
        }
        for (final String dep : List.of("75", "48", "974")) {
            final int expected = (int) Math.max(1, Math.round(ameli.get(dep) * 0.10));
            assertThat(gps.get(dep)).as(dep).isEqualTo(expected);
        }
        assertThat(summary.gpsByDepartement()).containsExactly(Map.entry("75", gps.get("75")),
            Map.entry("48", gps.get("48")), Map.entry("974", gps.get("974")));
    }

    @Test
    void franceScalePlansExactlyTheAmeliCountOfEveryDepartement() {
        final Map<String, Integer> planned = new DataGenerator(GeneratorConfig.of(1, Scale.FRANCE, MONDAY)).plannedGpCounts();
        final Map<String, Integer> ameli = AmeliCounts.gpExclMep();
        assertThat(planned).hasSize(101).isEqualTo(ameli);
        assertThat(planned.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(51_775);
    }

    @Test
    void nursesAndMidwivesFollowTheGps() {
        final int gps = summary.byProfession().get(Profession.GP);
        assertThat(summary.byProfession().get(Profession.NURSE)).isBetween((int) (gps * 0.7), (int) (gps * 0.9));
        assertThat(summary.byProfession().get(Profession.MIDWIFE)).isBetween((int) (gps * 0.1), (int) (gps * 0.2));
    }

    @Test
    void vendorsParticipationAndCptsAreConsistent() {
        final VendorRegistry registry = VendorRegistry.defaults();
        final Set<String> displayNames = new HashSet<>();
        for (final Vendor v : registry.vendors()) {
            displayNames.add(v.displayName());
        }
        int noVendor = 0;
        int refusing = 0;
        for (final JsonNode p : data.practitionerList) {
            final JsonNode vendor = p.get("vendor");
            if (vendor.isNull()) {
                noVendor++;
                assertThat(p.get("refusesVendorSlots").asBoolean()).as("no vendor, nothing to refuse").isFalse();
            } else {
                assertThat(displayNames).contains(vendor.asText());
            }
            if (p.get("refusesVendorSlots").asBoolean()) {
                refusing++;
            }
            final String participation = p.get("participation").asText();
            final JsonNode cpts = p.get("cpts");
            if (participation.equals("CPTS")) {
                assertThat(cpts.isObject()).as(p.toString()).isTrue();
            }
            if (cpts.isObject()) {
                assertThat(cpts.get("id").asText()).matches("CPTS-(75|48|974)-\\d\\d");
                assertThat(cpts.get("name").asText()).startsWith("CPTS ");
                assertThat(cpts.get("phone").asText()).matches("0[1-9]( \\d\\d){4}");
            }
            if (participation.equals("NONE")) {
                assertThat(p.get("acceptsExtraPatients").asBoolean()).as("surnuméraire needs a SAS registration").isFalse();
            }
        }
        final int n = data.practitionerList.size();
        assertThat(noVendor).as("no-vendor share").isBetween(n * 8 / 100, n * 20 / 100);
        assertThat(refusing).isPositive();
    }

    @Test
    void aCptsKeepsItsIdNameAndPhoneWhateverTheSeed() throws IOException {
        new DataGenerator(GeneratorConfig.of(7, Scale.TINY, MONDAY)).generate(tmp.resolve("seed7"));
        final GeneratedData other = GeneratedData.read(tmp.resolve("seed7"));
        final Map<String, String> cpts = cptsById(data);
        final Map<String, String> otherCpts = cptsById(other);
        final Set<String> common = new TreeSet<>(cpts.keySet());
        common.retainAll(otherCpts.keySet());
        assertThat(common).isNotEmpty();
        for (final String id : common) {
            assertThat(otherCpts.get(id)).isEqualTo(cpts.get(id));
        }
    }

    @Test
    void feedHeadersNameTheVendorAndItsIntegration() {
        final VendorRegistry registry = VendorRegistry.defaults();
        assertThat(data.feeds).hasSize(registry.vendors().size());
        for (final Vendor v : registry.vendors()) {
            final JsonNode feed = data.feeds.get("feeds/" + v.code() + ".json");
            assertThat(feed).as(v.code()).isNotNull();
            assertThat(feed.get("vendor").asText()).isEqualTo(v.displayName());
            assertThat(feed.get("integration").asText()).isEqualTo(v.integration().name());
            assertThat(Instant.parse(feed.get("generatedAt").asText())).isEqualTo(MONDAY);
        }
    }

    @Test
    void everySlotLiesInTheNext48Hours() {
        assertThat(data.slots).isNotEmpty();
        final Instant end = MONDAY.plus(Duration.ofHours(48));
        for (final GeneratedData.Slot s : data.slots) {
            assertThat(s.startInstant()).as(s.node().toString()).isAfterOrEqualTo(MONDAY);
            assertThat(s.endInstant()).as(s.node().toString()).isAfter(s.startInstant()).isBeforeOrEqualTo(end);
        }
    }

    @Test
    void slotIdsAreUniquePerFile() {
        final Map<String, Set<String>> ids = new HashMap<>();
        for (final GeneratedData.Slot s : data.slots) {
            assertThat(ids.computeIfAbsent(s.file(), f -> new HashSet<>()).add(s.id())).as(s.file() + " " + s.id()).isTrue();
        }
    }

    @Test
    void slotsOfOnePractitionerNeverOverlapWithinOneFile() {
        final Map<String, List<GeneratedData.Slot>> byKey = new HashMap<>();
        for (final GeneratedData.Slot s : data.slots) {
            byKey.computeIfAbsent(s.file() + '|' + s.rpps(), k -> new ArrayList<>()).add(s);
        }
        for (final List<GeneratedData.Slot> list : byKey.values()) {
            list.sort(Comparator.comparing(GeneratedData.Slot::startInstant));
            for (int i = 1; i < list.size(); i++) {
                assertThat(list.get(i).startInstant()).as(list.get(i).node().toString())
                    .isAfterOrEqualTo(list.get(i - 1).endInstant());
            }
        }
    }

    @Test
    void slotsBelongToTheirSourcesPractitioners() {
        final VendorRegistry registry = VendorRegistry.defaults();
        for (final GeneratedData.Slot s : data.slots) {
            final JsonNode p = data.practitionerOf(s);
            assertThat(p).as("unknown RPPS " + s.rpps()).isNotNull();
            if (s.manual()) {
                // Manual entry: SAS-registered, and without a vendor or refusing its display.
                assertThat(p.get("participation").asText()).isNotEqualTo("NONE");
                assertThat(p.get("vendor").isNull() || p.get("refusesVendorSlots").asBoolean()).as(p.toString()).isTrue();
                assertThat(s.node().get("modalities")).isNotEmpty();
            } else {
                final Vendor v = registry.require(p.get("vendor").asText());
                assertThat(s.file()).isEqualTo("feeds/" + v.code() + ".json");
                assertThat(Modality.parse(s.node().get("modality").asText())).isNotNull();
                assertThat(Visibility.parse(s.node().get("visibility").asText())).isNotNull();
            }
        }
    }

    @Test
    void slotsLastFifteenToThirtyMinutesInsideOpeningHours() {
        for (final GeneratedData.Slot s : data.slots) {
            final long minutes = Duration.between(s.startInstant(), s.endInstant()).toMinutes();
            assertThat(minutes).as(s.node().toString()).isBetween(15L, 30L);
            assertThat(s.start().toLocalTime()).isAfterOrEqualTo(LocalTime.of(7, 0));
            assertThat(s.end().toLocalTime()).isBeforeOrEqualTo(LocalTime.of(20, 0));
        }
    }

    @Test
    void offsetsAreThoseOfThePractitionersZone() {
        final Set<String> reunionOffsets = new HashSet<>();
        for (final GeneratedData.Slot s : data.slots) {
            final Territory t = GeneratedData.territory(data.practitionerOf(s));
            final ZoneId zone = t.zone();
            assertThat(s.start().getOffset()).as(s.node().toString())
                .isEqualTo(zone.getRules().getOffset(s.startInstant()));
            assertThat(s.end().getOffset()).isEqualTo(zone.getRules().getOffset(s.endInstant()));
            if (t == Territory.LA_REUNION) {
                reunionOffsets.add(s.start().getOffset().getId());
            }
        }
        assertThat(reunionOffsets).containsExactly("+04:00");
    }

    @Test
    void theMixHasEveryVisibilityModalityIntegrationAndManualSlots() {
        final Set<Visibility> visibilities = EnumSet.noneOf(Visibility.class);
        final Set<Modality> modalities = EnumSet.noneOf(Modality.class);
        final Set<Integration> integrations = EnumSet.noneOf(Integration.class);
        int manual = 0;
        for (final GeneratedData.Slot s : data.slots) {
            if (s.manual()) {
                manual++;
                continue;
            }
            visibilities.add(Visibility.valueOf(s.node().get("visibility").asText()));
            modalities.add(Modality.valueOf(s.node().get("modality").asText()));
            integrations.add(Integration.valueOf(data.feeds.get(s.file()).get("integration").asText()));
        }
        assertThat(visibilities).containsExactlyInAnyOrder(Visibility.values());
        assertThat(modalities).containsExactlyInAnyOrder(Modality.values());
        assertThat(integrations).containsExactlyInAnyOrder(Integration.values());
        assertThat(manual).isPositive().isEqualTo((int) summary.manualSlots());
        final long visible = summary.visibleVendorSlots();
        final long vendorSlots = summary.totalSlots() - summary.manualSlots();
        assertThat((double) visible / vendorSlots).as("visible share").isBetween(0.35, 0.8);
        assertThat(summary.vendorSlotsByModality().get(Modality.OFFICE)).isGreaterThan(vendorSlots / 2);
    }

    @Test
    void rejectsAnUnknownDepartement() {
        assertThatThrownBy(() -> new DataGenerator(GeneratorConfig.of(1, Scale.TINY, MONDAY).withDepartements(List.of("99"))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99");
    }

    static boolean isParis(final double lat, final double lon) {
        return lat > 48.80 && lat < 48.92 && lon > 2.22 && lon < 2.48;
    }

    static boolean isLozere(final double lat, final double lon) {
        return lat > 44.10 && lat < 45.00 && lon > 2.95 && lon < 4.00;
    }

    private static String departementOf(final JsonNode p) {
        final double lat = p.get("lat").asDouble();
        final double lon = p.get("lon").asDouble();
        if (GeneratedData.territory(p) == Territory.LA_REUNION) {
            return "974";
        }
        return isParis(lat, lon) ? "75" : isLozere(lat, lon) ? "48" : "?";
    }

    private static Map<String, String> cptsById(final GeneratedData d) {
        final Map<String, String> byId = new HashMap<>();
        for (final JsonNode p : d.practitionerList) {
            if (p.get("cpts").isObject()) {
                byId.put(p.get("cpts").get("id").asText(), p.get("cpts").toString());
            }
        }
        return byId;
    }
}
