package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import fr.creneau.directory.Address;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Site;
import fr.creneau.directory.Territory;
import fr.creneau.directory.Vendor;
import fr.creneau.directory.VendorRegistry;

/**
 * Issue 15: {@code Slot.schedule} → {@code Schedule.actor} (PractitionerRole) → its contained
 * {@code Location}, matched to the practitioner's site. The fixture is shaped like the guide's
 * examples ({@code FrLocationAgregateur}: an {@code INTRN} identifier of the vendor, address line,
 * city and postal code), with the test kit's case of one practitioner working at two places
 * (pr-a: a practice and a health centre, one Schedule and one PractitionerRole each).
 */
class FhirLocationTest {
    private static final String VENDOR = "MonMédecin.org";
    private static final Instant NOW = Instant.parse("2025-11-05T06:58:00Z");

    private static ParsedFeed bundle() throws IOException {
        try (InputStream in = FhirLocationTest.class.getResourceAsStream("/fhir/bundle-ps-indiv.json")) {
            return new FhirBundleParser().parse("bundle-ps-indiv.json", VENDOR, in);
        }
    }

    private static Map<String, RawSlot> byId(final ParsedFeed feed) {
        return feed.slots().stream().collect(Collectors.toMap(RawSlot::id, Function.identity()));
    }

    @Test
    void eachSlotCarriesTheLocationContainedInItsSchedulesRole() throws IOException {
        final Map<String, RawSlot> slots = byId(bundle());
        final RawSlot.Place cabinet = slots.get("slot-a1").place();
        assertThat(cabinet.ids()).containsExactly("role-a-cabinet-loc", "loc");
        assertThat(cabinet.line()).isEqualTo("12 rue des Cornières");
        assertThat(cabinet.postalCode()).isEqualTo("47000");
        assertThat(cabinet.lat()).isNaN();
        assertThat(slots.get("slot-a2").place().ids()).containsExactly("role-a-centre-loc", "loc");
        assertThat(slots.get("slot-a2").place().line()).isEqualTo("4 place du Pin");
        assertThat(slots.get("slot-b1").place()).isSameAs(slots.get("slot-b2").place()); // once per Schedule
        assertThat(slots.get("slot-a1").site()).isNull();
    }

