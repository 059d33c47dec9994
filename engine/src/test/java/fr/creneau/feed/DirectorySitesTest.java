package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.directory.Communes;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Site;
import fr.creneau.directory.Structure;
import fr.creneau.directory.StructureKind;
import fr.creneau.directory.VendorRegistry;

/** Issue 15: {@code sites} and {@code structure} in {@code practitioners.json}, and {@code structures.json} beside it. */
class DirectorySitesTest {
    private final DirectoryLoader loader = new DirectoryLoader(VendorRegistry.defaults());

    @TempDir
    Path dir;

    private static String entry(final String rpps, final String extra) {
        return "{\"rpps\": \"" + rpps + "\", \"name\": \"Dr " + rpps + "\", \"profession\": \"GP\", \"phone\": \"01 00\","
            + " \"vendor\": null, \"refusesVendorSlots\": false, \"participation\": \"INDIVIDUAL\","
            + " \"acceptsExtraPatients\": true, \"cpts\": null" + extra + "}";
    }

    private DirectoryLoader.Result load(final String practitioners, final String structures) throws IOException {
        final Path file = dir.resolve("practitioners.json");
        Files.writeString(file, practitioners);
        if (structures != null) {
            Files.writeString(dir.resolve("structures.json"), structures);
        }
        return loader.load(file);
    }

    @Test
    void todaysFilesLoadAsOneMainSiteAtThePractitionersPositionAndPhone() {
        final Directory directory = loader.load(Fixtures.path("practitioners.json")).directory();
        final Practitioner alice = directory.byRpps(10000000017L);
        assertThat(alice.sites()).containsExactly(Site.main(alice.lat(), alice.lon(), alice.phone()));
        assertThat(alice.structure()).isNull();
        assertThat(directory.structures()).isEmpty();
    }

    @Test
    void sitesAreReadMainFirstWithTheirCommuneWhenTheyHaveNoCoordinates() throws IOException {
        final DirectoryLoader.Result r = load("[" + entry("10000000017",
            ", \"sites\": [{\"id\": \"s1\", \"address\": {\"lines\": [\"12 rue de la Paix\"], \"postalCode\": \"75002\","
                + " \"city\": \"Paris\", \"inseeCode\": \"75102\"}, \"lat\": 48.869, \"lon\": 2.331,"
                + " \"phone\": \"+33 1 00 00 00 00\"},"
                + " {\"id\": \"s2\", \"address\": {\"lines\": [\"1 place de l'Église\"], \"postalCode\": \"48000\"}}]")
            + "]", null);
        assertThat(r.report().accepted()).isEqualTo(1);
        final Practitioner p = r.directory().byRpps(10000000017L);
        assertThat(p.sites()).extracting(Site::id).containsExactly("s1", "s2");
        assertThat(p.lat()).isEqualTo(48.869); // the main site's
        assertThat(p.mainSite().phone()).isEqualTo("+33 1 00 00 00 00");
        assertThat(p.mainSite().approximate()).isFalse();
        final Site second = p.sites().get(1);
        assertThat(second.phone()).isEqualTo("01 00"); // the practitioner's
        assertThat(second.approximate()).isTrue();
        final Communes.Commune mende = Communes.bundled().byPostalCode("48000");
        assertThat(second.lat()).isEqualTo(mende.lat());
        assertThat(second.lon()).isEqualTo(mende.lon());
        assertThat(second.address().oneLine()).isEqualTo("1 place de l'Église, 48000");
    }

    @Test
    void badSitesAreCountedRejectionsAndTheRestLoads() throws IOException {
        final DirectoryLoader.Result r = load("[" + String.join(",",
            entry("10000000017", ", \"sites\": []"),
            entry("10000000025", ", \"sites\": [{\"id\": \"a\", \"lat\": 48.8, \"lon\": 2.3}, {\"id\": \"a\", \"lat\": 48.8, \"lon\": 2.3}]"),
            entry("10000000033", ", \"sites\": [{\"id\": \"a\", \"address\": {\"postalCode\": \"00000\"}}]"),
            entry("10000000041", ", \"sites\": [{\"id\": \"a\", \"lat\": 40.7, \"lon\": -74.0}]"),
            entry("10000000058", ", \"sites\": [{\"lat\": 48.8, \"lon\": 2.3}]"),
            entry("10000000066", ", \"sites\": [{\"id\": \"a\"}]"),
            entry("10000000074", ", \"sites\": [{\"id\": \"a\", \"lat\": 48.8}]"),
            entry("10000000082", ", \"structure\": \"nope\", \"lat\": 48.8, \"lon\": 2.3"),
            entry("10000000090", ", \"lat\": 48.8, \"lon\": 2.3")) + "]", null);
        final IngestReport report = r.report();
        assertThat(report.accepted()).isEqualTo(1);
        assertThat(report.rejected(RejectReason.INVALID_VALUE)).isEqualTo(4); // empty, twice "a", unknown commune, lat alone
        assertThat(report.rejected(RejectReason.OUTSIDE_FRANCE)).isEqualTo(1);
        assertThat(report.rejected(RejectReason.MISSING_FIELD)).isEqualTo(2); // no id; no position nor address
        assertThat(report.rejected(RejectReason.UNKNOWN_STRUCTURE)).isEqualTo(1);
        assertThat(report.samples()).extracting(Rejection::detail)
            .anySatisfy(d -> assertThat(d).contains("site id 'a' listed twice"))
            .anySatisfy(d -> assertThat(d).contains("structure 'nope' is not in structures.json"));
    }

