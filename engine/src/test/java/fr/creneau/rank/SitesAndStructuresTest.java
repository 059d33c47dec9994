package fr.creneau.rank;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.directory.Communes;
import fr.creneau.feed.Modality;
import fr.creneau.feed.RejectReason;
import fr.creneau.index.Geo;
import fr.creneau.slot.Minutes;

/**
 * Issue 15: a practitioner's slots are ranked by the distance to the site they are at; structures
 * (CDS, MSP, SOS Médecins, CPTS, MMG) are the contact rows of the nothing-free step. Real files
 * through the facade ({@link Scenario}).
 */
class SitesAndStructuresTest {
    private static final double PARIS_LAT = 48.8566;
    private static final double PARIS_LON = 2.3522;
    /** 20 km south of Paris (0.18° of latitude). */
    private static final double FAR_LAT = PARIS_LAT - 0.18;
    private static final double MENDE_LAT = 44.518;
    private static final double MENDE_LON = 3.500;

    @TempDir
    Path dir;

    private static Map<String, Object> site(final String id, final Double lat, final Double lon, final String phone,
                                            final Map<String, Object> address) {
        final Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        if (address != null) {
            s.put("address", address);
        }
        if (lat != null) {
            s.put("lat", lat);
            s.put("lon", lon);
        }
        if (phone != null) {
            s.put("phone", phone);
        }
        return s;
    }

    private static Map<String, Object> address(final String line, final String postalCode, final String city,
                                               final String insee) {
        final Map<String, Object> a = new LinkedHashMap<>();
        a.put("lines", List.of(line));
        a.put("postalCode", postalCode);
        a.put("city", city);
        if (insee != null) {
            a.put("inseeCode", insee);
        }
        return a;
    }

    private static int search(final Creneau c, final double lat, final double lon, final int limit,
                              final SearchResults out) {
        return c.search(new RegulatorQuery().patient(lat, lon).now(Scenario.NOW).modality(Modality.OFFICE).limit(limit),
            out);
    }

    /** RPPS of A in {@link #twoSites}. */
    private long a;

    /** A with a Paris site and one 20 km south; B 5 km north of A's far site. */
    private Scenario twoSites(final Scenario s) {
        a = s.gp("A", PARIS_LAT, PARIS_LON, "Doctolib");
        s.entry(a).put("sites", List.of(
            site("paris", PARIS_LAT, PARIS_LON, null, address("1 rue de Rivoli", "75001", "Paris", "75101")),
            site("far", FAR_LAT, PARIS_LON, "tel-far", address("2 place du Marché", "91000", "Évry", null))));
        s.slotAt("Doctolib", a, 30, "OFFICE", "paris");
        s.slotAt("Doctolib", a, 60, "OFFICE", "far");
        final long b = s.gp("B", FAR_LAT + 0.045, PARIS_LON, "Doctolib");
        s.slot("Doctolib", b, 30, "OFFICE");
        return s;
    }

    @Test
    void slotsAtAFarSiteRankByTheDistanceToThatSite() {
        final Scenario s = twoSites(new Scenario(dir));
        try (Creneau c = s.load()) {
            assertThat(s.reports.get(1).accepted()).isEqualTo(3);
            final SearchResults r = new SearchResults();
            assertThat(search(c, FAR_LAT, PARIS_LON, 2, r)).isEqualTo(2);
            // A's far-site slot, at ~0 km: before sites it was ranked 20 km away, after B.
            assertThat(r.name(0)).isEqualTo("A");
            assertThat(r.distanceKm(0)).isLessThan(0.1);
            assertThat(r.start(0)).isEqualTo(Scenario.NOW.plus(Duration.ofMinutes(60)));
            assertThat(r.site(0).id()).isEqualTo("far");
            assertThat(r.phone(0)).isEqualTo("tel-far");
            assertThat(r.address(0).oneLine()).isEqualTo("2 place du Marché, 91000 Évry");
            assertThat(r.approximate(0)).isFalse();
            assertThat(r.name(1)).isEqualTo("B");
            assertThat(r.distanceKm(1)).isBetween(4.5, 5.5);

            // In Paris A's row is its Paris slot (one row per practitioner: the best of its sites).
            assertThat(search(c, PARIS_LAT, PARIS_LON, 5, r)).isEqualTo(2);
            assertThat(r.name(0)).isEqualTo("A");
            assertThat(r.site(0).id()).isEqualTo("paris");
            assertThat(r.start(0)).isEqualTo(Scenario.NOW.plus(Duration.ofMinutes(30)));
            assertThat(r.phone(0)).isEqualTo("tel-A");
            assertThat(r.name(1)).isEqualTo("B");
        }
    }

