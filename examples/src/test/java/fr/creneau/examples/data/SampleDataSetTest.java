package fr.creneau.examples.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import fr.creneau.examples.data.ReferenceData.Commune;

class SampleDataSetTest {
    /** Tuesday 3 June 2025, 09:30 in Paris. */
    static final Instant NOW = Instant.parse("2025-06-03T07:30:00Z");
    /** Three weeks and a few hours later. */
    static final Instant LATER = NOW.plus(Duration.ofDays(21).plusHours(5));

    @TempDir
    static Path tmp;
    static GeneratedData now;
    static GeneratedData later;

    @BeforeAll
    static void writeTwice() throws IOException {
        SampleDataSet.writeTo(tmp.resolve("now"), NOW);
        SampleDataSet.writeTo(tmp.resolve("later"), LATER);
        now = GeneratedData.read(tmp.resolve("now"));
        later = GeneratedData.read(tmp.resolve("later"));
    }

    @Test
    void hasParisAndLozerePractitionersWithSlots() {
        final Set<String> withSlot = new HashSet<>();
        for (final GeneratedData.Slot s : now.slots) {
            withSlot.add(s.rpps());
        }
        int paris = 0;
        int lozere = 0;
        int parisWithSlot = 0;
        int lozereWithSlot = 0;
        for (final JsonNode p : now.practitionerList) {
            final double lat = p.get("lat").asDouble();
            final double lon = p.get("lon").asDouble();
            final boolean slot = withSlot.contains(p.get("rpps").asText());
            if (DataGeneratorTest.isParis(lat, lon)) {
                paris++;
                parisWithSlot += slot ? 1 : 0;
            } else if (DataGeneratorTest.isLozere(lat, lon)) {
                lozere++;
                lozereWithSlot += slot ? 1 : 0;
            } else {
                throw new AssertionError("neither Paris nor Lozère: " + p);
            }
        }
        assertThat(paris).isGreaterThan(3000);
        assertThat(lozere).isBetween(50, 150);
        assertThat(parisWithSlot).isPositive();
        assertThat(lozereWithSlot).isPositive();
    }

    @Test
    void slotsAreRelativeToNow() {
        for (final GeneratedData data : List.of(now, later)) {
            final Instant from = data == now ? NOW : LATER;
            assertThat(data.slots).isNotEmpty();
            for (final GeneratedData.Slot s : data.slots) {
                assertThat(s.startInstant()).isAfterOrEqualTo(from);
                assertThat(s.endInstant()).isBeforeOrEqualTo(from.plus(Duration.ofHours(48)));
            }
        }
    }

    @Test
    void theDirectoryIsTheSameWhateverTheInstant() {
        assertThat(GeneratedData.allBytes(tmp.resolve("later")).get("practitioners.json"))
            .isEqualTo(GeneratedData.allBytes(tmp.resolve("now")).get("practitioners.json"));
    }

    /** The point of Lozère: somewhere a patient has no visible GP slot within 10 km. */
    @Test
    void someLozereCommuneHasNoVisibleGpSlotWithin10Km() {
        final List<double[]> visibleGps = new ArrayList<>();
        for (final GeneratedData.Slot s : now.slots) {
            final JsonNode p = now.practitionerOf(s);
            final boolean visible = s.manual() || (Set.of("PUBLIC", "PROFESSIONAL").contains(s.node().get("visibility").asText())
                && !p.get("refusesVendorSlots").asBoolean());
            if (visible && p.get("profession").asText().equals("GP")) {
                visibleGps.add(new double[] {p.get("lat").asDouble(), p.get("lon").asDouble()});
            }
        }
        int isolated = 0;
        for (final Commune c : ReferenceData.get().departement("48").communes()) {
            boolean near = false;
            for (final double[] gp : visibleGps) {
                final double dLat = c.lat() - gp[0];
                final double dLon = (c.lon() - gp[1]) * Math.cos(Math.toRadians(c.lat()));
                if (111.2 * Math.sqrt(dLat * dLat + dLon * dLon) < 10) {
                    near = true;
                    break;
                }
            }
            isolated += near ? 0 : 1;
        }
        assertThat(isolated).isPositive();
    }
}
