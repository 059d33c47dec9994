package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.directory.Directory;
import fr.creneau.directory.NationalId;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Site;
import fr.creneau.directory.Structure;
import fr.creneau.directory.StructureKind;
import fr.creneau.directory.VendorRegistry;

/**
 * The national-directory reader on files shaped like the ANS "Annuaire Santé" examples
 * (IG-fhir-annuaire: PP19 with a liberal and a salaried exercise, the CH EURE-SEINE address given
 * by its ISO 21090 parts, the API's searchset with included Organizations repeated) and on
 * malformed ones.
 */
class AnnuaireSanteLoaderTest {
    private static final long SAUCIER = 10003461034L;
    private static final long DURAND = NationalId.adeli("751234567").key();
    private static final long PETIT = 10000000058L;

    private final AnnuaireSanteLoader loader = new AnnuaireSanteLoader(VendorRegistry.defaults());

    private AnnuaireSanteLoader.Result national() {
        return loader.load(Fixtures.path("annuaire/annuaire-searchset.json"), null, null);
    }

    private static InputStream utf8(final String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSearchsetLoadsTheSasProfessionsAndCountsEveryOtherPractitionerAndStructureByReason() {
        final AnnuaireSanteLoader.Result result = national();
        final IngestReport report = result.report();
        // 7 Practitioners (the cabinet included three times is read once) and 4 structure-like Organizations.
        assertThat(report.received()).isEqualTo(11);
        assertThat(report.accepted()).isEqualTo(6);
        assertThat(report.rejected(RejectReason.OTHER_PROFESSION)).isEqualTo(2); // a pharmacist, an anaesthetist
        assertThat(report.rejected(RejectReason.INVALID_RPPS)).isEqualTo(1);
        assertThat(report.rejected(RejectReason.OUTSIDE_FRANCE)).isEqualTo(1);
        assertThat(report.rejected(RejectReason.MISSING_FIELD)).isEqualTo(1); // the CPTS has no phone
        assertThat(report.samples()).extracting(Rejection::recordId)
            .contains("Practitioner/pra-bad", "10000000025", "10000000041", "750000026");
        assertThat(result.directory().size()).isEqualTo(3);
        assertThat(result.overlay().received()).isZero();
    }

    @Test
    void aPractitionerHasOneSitePerPractitionerRoleMainFirstWithTheRolesPhoneElseTheOrganizations() {
        final Practitioner p = national().directory().byRpps(SAUCIER);
        assertThat(p.name()).isEqualTo("Arthur Saucier");
        assertThat(p.profession()).isEqualTo(Profession.GP);
        assertThat(p.sites()).extracting(Site::id).containsExactly("pr-saucier-cab", "pr-saucier-cds");

        final Site cabinet = p.mainSite();
        assertThat(cabinet.approximate()).isFalse();
        assertThat(cabinet.lat()).isEqualTo(48.8690);
        assertThat(cabinet.lon()).isEqualTo(2.3310);
        assertThat(cabinet.phone()).isEqualTo("0142000099"); // the role's own telecom
        assertThat(cabinet.role()).isEqualTo("libéral");
        assertThat(cabinet.address().oneLine()).isEqualTo("12 RUE DE LA PAIX, 75002 PARIS");
        assertThat(p.lat()).isEqualTo(cabinet.lat());
        assertThat(p.phone()).isEqualTo(cabinet.phone());

        final Site cds = p.site("pr-saucier-cds");
        assertThat(cds.phone()).isEqualTo("0145000014"); // no role telecom: the Organization's
        assertThat(cds.role()).isEqualTo("salarié");
        // No geolocation: placed at its commune (INSEE 75114, Paris 14e), flagged approximate; the
        // street line rebuilt from its ISO 21090 parts as in the ANS example.
        assertThat(cds.approximate()).isTrue();
        assertThat(cds.lat()).isCloseTo(48.83, within(0.01));
        assertThat(cds.address().lines()).containsExactly("96 R DIDOT");
        assertThat(cds.address().inseeCode()).isEqualTo("75114");
    }

    @Test
    void withoutOverlayAPractitionerIsNotRegisteredWithTheSas() {
        final Practitioner p = national().directory().byRpps(SAUCIER);
        assertThat(p.participation()).isEqualTo(Participation.NONE);
        assertThat(p.acceptsExtraPatients()).isFalse();
        assertThat(p.refusesVendorSlots()).isFalse();
        assertThat(p.vendor()).isNull();
        assertThat(p.structure()).isNull();
        assertThat(p.regulationPhone()).isNull();
        assertThat(p.homeVisitRadiusKm()).isNaN();
    }

    @Test
    void anAdeliOnlyNurseIsKeyedOutsideTheRppsRangeAndPlacedAtItsContainedLocation() {
        final Directory d = national().directory();
        final Practitioner nurse = d.byRpps(DURAND);
        assertThat(nurse.profession()).isEqualTo(Profession.NURSE);
        assertThat(NationalId.keyText(nurse.rpps())).isEqualTo("ADELI 751234567");
        assertThat(nurse.mainSite().lat()).isEqualTo(48.9362);
        assertThat(nurse.mainSite().approximate()).isFalse();
        assertThat(nurse.mainSite().phone()).isEqualTo("0148000001"); // the Location's telecom
        // The v2 shape: the profession in Practitioner.qualification.
        assertThat(d.byRpps(PETIT).profession()).isEqualTo(Profession.MIDWIFE);
    }

    @Test
    void centresMspSosMedecinsAndCptsBecomeStructuresKeyedByTheirBareFinessOrSiret() {
        final Directory d = national().directory();
        assertThat(d.structures()).extracting(Structure::id, Structure::kind).containsExactly(
            org.assertj.core.groups.Tuple.tuple("750000018", StructureKind.CDS),
            org.assertj.core.groups.Tuple.tuple("930000029", StructureKind.MSP),
            org.assertj.core.groups.Tuple.tuple("73282932000074", StructureKind.SOS_MEDECINS));
        final Structure sos = d.structure("73282932000074");
        assertThat(sos.phone()).isEqualTo("3624");
        assertThat(sos.approximate()).isTrue(); // by its postal code 75013
        assertThat(sos.alwaysOpen()).isTrue();
        assertThat(d.structure("930000029").approximate()).isFalse();
        assertThat(d.structure("750000034")).as("a pharmacy is no SAS structure").isNull();
    }

    @Test
    void theOverlayAddsTheSasFactsAndCountsEntriesTheDirectoryDoesNotHold() {
        final AnnuaireSanteLoader.Result result = loader.load(Fixtures.path("annuaire/annuaire-searchset.json"),
            Fixtures.path("annuaire/overlay.json"), null);
        final IngestReport overlay = result.overlay();
        assertThat(overlay.received()).isEqualTo(9);
        assertThat(overlay.accepted()).isEqualTo(3);
        // One never listed, one the national file rejected (a pharmacist).
        assertThat(overlay.rejected(RejectReason.UNKNOWN_RPPS)).isEqualTo(2);
        assertThat(overlay.rejected(RejectReason.DUPLICATE_RPPS)).isEqualTo(1);
        // A wrong Luhn key, both keys at once, an RPPS under 'adeli'.
        assertThat(overlay.rejected(RejectReason.INVALID_RPPS)).isEqualTo(3);
        assertThat(overlay.samples()).extracting(Rejection::recordId).contains("10000000066", "10000000025");

        final Directory d = result.directory();
        final Practitioner saucier = d.byRpps(SAUCIER);
        assertThat(saucier.participation()).isEqualTo(Participation.INDIVIDUAL);
        assertThat(saucier.acceptsExtraPatients()).isTrue();
        assertThat(saucier.vendor()).isEqualTo("doctolib");
        assertThat(saucier.structure()).isEqualTo("750000018"); // written with its prefix 1 in the overlay
        assertThat(saucier.regulationPhone()).isEqualTo("0600000015");
        assertThat(saucier.homeVisitRadiusKm()).isEqualTo(12.0);

        final Practitioner nurse = d.byRpps(DURAND);
        assertThat(nurse.participation()).isEqualTo(Participation.CPTS);
        assertThat(nurse.cpts().phone()).isEqualTo("0145000000");
        assertThat(d.byRpps(PETIT).structure()).isEqualTo("930000029");
    }

    @Test
    void badOverlayValuesAreCountedAndTheirPractitionerLoadsWithTheNationalFactsOnly() {
        final String overlay = """
            [{"rpps": "10003461034", "participation": "SOMETIMES"},
             {"rpps": "10000000058", "participation": "INDIVIDUAL", "vendor": "nobody-sells-this"},
             {"adeli": "751234567", "participation": "CDS", "structure": "750000099"},
             {"rpps": "10000000058", "participation": "INDIVIDUAL", "homeVisitRadiusKm": -3},
             {"rpps": "10000000058", "participation": "CPTS"},
             {"rpps": "10000000058", "acceptsExtraPatients": "yes", "participation": "INDIVIDUAL"},
             {"participation": "INDIVIDUAL"},
             "not an object"]
            """;
        final AnnuaireSanteLoader.Result result = loader.load("annuaire.json",
            utf8(read("annuaire/annuaire-searchset.json")), "overlay.json", utf8(overlay), null);
        final IngestReport report = result.overlay();
        assertThat(report.received()).isEqualTo(8);
        assertThat(report.accepted()).isZero();
        assertThat(report.rejected(RejectReason.INVALID_VALUE)).isEqualTo(5);
        assertThat(report.rejected(RejectReason.UNKNOWN_VENDOR)).isEqualTo(1);
        assertThat(report.rejected(RejectReason.MISSING_FIELD)).isEqualTo(1);
        assertThat(report.rejected(RejectReason.INVALID_RPPS)).isEqualTo(1);
        assertThat(result.directory().byRpps(SAUCIER).participation()).isEqualTo(Participation.NONE);
        assertThat(result.directory().size()).isEqualTo(3);
    }

    @Test
    void anOverlayRegulationPhoneGivesANumberToAPractitionerWhoseFileHasNone() {
        final String national = """
            {"resourceType": "Practitioner", "id": "p1", "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "810000000066"}],
             "name": [{"family": "Sans", "given": ["Numero"]}]}
            {"resourceType": "PractitionerRole", "id": "r1", "practitioner": {"reference": "Practitioner/p1"},
             "organization": {"reference": "Organization/o1"},
             "code": [{"coding": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante", "code": "60"}]}]}
            {"resourceType": "Organization", "id": "o1", "name": "CABINET", "address": [{"postalCode": "13001", "city": "MARSEILLE"}]}
            """;
        final AnnuaireSanteLoader.Result without = loader.load("a.ndjson", utf8(national), null, null, null);
        assertThat(without.directory().size()).isZero();
        assertThat(without.report().rejected(RejectReason.MISSING_FIELD)).isEqualTo(1);

        final AnnuaireSanteLoader.Result with = loader.load("a.ndjson", utf8(national), "o.json",
            utf8("[{\"rpps\": \"10000000066\", \"participation\": \"INDIVIDUAL\", \"regulationPhone\": \"0491000000\"}]"), null);
        final Practitioner p = with.directory().byRpps(10000000066L);
        assertThat(p.phone()).isEqualTo("0491000000");
        assertThat(p.mainSite().approximate()).isTrue(); // Marseille by its postal code
        assertThat(p.mainSite().id()).isEqualTo("r1");
    }

    @Test
    void pagesSavedOneAfterTheOtherLoadAsOneDirectory() {
        final String page1 = """
            {"resourceType": "Bundle", "type": "searchset", "link": [{"relation": "next", "url": "https://x/fhir/v2?_getpages=1"}],
             "entry": [{"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Practitioner", "id": "p1",
               "identifier": [{"system": "https://rpps.esante.gouv.fr", "value": "10000000066"}], "name": [{"family": "Un"}]}}]}
            """;
        final String page2 = """
            {"resourceType": "Bundle", "type": "searchset", "entry": [
             {"resource": {"resourceType": "PractitionerRole", "id": "r1", "practitioner": {"reference": "urn:uuid:1"},
               "code": [{"coding": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante", "code": "10"}]}],
               "specialty": [{"coding": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale", "code": "SM54"}]}],
               "telecom": [{"system": "phone", "value": "0388000000"}],
               "organization": {"reference": "https://gateway.api.esante.gouv.fr/fhir/v2/Organization/o1/_history/3"}}},
             {"resource": {"resourceType": "Organization", "id": "o1", "name": "CABINET", "address": [{"extension": [
               {"url": "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code", "valueCoding": {"code": "67482"}}]}]}}]}
            """;
        final AnnuaireSanteLoader.Result result = loader.load("pages.json", utf8(page1 + page2), null, null, null);
        final Practitioner p = result.directory().byRpps(10000000066L);
        assertThat(p.name()).isEqualTo("Un");
        assertThat(p.phone()).isEqualTo("0388000000");
        assertThat(p.lat()).isCloseTo(48.57, within(0.05)); // Strasbourg, by its INSEE code

        assertThatThrownBy(() -> loader.load("page1.json", utf8(page1), null, null, null))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("next");
    }

    @Test
    void malformedFilesAreTypedErrorsNotStackTraces() {
        for (final String bad : List.of("", "not json", "[{\"resourceType\": \"Practitioner\"}]",
            "{\"resourceType\": \"Bundle\", \"type\": \"transaction\", \"entry\": []}",
            "{\"resourceType\": \"OperationOutcome\", \"issue\": []}",
            "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": [{\"resource\": {\"resourceType\": \"Practi",
            "{\"resourceType\": \"Practitioner\", \"id\": \"a\", \"id\": \"b\"}",
            "{\"resourceType\": \"Patient\", \"entry\": [{}]}")) {
            assertThatThrownBy(() -> loader.load("bad.json", utf8(bad), null, null, null))
                .as(bad).isInstanceOf(FeedFormatException.class);
        }
        for (final String badOverlay : List.of("{}", "[{\"rpps\": \"10003461034\"", "[] []")) {
            assertThatThrownBy(() -> loader.load("a.json", utf8(read("annuaire/annuaire-searchset.json")),
                "o.json", utf8(badOverlay), null)).as(badOverlay).isInstanceOf(FeedFormatException.class);
        }
    }

    @Test
    void badResourcesInsideAGoodBundleAreCountedRejections() {
        final String bundle = """
            {"resourceType": "Bundle", "type": "collection", "entry": [
              {"fullUrl": "x"},
              {"resource": {"resourceType": "Practitioner"}},
              {"resource": {"resourceType": "Practitioner", "id": "p1", "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "8123"}]}},
              {"resource": {"resourceType": "Practitioner", "id": "p2", "name": [{"family": "Sans identifiant"}]}},
              {"resource": {"resourceType": "Practitioner", "id": "p3", "identifier": [{"system": "https://rpps.esante.gouv.fr", "value": "10000000066"}]}},
              {"resource": {"resourceType": "HealthcareService", "id": "h1"}}]}
            """;
        final IngestReport report = loader.load("b.json", utf8(bundle), null, null, null).report();
        assertThat(report.received()).isEqualTo(5);
        assertThat(report.accepted()).isZero();
        assertThat(report.rejected(RejectReason.MISSING_FIELD)).isEqualTo(3); // no resource, no id, no name
        assertThat(report.rejected(RejectReason.INVALID_RPPS)).isEqualTo(2);
    }

    @Test
    void aPlaceOfWorkOfNobodyInTheFileIsCounted() {
        final String ndjson = """
            {"resourceType": "PractitionerRole", "id": "r1", "practitioner": {"reference": "Practitioner/absent"}}
            {"resourceType": "PractitionerRole", "id": "r2"}
            """;
        final IngestReport report = loader.load("r.ndjson", utf8(ndjson), null, null, null).report();
        assertThat(report.received()).isEqualTo(2);
        assertThat(report.rejected(RejectReason.MISSING_FIELD)).isEqualTo(2);
        assertThat(report.samples()).extracting(Rejection::recordId)
            .containsExactly("PractitionerRole/r1", "PractitionerRole/r2");
    }

    /**
     * Whatever a damaged export holds (cut anywhere, bytes changed anywhere), the loader answers a
     * directory with its report or a {@link FeedFormatException}: never another exception.
     */
    @Test
    void aDamagedExportIsADirectoryOrATypedErrorNeverAnotherException() {
        final byte[] good = read("annuaire/annuaire-searchset.json").getBytes(StandardCharsets.UTF_8);
        final java.util.Random random = new java.util.Random(15);
        final byte[] alphabet = "{}[],:\"0123456789.-eE ntrufalsNaN\\/#x\u00e9".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 400; i++) {
            final byte[] damaged;
            if (i % 4 == 0) {
                damaged = java.util.Arrays.copyOf(good, random.nextInt(good.length));
            } else {
                damaged = good.clone();
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    damaged[random.nextInt(damaged.length)] = alphabet[random.nextInt(alphabet.length)];
                }
            }
            try {
                final AnnuaireSanteLoader.Result r = loader.load("damaged.json", new ByteArrayInputStream(damaged),
                    "overlay.json", new ByteArrayInputStream(read("annuaire/overlay.json").getBytes(StandardCharsets.UTF_8)), null);
                assertThat(r.report().accepted() + r.report().rejectedTotal()).isEqualTo(r.report().received());
            } catch (final FeedFormatException expected) {
                assertThat(expected.getMessage()).startsWith("damaged.json: ");
            }
        }
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedAndASymbolicLinkIsNotFollowed(@TempDir final Path dir) throws IOException {
        final AnnuaireSanteLoader small = new AnnuaireSanteLoader(VendorRegistry.defaults(),
            new IngestConfig(Duration.ofHours(48), Duration.ofHours(12), IngestConfig.DEFAULT_MAX_CLOCK_SKEW, 1_000));
        assertThatThrownBy(() -> small.load(Fixtures.path("annuaire/annuaire-searchset.json"), null, null))
            .isInstanceOf(FeedTooLargeException.class);
        final Path link = dir.resolve("annuaire.json");
        Files.createSymbolicLink(link, Fixtures.path("annuaire/annuaire-searchset.json"));
        assertThatThrownBy(() -> loader.load(link, null, null)).isInstanceOf(FeedFormatException.class);
        assertThatThrownBy(() -> loader.load(dir.resolve("none.json"), null, null))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("no such file");
    }

    @Test
    void aReloadKeepsEveryPractitionersIndex() {
        final Directory first = national().directory();
        final Directory again = loader.load(Fixtures.path("annuaire/annuaire-searchset.json"),
            Fixtures.path("annuaire/overlay.json"), first).directory();
        for (final long key : new long[] {SAUCIER, DURAND, PETIT}) {
            assertThat(again.indexOf(key)).isEqualTo(first.indexOf(key)).isNotNegative();
        }
    }

    private static String read(final String fixture) {
        try {
            return Files.readString(Fixtures.path(fixture));
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
