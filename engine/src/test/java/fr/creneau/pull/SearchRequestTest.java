package fr.creneau.pull;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The request is the ANS guide's slot search, character for character. */
class SearchRequestTest {
    @Test
    void theSearchIsTheGuidesWithPrefixedIdentifiersAndA48HourWindow() {
        final URI uri = Puller.searchUri(URI.create("https://vendor.example/fhir"), List.of(10000000017L, 810000000L),
            Instant.parse("2026-11-23T08:59:30.250Z"));

        assertThat(uri.toString()).isEqualTo("https://vendor.example/fhir/Slot?_include=Slot:schedule"
            + "&_include:iterate=Schedule:actor&start=ge2026-11-23T08:59:30Z&start=le2026-11-25T08:59:30Z"
            + "&schedule.actor:Practitioner.identifier=urn:oid:1.2.250.1.71.4.2.1%7C810000000017,"
            + "urn:oid:1.2.250.1.71.4.2.1%7C800810000000&status=free");
        assertThat(uri.getQuery()).contains("urn:oid:1.2.250.1.71.4.2.1|810000000017");
        assertThat(Puller.ACCEPT).isEqualTo("application/json+fhir");
    }

    @Test
    void theCptsVariantAddsTheGuidesIncludesAndTheSosVariantSearchesSchedulesBySiret() {
        final Instant now = Instant.parse("2026-11-23T08:59:30.250Z");
        final fr.creneau.directory.Vendor doctolib = fr.creneau.directory.VendorRegistry.defaults().require("Doctolib");
        final Endpoint plain = Endpoint.of(doctolib, URI.create("https://vendor.example/fhir"));
        assertThat(Puller.searchUri(plain, List.of(10000000017L), now))
            .isEqualTo(Puller.searchUri(URI.create("https://vendor.example/fhir"), List.of(10000000017L), now));

        assertThat(Puller.searchUri(plain.withSearch(SearchKind.CPTS, List.of()), List.of(10000000017L), now).toString())
            .isEqualTo("https://vendor.example/fhir/Slot?_include=Slot:schedule&_include:iterate=Schedule:actor"
                + "&_include=Slot:service-type-reference&_include:iterate=HealthcareService:organization"
                + "&start=ge2026-11-23T08:59:30Z&start=le2026-11-25T08:59:30Z"
                + "&schedule.actor:Practitioner.identifier=urn:oid:1.2.250.1.71.4.2.1%7C810000000017&status=free");

        final Endpoint sos = plain.withSearch(SearchKind.SOS_MEDECINS, List.of("33417374840002", "39208046630001"));
        assertThat(Puller.searchUri(sos, List.of(33417374840002L, 39208046630001L), now).toString())
            .isEqualTo("https://vendor.example/fhir/Schedule?_revinclude=Slot:schedule"
                + "&_include=Schedule:actor:Location&_include:iterate=Location:organization"
                + "&_has:Slot:schedule:start=ge2026-11-23T08:59:30Z&_has:Slot:schedule:start=le2026-11-25T08:59:30Z"
                + "&_has:Slot:schedule:status=free&actor:Location.organization.identifier="
                + "urn:oid:1.2.250.1.71.4.2.2%7C333417374840002,urn:oid:1.2.250.1.71.4.2.2%7C339208046630001");
    }
}
