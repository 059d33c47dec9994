package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Territory;
import fr.creneau.directory.VendorRegistry;

class DirectoryLoaderTest {
    private final DirectoryLoader loader = new DirectoryLoader(VendorRegistry.defaults());

    @Test
    void shouldLoadValidEntriesAndCountEachBadOneByReason() {
        final DirectoryLoader.Result result = loader.load(Fixtures.path("practitioners.json"));
        final IngestReport report = result.report();

        assertThat(result.directory().size()).isEqualTo(6);
        assertThat(report.received()).isEqualTo(14);
        assertThat(report.accepted()).isEqualTo(6);
        assertThat(report.rejected(RejectReason.INVALID_RPPS)).isEqualTo(2);
        assertThat(report.rejected(RejectReason.OUTSIDE_FRANCE)).isEqualTo(2);
        assertThat(report.rejected(RejectReason.DUPLICATE_RPPS)).isEqualTo(1);
        assertThat(report.rejected(RejectReason.UNKNOWN_VENDOR)).isEqualTo(1);
        assertThat(report.rejected(RejectReason.INVALID_VALUE)).isEqualTo(1);
        assertThat(report.rejected(RejectReason.MISSING_FIELD)).isEqualTo(1);
        assertThat(report.samples()).extracting(Rejection::recordId)
            .contains("10000000018", "1234", "10000000074", "10000000116");
    }

    @Test
    void shouldKeepTheFirstEntryOfADuplicateRpps() {
        final Practitioner alice = loader.load(Fixtures.path("practitioners.json")).directory().byRpps(10000000017L);
        assertThat(alice.name()).isEqualTo("Dr Alice Martin");
    }

    @Test
    void shouldMapFieldsAndDeriveTerritoryAndVendorCode() {
        final Directory directory = loader.load(Fixtures.path("practitioners.json")).directory();
        final Practitioner bruno = directory.byRpps(10000000025L);
        assertThat(bruno.vendor()).isEqualTo("doctolib");
        assertThat(bruno.refusesVendorSlots()).isTrue();
        assertThat(bruno.participation()).isEqualTo(Participation.CPTS);
        assertThat(bruno.cpts().phone()).isEqualTo("01 45 00 15 15");
        assertThat(directory.byRpps(10000000041L).profession()).isEqualTo(Profession.NURSE);
        assertThat(directory.byRpps(10000000041L).vendor()).isNull();
        assertThat(directory.byRpps(10000000058L).territory()).isEqualTo(Territory.LA_REUNION);
        assertThat(directory.byRpps(10000000033L).territory()).isEqualTo(Territory.METROPOLE);
    }

    @Test
    void shouldRefuseAFileThatIsNotAnArray() {
        assertThatThrownBy(() -> load("{\"rpps\": \"10000000017\"}"))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("array");
    }

    @Test
    void shouldRefuseATruncatedFileRatherThanLoadPartOfIt() {
        assertThatThrownBy(() -> load("[{\"rpps\": \"10000000017\", \"name\": \"A\"}, {\"rpps\": \"1000"))
            .isInstanceOf(FeedFormatException.class).hasMessageContaining("malformed JSON");
    }

    @Test
    void shouldRejectCptsParticipationWithoutCpts() {
        final DirectoryLoader.Result r = load("[{\"rpps\": \"10000000017\", \"name\": \"A\", \"profession\": \"GP\","
            + " \"lat\": 48.85, \"lon\": 2.35, \"phone\": \"01\", \"vendor\": null, \"refusesVendorSlots\": false,"
            + " \"participation\": \"CPTS\", \"acceptsExtraPatients\": true, \"cpts\": null}]");
        assertThat(r.report().rejected(RejectReason.MISSING_FIELD)).isEqualTo(1);
        assertThat(r.directory().size()).isZero();
    }

    @Test
    void shouldReadTheOptionalRegulationPhoneAndHomeVisitRadiusAndRejectBadValues() {
        final String base = "{\"rpps\": \"%s\", \"name\": \"A\", \"profession\": \"GP\","
            + " \"lat\": 48.85, \"lon\": 2.35, \"phone\": \"01\", \"vendor\": null, \"refusesVendorSlots\": false,"
            + " \"participation\": \"INDIVIDUAL\", \"acceptsExtraPatients\": true, \"cpts\": null%s}";
        final DirectoryLoader.Result r = load("[" + String.join(",",
            base.formatted("10000000017", ", \"regulationPhone\": \"06 15\", \"homeVisitRadiusKm\": 15"),
            base.formatted("10000000025", ", \"regulationPhone\": null, \"homeVisitRadiusKm\": null"),
            base.formatted("10000000033", ", \"homeVisitRadiusKm\": -1"),
            base.formatted("10000000041", ", \"regulationPhone\": \" \"")) + "]");
        assertThat(r.directory().byRpps(10000000017L).regulationPhone()).isEqualTo("06 15");
        assertThat(r.directory().byRpps(10000000017L).homeVisitRadiusKm()).isEqualTo(15.0);
        assertThat(r.directory().byRpps(10000000025L).regulationPhone()).isNull();
        assertThat(r.directory().byRpps(10000000025L).homeVisitRadiusKm()).isNaN();
        assertThat(r.report().rejected(RejectReason.INVALID_VALUE)).isEqualTo(2);
        assertThat(r.directory().size()).isEqualTo(2);
    }

    @Test
    void shouldKeepIndicesStableAcrossReloadsAndLeaveHolesForLeavers() {
        final Directory first = loader.load(Fixtures.path("practitioners.json")).directory();
        final int claire = first.indexOf(10000000033L);
        final int alice = first.indexOf(10000000017L);
        final String onlyClaireAndANewcomer = "[" + entry("10000000033") + "," + entry("10000000132") + "]";
        final Directory second = loader.load("reload", bytes(onlyClaireAndANewcomer), first).directory();

        assertThat(second.indexOf(10000000033L)).isEqualTo(claire);
        assertThat(second.indexOf(10000000017L)).isEqualTo(-1);
        assertThat(second.get(alice)).isNull();
        assertThat(second.indexOf(10000000132L)).isEqualTo(first.capacity());
        assertThat(second.size()).isEqualTo(2);
        assertThat(second.practitioners()).extracting(Practitioner::rpps).containsExactly(10000000033L, 10000000132L);
    }

    private static String entry(final String rpps) {
        return "{\"rpps\": \"" + rpps + "\", \"name\": \"P" + rpps + "\", \"profession\": \"GP\", \"lat\": 44.5,"
            + " \"lon\": 3.5, \"phone\": \"04\", \"vendor\": null, \"refusesVendorSlots\": false,"
            + " \"participation\": \"INDIVIDUAL\", \"acceptsExtraPatients\": false, \"cpts\": null}";
    }

    private DirectoryLoader.Result load(final String json) {
        return loader.load("inline", bytes(json), null);
    }

    private static ByteArrayInputStream bytes(final String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldListPractitionersInIndexOrder() {
        final List<Practitioner> all = loader.load(Fixtures.path("practitioners.json")).directory().practitioners();
        assertThat(all).extracting(Practitioner::rpps).containsExactly(
            10000000017L, 10000000025L, 10000000033L, 10000000041L, 10000000058L, 10000000066L);
    }
}