    @Test
    void aPractitionerHasOneRowTheBestOfTheirSites() {
        final Scenario s = new Scenario(dir);
        // Both sites 2 km from the patient, on either side: the same band; the earlier slot wins.
        final long a = s.gp("A", PARIS_LAT, PARIS_LON, "Doctolib");
        s.entry(a).put("sites", List.of(site("north", PARIS_LAT + 0.018, PARIS_LON, null, null),
            site("south", PARIS_LAT - 0.018, PARIS_LON, null, null)));
        s.slotAt("Doctolib", a, 200, "OFFICE", "north");
        s.slotAt("Doctolib", a, 40, "OFFICE", "south");
        try (Creneau c = s.load()) {
            final SearchResults r = new SearchResults();
            assertThat(search(c, PARIS_LAT, PARIS_LON, 10, r)).isEqualTo(1);
            assertThat(r.site(0).id()).isEqualTo("south");
            assertThat(r.start(0)).isEqualTo(Scenario.NOW.plus(Duration.ofMinutes(40)));
        }
    }

    @Test
    void aSlotAtASiteThePractitionerDoesNotHaveIsACountedRejection() {
        final Scenario s = twoSites(new Scenario(dir));
        s.slotAt("Doctolib", a, 120, "OFFICE", "nowhere");
        try (Creneau c = s.load()) {
            assertThat(s.reports.get(1).rejected(RejectReason.UNKNOWN_SITE)).isEqualTo(1);
            assertThat(s.reports.get(1).accepted()).isEqualTo(3);
            assertThat(s.reports.get(1).samples().get(0).detail()).contains("'nowhere'");
        }
    }

    @Test
    void aSiteWithoutCoordinatesIsAtItsCommuneAndRowsSaySo() {
        final Scenario s = new Scenario(dir);
        final long a = s.gp("A", PARIS_LAT, PARIS_LON, null);
        s.entry(a).remove("lat");
        s.entry(a).remove("lon");
        s.entry(a).put("sites", List.of(site("s1", null, null, "+33 1 00 00 00 00",
            address("12 rue de la Paix", "75002", "Paris", "75102"))));
        s.manualSlot(a, 60);
        try (Creneau c = s.load()) {
            assertThat(s.reports.get(0).accepted()).isEqualTo(1);
            final Communes.Commune commune = Communes.bundled().byInsee("75102");
            final SearchResults r = new SearchResults();
            assertThat(search(c, PARIS_LAT, PARIS_LON, 5, r)).isEqualTo(1);
            assertThat(r.approximate(0)).isTrue();
            assertThat(r.site(0).lat()).isEqualTo(commune.lat());
            assertThat(r.distanceKm(0)).isCloseTo(Geo.distanceKm(PARIS_LAT, PARIS_LON, commune.lat(), commune.lon()),
                org.assertj.core.data.Offset.offset(1e-9));
            assertThat(r.address(0).oneLine()).isEqualTo("12 rue de la Paix, 75002 Paris");
            assertThat(r.phone(0)).isEqualTo("+33 1 00 00 00 00");
        }
    }

    @Test
    void theMedecinTraitantWithoutSlotIsGivenAtTheSiteNearestThePatient() {
        final Scenario s = twoSites(new Scenario(dir));
        final long mt = s.gp("MT", PARIS_LAT, PARIS_LON, null);
        s.entry(mt).put("sites", List.of(site("paris", PARIS_LAT, PARIS_LON, null, null),
            site("far", FAR_LAT, PARIS_LON, "tel-mt-far", null)));
        try (Creneau c = s.load()) {
            final SearchResults r = new SearchResults();
            c.search(new RegulatorQuery().patient(FAR_LAT + 0.01, PARIS_LON).now(Scenario.NOW).modality(Modality.OFFICE)
                .medecinTraitant(mt).limit(3), r);
            assertThat(r.kind(0)).isEqualTo(ResultKind.MEDECIN_TRAITANT);
            assertThat(r.hasSlot(0)).isFalse();
            assertThat(r.site(0).id()).isEqualTo("far");
            assertThat(r.phone(0)).isEqualTo("tel-mt-far");
            assertThat(r.distanceKm(0)).isBetween(1.0, 1.2);
        }
    }

