package fr.creneau.pdsa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PDSA files (issue 16): the patient's sector by point-in-polygon, and typed, counted
 * rejections for overlapping shifts, a shift in an unknown sector, a polygon that does not close,
 * and a roster outside the 48 h.
 */
class PdsaLayerTest {
    private static final Instant NOW = Instant.parse("2026-11-24T21:30:00Z");

    /** Two sectors sharing the meridian 3.5°E between 44.4°N and 44.7°N. */
    private static final String TWO_SECTORS = """
        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"id": "west", "name": "Ouest"},
           "geometry": {"type": "Polygon", "coordinates": [[[3.3, 44.4], [3.5, 44.4], [3.5, 44.7], [3.3, 44.7], [3.3, 44.4]]]}},
          {"type": "Feature", "properties": {"id": "east", "name": "Est"},
           "geometry": {"type": "MultiPolygon", "coordinates": [[[[3.5, 44.4], [3.7, 44.4], [3.7, 44.7], [3.5, 44.7], [3.5, 44.4]]]]}}
        ]}""";

    @TempDir
    Path dir;

    private PdsaLayer load(final String sectors, final String roster) throws IOException {
        Files.writeString(dir.resolve("sectors.geojson"), sectors);
        if (roster != null) {
            Files.writeString(dir.resolve("roster.json"), roster);
        }
        return PdsaLayer.load(dir, NOW);
    }

    @Test
    void aPatientNearASectorBorderGetsTheSectorTheyAreIn() throws IOException {
        final PdsaLayer layer = load(TWO_SECTORS, null);
        // 8 m either side of the border.
        assertThat(layer.sectorAt(44.55, 3.4999).id()).isEqualTo("west");
        assertThat(layer.sectorAt(44.55, 3.5001).id()).isEqualTo("east");
        // On the border itself both cover the point: the smaller id, every time.
        assertThat(layer.sectorAt(44.55, 3.5).id()).isEqualTo("east");
        assertThat(layer.sectorAt(44.80, 3.5)).isNull();
        assertThat(layer.report().sectorsKept()).isEqualTo(2);
    }

    @Test
    void aPolygonThatDoesNotCloseIsACountedRejection() throws IOException {
        final PdsaLayer layer = load("""
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "properties": {"id": "open", "name": "Ouvert"},
               "geometry": {"type": "Polygon", "coordinates": [[[3.3, 44.4], [3.5, 44.4], [3.5, 44.7], [3.3, 44.7]]]}},
              {"type": "Feature", "properties": {"id": "ok", "name": "Fermé"},
               "geometry": {"type": "Polygon", "coordinates": [[[3.3, 44.4], [3.5, 44.4], [3.5, 44.7], [3.3, 44.4]]]}}
            ]}""", null);
        assertThat(layer.report().count(PdsaRejectReason.POLYGON_NOT_CLOSED)).isEqualTo(1);
        assertThat(layer.sector("open")).isNull();
        assertThat(layer.sector("ok")).isNotNull();
    }

    @Test
    void overlappingShiftsAShiftInAnUnknownSectorAndShiftsOutsideThe48hAreCountedRejections() throws IOException {
        final PdsaLayer layer = load(TWO_SECTORS, """
            {"shifts": [
              {"sector": "west", "start": "2026-11-24T20:00:00+01:00", "end": "2026-11-25T08:00:00+01:00", "rpps": "10000000017"},
              {"sector": "west", "start": "2026-11-25T06:00:00+01:00", "end": "2026-11-25T10:00:00+01:00", "rpps": "10000000025"},
              {"sector": "east", "start": "2026-11-24T20:00:00+01:00", "end": "2026-11-25T08:00:00+01:00", "structure": "mmg-1", "phone": "15"},
              {"sector": "nowhere", "start": "2026-11-24T20:00:00+01:00", "end": "2026-11-25T08:00:00+01:00", "rpps": "10000000017"},
              {"sector": "east", "start": "2026-11-20T20:00:00+01:00", "end": "2026-11-21T08:00:00+01:00", "rpps": "10000000017"},
              {"sector": "east", "start": "2026-11-27T20:00:00+01:00", "end": "2026-11-28T08:00:00+01:00", "rpps": "10000000017"},
              {"sector": "east", "start": "2026-11-25T08:00:00+01:00", "end": "2026-11-25T07:00:00+01:00", "rpps": "10000000017"}
            ]}""");
        final PdsaReport r = layer.report();
        assertThat(r.count(PdsaRejectReason.OVERLAPPING_SHIFT)).isEqualTo(1);
        assertThat(r.count(PdsaRejectReason.UNKNOWN_SECTOR)).isEqualTo(1);
        assertThat(r.count(PdsaRejectReason.OUTSIDE_48H)).isEqualTo(2);
        assertThat(r.count(PdsaRejectReason.MALFORMED_SHIFT)).isEqualTo(1);
        assertThat(r.shiftsKept()).isEqualTo(2);
        assertThat(layer.onDuty("west", NOW).rpps()).isEqualTo(10000000017L);
        assertThat(layer.onDuty("east", NOW).structure()).isEqualTo("mmg-1");
        assertThat(layer.onDuty("east", NOW).phone()).isEqualTo("15");
        assertThat(layer.onDuty("east", Instant.parse("2026-11-25T08:00:00Z"))).isNull();
    }

    @Test
    void aFileThatIsNotAFeatureCollectionIsATypedError() throws IOException {
        Files.writeString(dir.resolve("sectors.geojson"), "[1, 2]");
        assertThatThrownBy(() -> PdsaLayer.load(dir, NOW)).isInstanceOf(PdsaFormatException.class)
            .hasMessageContaining("FeatureCollection");
        Files.writeString(dir.resolve("sectors.geojson"), "{\"type\": ");
        assertThatThrownBy(() -> PdsaLayer.load(dir, NOW)).isInstanceOf(PdsaFormatException.class);
    }

    @Test
    void aLinkedFileIsNotFollowed() throws IOException {
        final Path real = Files.writeString(dir.resolve("real.geojson"), TWO_SECTORS);
        final Path sub = Files.createDirectories(dir.resolve("sub"));
        Files.createSymbolicLink(sub.resolve("sectors.geojson"), real);
        assertThatThrownBy(() -> PdsaLayer.load(sub.resolve("sectors.geojson"), null, NOW))
            .isInstanceOf(PdsaFormatException.class);
    }
}