    @Test
    void structuresAreReadFromTheFileBesideAndNamedByTheirPractitioners() throws IOException {
        final String structures = "[{\"id\": \"1750000001\", \"kind\": \"CDS\", \"name\": \"CDS Belleville\","
            + " \"phone\": \"01 11\", \"address\": {\"lines\": [\"3 rue X\"], \"postalCode\": \"75020\", \"city\": \"Paris\","
            + " \"inseeCode\": \"75120\"}, \"lat\": 48.87, \"lon\": 2.38,"
            + " \"hours\": [{\"days\": [\"MON\", \"TUE\"], \"from\": \"08:00\", \"to\": \"20:00\"}]},"
            + " {\"id\": \"mmg-48\", \"kind\": \"MMG\", \"name\": \"MMG Mende\", \"phone\": \"04 66\","
            + " \"address\": {\"postalCode\": \"48000\", \"city\": \"Mende\"},"
            + " \"hours\": [{\"days\": [\"SAT\"], \"from\": \"12:00\", \"to\": \"24:00\"}, {\"days\": [\"MON\"], \"from\": \"20:00\", \"to\": \"08:00\"}]},"
            + " {\"id\": \"x\", \"kind\": \"HOSPITAL\", \"name\": \"n\", \"phone\": \"p\", \"lat\": 48.8, \"lon\": 2.3},"
            + " {\"id\": \"y\", \"kind\": \"MSP\", \"name\": \"n\", \"phone\": \"p\", \"lat\": 48.8, \"lon\": 2.3,"
            + " \"hours\": [{\"days\": [\"MONDAY\"], \"from\": \"08:00\", \"to\": \"20:00\"}]},"
            + " {\"id\": \"z\", \"kind\": \"MSP\", \"name\": \"n\", \"phone\": \"p\", \"lat\": 48.8, \"lon\": 2.3,"
            + " \"hours\": [{\"days\": [\"MON\"], \"from\": \"8h\", \"to\": \"20:00\"}]},"
            + " {\"id\": \"1750000001\", \"kind\": \"CDS\", \"name\": \"again\", \"phone\": \"p\", \"lat\": 48.8, \"lon\": 2.3},"
            + " {\"kind\": \"CDS\", \"name\": \"n\", \"phone\": \"p\", \"lat\": 48.8, \"lon\": 2.3}]";
        final DirectoryLoader.Result r = load("[" + entry("10000000017", ", \"structure\": \"1750000001\", \"lat\": 48.87,"
            + " \"lon\": 2.38") + "]", structures);
        assertThat(r.report().accepted()).isEqualTo(1);
        assertThat(r.report().received()).isEqualTo(1);
        final IngestReport report = r.structures();
        assertThat(report.label()).isEqualTo("structures.json");
        assertThat(report.received()).isEqualTo(7);
        assertThat(report.accepted()).isEqualTo(2);
        assertThat(report.rejected(RejectReason.INVALID_VALUE)).isEqualTo(4);
        assertThat(report.rejected(RejectReason.MISSING_FIELD)).isEqualTo(1);
        assertThat(report.samples()).extracting(Rejection::recordId).contains("structure x", "structure y", "structure #6");
        final Structure cds = r.directory().structure("1750000001");
        assertThat(cds.kind()).isEqualTo(StructureKind.CDS);
        assertThat(cds.name()).isEqualTo("CDS Belleville");
        assertThat(cds.approximate()).isFalse();
        assertThat(cds.hours()).singleElement().satisfies(h -> {
            assertThat(h.days()).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.TUESDAY);
            assertThat(h.from()).isEqualTo(LocalTime.of(8, 0));
        });
        final Structure mmg = r.directory().structure("mmg-48");
        assertThat(mmg.approximate()).isTrue();
        assertThat(mmg.hours()).hasSize(2).allSatisfy(h -> assertThat(h.overnight()).isTrue());
        assertThat(r.directory().byRpps(10000000017L).structure()).isEqualTo("1750000001");
    }

    @Test
    void aStructuresFileThatIsNotAnArrayChangesNothing() throws IOException {
        assertThatThrownBy(() -> load("[]", "{\"id\": 1}")).isInstanceOf(FeedFormatException.class)
            .hasMessageContaining("structures");
    }
}