    @Test
    void theMedecinTraitantsEarliestSlotIsOverAllTheirSites() {
        final Scenario s = new Scenario(dir);
        final long mt = s.gp("MT", PARIS_LAT, PARIS_LON, "Doctolib");
        s.entry(mt).put("sites", List.of(site("paris", PARIS_LAT, PARIS_LON, null, null),
            site("far", FAR_LAT, PARIS_LON, null, null)));
        s.slotAt("Doctolib", mt, 300, "OFFICE", "paris");
        s.slotAt("Doctolib", mt, 90, "OFFICE", "far");
        try (Creneau c = s.load()) {
            final SearchResults r = new SearchResults();
            c.search(new RegulatorQuery().patient(PARIS_LAT, PARIS_LON).now(Scenario.NOW).modality(Modality.OFFICE)
                .medecinTraitant(mt).limit(1), r);
            assertThat(r.site(0).id()).isEqualTo("far");
            assertThat(r.start(0)).isEqualTo(Scenario.NOW.plus(Duration.ofMinutes(90)));
            assertThat(r.distanceKm(0)).isBetween(19.5, 20.5);
        }
    }

    @Test
    void aReloadThatReordersSitesKeepsEachSlotAtItsSite() {
        final Scenario s = twoSites(new Scenario(dir));
        try (Creneau c = s.load()) {
            @SuppressWarnings("unchecked")
            final List<Map<String, Object>> sites = new ArrayList<>((List<Map<String, Object>>) s.entry(a).get("sites"));
            java.util.Collections.reverse(sites); // "far" becomes the main site
            s.entry(a).put("sites", sites);
            c.loadDirectory(s.writeDirectory());
            final SearchResults r = new SearchResults();
            assertThat(search(c, FAR_LAT, PARIS_LON, 1, r)).isEqualTo(1);
            assertThat(r.name(0)).isEqualTo("A");
            assertThat(r.site(0).id()).isEqualTo("far");
            assertThat(r.start(0)).isEqualTo(Scenario.NOW.plus(Duration.ofMinutes(60)));
            assertThat(r.distanceKm(0)).isLessThan(0.1);
            assertThat(search(c, PARIS_LAT, PARIS_LON, 1, r)).isEqualTo(1);
            assertThat(r.site(0).id()).isEqualTo("paris");
            assertThat(r.start(0)).isEqualTo(Scenario.NOW.plus(Duration.ofMinutes(30)));
            // And the slot can be held where it is: findSlot looks at every site.
            final int record = r.record(0);
            assertThat(fr.creneau.EngineInternals.index(c).findSlot(r.practitioner(0), r.source(0), r.startMinute(0)))
                .isEqualTo(record);
            assertThat(search(c, FAR_LAT, PARIS_LON, 1, r)).isEqualTo(1);
            assertThat(fr.creneau.EngineInternals.index(c).findSlot(r.practitioner(0), r.source(0), r.startMinute(0)))
                .isEqualTo(r.record(0));
        }
    }

    @Test
    void aSlotThatMovesToAnotherSiteInTheNextSnapshotHasOneLiveCopyAtTheNewSite() throws Exception {
        final Scenario s = new Scenario(dir);
        a = s.gp("A", PARIS_LAT, PARIS_LON, "Doctolib");
        s.entry(a).put("sites", List.of(site("paris", PARIS_LAT, PARIS_LON, null, null),
            site("far", FAR_LAT, PARIS_LON, null, null)));
        s.slotAt("Doctolib", a, 60, "OFFICE", "paris");
        try (Creneau c = s.load()) {
            final long before = c.stats().liveSlots();
            final java.time.ZonedDateTime start = Scenario.NOW.plus(Duration.ofMinutes(60)).atZone(
                java.time.ZoneId.of("Europe/Paris"));
            final Path feed = dir.resolve("doctolib-moved.json");
            java.nio.file.Files.writeString(feed, "{\"vendor\": \"Doctolib\", \"integration\": \"END_TO_END\","
                + " \"generatedAt\": \"" + Scenario.NOW + "\", \"slots\": [{\"id\": \"x\", \"rpps\": \""
                + fr.creneau.directory.Rpps.format(a) + "\", \"start\": \"" + start.toOffsetDateTime()
                + "\", \"end\": \"" + start.plusMinutes(20).toOffsetDateTime() + "\", \"modality\": \"OFFICE\","
                + " \"visibility\": \"PUBLIC\", \"site\": \"far\"}]}");
            assertThat(c.ingestVendorFeed(feed).practitionersChanged()).isEqualTo(1);
            assertThat(c.stats().liveSlots()).isEqualTo(before);
            final SearchResults r = new SearchResults();
            assertThat(search(c, FAR_LAT, PARIS_LON, 5, r)).isEqualTo(1);
            assertThat(r.site(0).id()).isEqualTo("far");
            assertThat(r.distanceKm(0)).isLessThan(0.1);
            assertThat(fr.creneau.EngineInternals.index(c).findSlot(r.practitioner(0), r.source(0), r.startMinute(0)))
                .isEqualTo(r.record(0));
            // In Paris the same slot is 20 km away: found at its new site, not at the old one.
            assertThat(search(c, PARIS_LAT, PARIS_LON, 5, r)).isEqualTo(1);
            assertThat(r.site(0).id()).isEqualTo("far");
            assertThat(r.distanceKm(0)).isBetween(19.5, 20.5);
        }
    }

