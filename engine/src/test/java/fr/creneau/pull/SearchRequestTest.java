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
}