    @Test
    void aLocationIsReadWithItsPositionAndInseeCodeAndWithoutARoleLocationReferenceWhenItIsTheOnlyOne()
        throws IOException {
        final com.fasterxml.jackson.databind.JsonNode role = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
            "{\"resourceType\": \"PractitionerRole\", \"contained\": [{\"resourceType\": \"Location\", \"id\": \"l1\","
                + " \"position\": {\"longitude\": 0.62, \"latitude\": 44.2}, \"address\": {\"line\": [\"1 rue A\"],"
                + " \"postalCode\": \"47000\", \"extension\": [{\"url\": \"https://example/fr-core-address-insee-code\","
                + " \"valueString\": \"47001\"}]}}]}");
        final RawSlot.Place p = FhirBundleParser.locationOf(role);
        assertThat(p.ids()).containsExactly("l1");
        assertThat(p.lat()).isEqualTo(44.2);
        assertThat(p.lon()).isEqualTo(0.62);
        assertThat(p.inseeCode()).isEqualTo("47001");
        // Malformed or absent: nothing to match by.
        assertThat(FhirBundleParser.locationOf(new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree("{\"contained\": [{\"resourceType\": \"Location\", \"position\": {\"latitude\": \"x\"}}]}"))).isNull();
        assertThat(FhirBundleParser.locationOf(new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree("{\"contained\": 3}"))).isNull();
    }

    private static Practitioner practitioner(final long rpps, final String vendor, final List<Site> sites) {
        final Site main = sites.get(0);
        return new Practitioner(rpps, "Dr " + rpps, Profession.GP, main.lat(), main.lon(), main.phone(), vendor, false,
            Participation.INDIVIDUAL, false, null, Territory.METROPOLE, sites, null, null, Double.NaN);
    }

    private static Site site(final String id, final String line, final double lat, final double lon) {
        return new Site(id, new Address(List.of(line), "47000", "Agen", null), lat, lon, false, "tel-" + id, null);
    }

    @Test
    void locationsAreMatchedToSitesByIdentifierOrAddressAndTheUnmatchedAreCounted() throws IOException {
        final Vendor vendor = VendorRegistry.defaults().find(VENDOR);
        final Directory directory = Directory.builder()
            // pr-a: its practice matched by address (accents and case aside), its centre by the Location's identifier.
            .add(practitioner(10003456786L, vendor.code(), List.of(site("cabinet", "12 RUE DES CORNIERES", 44.20, 0.62),
                site("role-a-centre-loc", "elsewhere", 44.21, 0.63))))
            // pr-b: two sites, neither the Location's: rejected, a guess could send the patient to the wrong one.
            .add(practitioner(10012345673L, vendor.code(), List.of(site("x", "1 rue X", 44.2, 0.6),
                site("y", "1 rue Y", 44.3, 0.6))))
            // pr-c: one site of today's shape: kept there, counted.
            .add(practitioner(10098765430L, vendor.code(), List.of(Site.main(44.2, 0.6, "tel-c"))))
            .build();
        final IngestReport.Builder report = IngestReport.builder("bundle", VENDOR, NOW);
        final List<SlotRecord> kept = new FeedValidator(IngestConfig.DEFAULTS).validate(bundle(), vendor, directory,
            NOW, report);
        final IngestReport r = report.build();
        final Map<String, SlotRecord> byId = kept.stream().collect(Collectors.toMap(SlotRecord::id, Function.identity()));
        assertThat(byId.get("slot-a1").site()).isEqualTo(0);
        // slot-a2 is a walk-in (not kept), but its Location is matched by its identifier.
        assertThat(FeedValidator.site(byId(bundle()).get("slot-a2"), directory.byRpps(10003456786L))).isEqualTo(1);
        assertThat(r.rejected(RejectReason.UNKNOWN_SITE)).isEqualTo(2);
        assertThat(byId).doesNotContainKeys("slot-b1", "slot-b2");
        assertThat(r.samples()).filteredOn(s -> s.reason() == RejectReason.UNKNOWN_SITE).first()
            .satisfies(s -> assertThat(s.detail()).contains("'role-b-loc'").contains("2 sites"));
        assertThat(byId.get("slot-c1").site()).isEqualTo(0);
        assertThat(r.placedAtMainSite()).isEqualTo(2); // slot-c1 and slot-c3 (slot-c2 is busy)
        assertThat(r.accepted()).isEqualTo(3);
    }

    @Test
    void aPositionWithinTwoHundredMetresMatchesTheNearestSite() {
        final Practitioner p = practitioner(10003456786L, null, List.of(site("a", "1 rue A", 44.20, 0.62),
            site("b", "1 rue B", 44.25, 0.62), site("c", "1 rue C", 44.2509, 0.62)));
        final RawSlot near = new RawSlot("s", "10003456786", "t", "t", 1, Visibility.PUBLIC, true, null, null,
            new RawSlot.Place(List.of("vendor-id"), 44.2508, 0.62, null, null, null));
        assertThat(FeedValidator.site(near, p)).isEqualTo(2);
        final RawSlot far = new RawSlot("s", "10003456786", "t", "t", 1, Visibility.PUBLIC, true, null, null,
            new RawSlot.Place(List.of("vendor-id"), 44.23, 0.62, null, null, null));
        assertThat(FeedValidator.site(far, p)).isNegative();
        final RawSlot none = new RawSlot("s", "10003456786", "t", "t", 1, Visibility.PUBLIC, true, null);
        assertThat(FeedValidator.site(none, p)).isZero();
    }
}