    @Test
    void theNothingFreeStepGivesOneRowPerStructureOfEveryKind() {
        final Scenario s = new Scenario(dir);
        s.structure("cds1", "CDS", MENDE_LAT, MENDE_LON, null);
        s.structure("sos1", "SOS_MEDECINS", MENDE_LAT + 0.05, MENDE_LON, null);
        s.structure("cpts1", "CPTS", MENDE_LAT, MENDE_LON + 0.05, null);
        // Open on weekends only; the scenario's now is a Monday: closed now. Issue 16 (every contact
        // row says from when it can be reached) keeps its row, after the open ones, with reachableFrom.
        s.structure("mmg1", "MMG", MENDE_LAT, MENDE_LON, List.of(Map.of("days", List.of("SAT", "SUN"),
            "from", "08:00", "to", "20:00")));
        // Open now (Monday 10:00 in Paris).
        s.structure("msp1", "MSP", MENDE_LAT, MENDE_LON, List.of(Map.of("days", List.of("MON", "TUE"),
            "from", "08:00", "to", "20:00")));
        final String[][] doctors = {
            {"g1", "cds1"}, {"g2", "cds1"}, {"g3", "sos1"}, {"g4", null}, {"g5", "mmg1"}, {"g6", "cpts1"},
            {"g7", "msp1"}, {"g8", null}};
        for (int i = 0; i < doctors.length; i++) {
            final long p = s.practitioner(doctors[i][0], "GP", MENDE_LAT + 0.01 * i, MENDE_LON, null, true,
                doctors[i][0].equals("g8") ? "inline" : null);
            if (doctors[i][1] != null) {
                s.entry(p).put("structure", doctors[i][1]);
            }
        }
        try (Creneau c = s.load()) {
            assertThat(s.reports.get(0).accepted()).isEqualTo(8);
            final SearchResults r = new SearchResults();
            final int rows = search(c, MENDE_LAT, MENDE_LON, 20, r);
            final Map<String, ResultKind> kinds = new LinkedHashMap<>();
            for (int i = 0; i < rows; i++) {
                kinds.put(r.name(i), r.kind(i));
                if (r.kind(i) == ResultKind.STRUCTURE || r.kind(i) == ResultKind.CPTS) {
                    assertThat(r.practitioner(i)).isEqualTo(-1);
                    assertThat(r.rpps(i)).isEqualTo(-1);
                    assertThat(r.site(i)).isNull();
                }
            }
            assertThat(kinds).containsOnly(Map.entry("CDS cds1", ResultKind.STRUCTURE),
                Map.entry("SOS_MEDECINS sos1", ResultKind.STRUCTURE), Map.entry("g4", ResultKind.SURNUMERAIRE),
                Map.entry("CPTS cpts1", ResultKind.CPTS), Map.entry("MSP msp1", ResultKind.STRUCTURE),
                Map.entry("CPTS inline", ResultKind.CPTS), Map.entry("MMG mmg1", ResultKind.STRUCTURE));
            assertThat(rows).isEqualTo(7); // the CDS once for its two doctors
            // The closed MMG comes after every open row (its tier is one above its group's), though
            // its member g5 is nearer than g6..g8; it opens on Saturday 08:00 in Paris.
            assertThat(r.name(rows - 1)).isEqualTo("MMG mmg1");
            assertThat(r.reachableFrom(rows - 1)).isEqualTo(Instant.parse("2026-11-28T07:00:00Z"));
            for (int i = 0; i < rows - 1; i++) {
                assertThat(r.reachableFrom(i)).as(r.name(i)).isNull();
            }
            for (int i = 0; i < rows; i++) {
                if ("CDS cds1".equals(r.name(i))) {
                    assertThat(r.phone(i)).isEqualTo("tel-cds1");
                    assertThat(r.address(i).oneLine()).isEqualTo("1 place cds1, 48000 Mende");
                    assertThat(r.structure(i).kind()).isEqualTo(fr.creneau.directory.StructureKind.CDS);
                    assertThat(r.distanceKm(i)).isLessThan(0.1); // its nearest member, g1
                }
            }
        }
    }

    @Test
    void anMmgOpenNowGivesItsRow() {
        final Scenario s = new Scenario(dir);
        s.structure("mmg1", "MMG", MENDE_LAT, MENDE_LON, List.of(Map.of("days", List.of("MON"),
            "from", "20:00", "to", "08:00"), Map.of("days", List.of("SUN"), "from", "08:00", "to", "24:00")));
        final long p = s.practitioner("g1", "GP", MENDE_LAT, MENDE_LON, null, true, null);
        s.entry(p).put("structure", "mmg1");
        // The SAS channel at every hour, so that the structure's own hours (the overnight period of
        // the minute-of-week bitmap) decide; with the hours, the night is the PDSA's (below).
        try (Creneau c = s.load(java.time.Clock.fixed(Scenario.NOW, java.time.ZoneOffset.UTC),
            ProtocolConfig.builder().channelFromHours(false).build())) {
            final SearchResults r = new SearchResults();
            // Monday 10:00: closed. Issue 16: the row stays, reachable from Monday 20:00 local.
            assertThat(search(c, MENDE_LAT, MENDE_LON, 5, r)).isEqualTo(1);
            assertThat(r.kind(0)).isEqualTo(ResultKind.STRUCTURE);
            assertThat(r.reachableFrom(0)).isEqualTo(Instant.parse("2026-11-23T19:00:00Z"));
            // Monday 21:30 local (20:30Z): open, overnight period.
            final int at = Minutes.floor(Scenario.NOW.plus(Duration.ofMinutes(11 * 60 + 30)));
            assertThat(c.search(new RegulatorQuery().patient(MENDE_LAT, MENDE_LON)
                .now(Minutes.toInstant(at)).modality(Modality.OFFICE).limit(5), r)).isEqualTo(1);
            assertThat(r.kind(0)).isEqualTo(ResultKind.STRUCTURE);
            assertThat(r.reachableFrom(0)).isNull();
            // Tuesday 07:59 local: still the Monday night.
            assertThat(c.search(new RegulatorQuery().patient(MENDE_LAT, MENDE_LON)
                .now(Scenario.NOW.plus(Duration.ofMinutes(21 * 60 + 59))).modality(Modality.OFFICE).limit(5), r))
                .isEqualTo(1);
            assertThat(r.reachableFrom(0)).isNull();
            // Tuesday 08:00 local: closed again, next open on Sunday 08:00.
            assertThat(c.search(new RegulatorQuery().patient(MENDE_LAT, MENDE_LON)
                .now(Scenario.NOW.plus(Duration.ofMinutes(22 * 60))).modality(Modality.OFFICE).limit(5), r))
                .isEqualTo(1);
            assertThat(r.reachableFrom(0)).isEqualTo(Instant.parse("2026-11-29T07:00:00Z"));
        }
        // With the hours (the default), Monday 21:30 is the PDSA channel: the open MMG is a PDSA row
        // (issue 16: the maisons médicales de garde open now), not its surnuméraire's structure row.
        try (Creneau c = s.load()) {
            final SearchResults r = new SearchResults();
            final int at = Minutes.floor(Scenario.NOW.plus(Duration.ofMinutes(11 * 60 + 30)));
            assertThat(c.search(new RegulatorQuery().patient(MENDE_LAT, MENDE_LON)
                .now(Minutes.toInstant(at)).modality(Modality.OFFICE).limit(5), r)).isEqualTo(1);
            assertThat(r.kind(0)).isEqualTo(ResultKind.PDSA);
            assertThat(r.structure(0).id()).isEqualTo("mmg1");
            assertThat(r.reachableFrom(0)).isNull();
        }
    }
}
