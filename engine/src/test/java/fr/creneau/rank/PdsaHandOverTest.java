package fr.creneau.rank;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.EngineInternals;
import fr.creneau.calendar.CareChannel;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Structure;
import fr.creneau.directory.StructureKind;
import fr.creneau.directory.Territory;
import fr.creneau.directory.WeeklyHours;
import fr.creneau.pdsa.PdsaLayer;

/**
 * The channel of a search comes from the hours at its "now", and in the PDSA channel the second
 * level is the PDSA (DOMAIN.md, Hours; issue 16): the effector on duty in the patient's sector,
 * then the MMGs open now nearest first, then SOS Médecins; never a surnuméraire doctor or a CPTS.
 * Patient in Mende (Lozère).
 */
class PdsaHandOverTest {
    private static final double LAT = 44.5180;
    private static final double LON = 3.5000;
    /** Tuesday 24 November 2026, 22:30 in Paris. */
    private static final Instant TUESDAY_2230 = Instant.parse("2026-11-24T21:30:00Z");
    /** Sunday 29 November 2026, 10:00 in Paris. */
    private static final Instant SUNDAY_1000 = Instant.parse("2026-11-29T09:00:00Z");
    /** Tuesday 24 November 2026, 10:00 in Paris. */
    private static final Instant TUESDAY_1000 = Instant.parse("2026-11-24T09:00:00Z");
    /** Friday 15 May 2026, 10:00 in Paris: the day after Ascension (Thursday 14 May), a bridge day. */
    private static final Instant BRIDGE_FRIDAY_1000 = Instant.parse("2026-05-15T08:00:00Z");

    @TempDir
    Path dir;

    private final RegulatorQuery query = new RegulatorQuery();
    private final SearchResults results = new SearchResults();
    private long onCall;

    /** Surnuméraire doctors and a CPTS near Mende, an effector on call, MMGs and SOS Médecins. */
    private Creneau mende(final Instant now, final String shiftStart, final String shiftEnd) throws IOException {
        final Scenario s = new Scenario(dir);
        s.practitioner("surnumeraire", "GP", 44.5181, 3.5006, null, true, null);
        s.practitioner("marvejols-cpts", "GP", 44.5539, 3.2917, null, true, "lozere");
        onCall = s.practitioner("de-garde", "GP", 44.60, 3.55, null, false, null);
        final Path pdsa = Files.createDirectories(dir.resolve("pdsa"));
        Files.writeString(pdsa.resolve("sectors.geojson"), """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "properties": {"id": "48-mende", "name": "Mende"},
               "geometry": {"type": "Polygon", "coordinates": [[[3.3, 44.4], [3.7, 44.4], [3.7, 44.7], [3.3, 44.7], [3.3, 44.4]]]}}
            ]}""");
        Files.writeString(pdsa.resolve("roster.json"), """
            {"shifts": [{"sector": "48-mende", "start": "%s", "end": "%s", "rpps": "%s", "phone": "04 66 00 00 15"}]}"""
            .formatted(shiftStart, shiftEnd, fr.creneau.directory.Rpps.format(onCall)));
        final ProtocolConfig protocol = ProtocolConfig.builder().pdsa(PdsaLayer.load(pdsa, now)).build();
        final Creneau creneau = s.load(Clock.fixed(now, ZoneOffset.UTC), protocol);
        final EnumSet<DayOfWeek> all = EnumSet.allOf(DayOfWeek.class);
        final Directory.Builder builder = Directory.builder(creneau.directory());
        creneau.directory().practitioners().forEach(builder::add);
        final Directory withStructures = builder
            .addStructure(structure("mmg-far", StructureKind.MMG, 44.40, 3.45,
                List.of(new WeeklyHours(all, LocalTime.of(0, 0), LocalTime.of(23, 59)))))
            .addStructure(structure("mmg-near", StructureKind.MMG, 44.53, 3.51,
                List.of(new WeeklyHours(all, LocalTime.of(0, 0), LocalTime.of(23, 59)))))
            .addStructure(structure("mmg-closed", StructureKind.MMG, 44.52, 3.50,
                List.of(new WeeklyHours(EnumSet.of(DayOfWeek.WEDNESDAY), LocalTime.of(14, 0), LocalTime.of(16, 0)))))
            .addStructure(structure("sos", StructureKind.SOS_MEDECINS, 44.55, 3.40, List.of()))
            .addStructure(structure("sos-nimes", StructureKind.SOS_MEDECINS, 43.84, 4.36, List.of()))
            .build();
        EngineInternals.index(creneau).updateDirectory(withStructures);
        return creneau;
    }

    private static Structure structure(final String id, final StructureKind kind, final double lat, final double lon,
                                       final List<WeeklyHours> hours) {
        return new Structure(id, kind, id, "tel-" + id, null, lat, lon, false, hours, Territory.METROPOLE);
    }

    private List<String> rows() {
        final List<String> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            rows.add(results.kind(i) + ":" + results.name(i));
        }
        return rows;
    }

    @Test
    void tuesdayAt2230WithAFourHourWindowThePdsaTakesOverNoSurnumeraireNoCpts() throws IOException {
        final Creneau c = mende(TUESDAY_2230, "2026-11-24T20:00:00+01:00", "2026-11-25T08:00:00+01:00");
        c.search(query.reset().patient(LAT, LON).now(TUESDAY_2230).windowMinutes(4 * 60), results);
        assertThat(results.channel()).isEqualTo(CareChannel.PDSA);
        assertThat(results.departement()).isEqualTo("48");
        assertThat(rows()).containsExactly("PDSA:de-garde", "PDSA:mmg-near", "PDSA:mmg-far", "PDSA:sos");
        assertThat(results.phone(0)).isEqualTo("04 66 00 00 15"); // the roster's number for the shift
        assertThat(results.rpps(0)).isEqualTo(onCall);
        assertThat(results.rpps(1)).isEqualTo(-1);
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.reachableFrom(i)).as("row %d is reachable now", i).isNull();
        }
        assertThat(results.channelUntil()).isEqualTo(Instant.parse("2026-11-25T07:00:00Z"));
    }

    @Test
    void sundayAt1000ThePdsaTakesOverLikewise() throws IOException {
        final Creneau c = mende(SUNDAY_1000, "2026-11-29T08:00:00+01:00", "2026-11-29T20:00:00+01:00");
        c.search(query.reset().patient(LAT, LON).now(SUNDAY_1000).windowMinutes(4 * 60), results);
        assertThat(results.channel()).isEqualTo(CareChannel.PDSA);
        assertThat(rows()).containsExactly("PDSA:de-garde", "PDSA:mmg-near", "PDSA:mmg-far", "PDSA:sos");
    }

    @Test
    void tuesdayAt1000TheSasChannelIsUnchanged() throws IOException {
        final Creneau c = mende(TUESDAY_1000, "2026-11-24T20:00:00+01:00", "2026-11-25T08:00:00+01:00");
        c.search(query.reset().patient(LAT, LON).now(TUESDAY_1000).windowMinutes(4 * 60), results);
        assertThat(results.channel()).isEqualTo(CareChannel.SAS);
        assertThat(rows()).containsExactly("SURNUMERAIRE:surnumeraire", "CPTS:CPTS lozere");
        assertThat(results.reachableFrom(0)).isNull();
    }

    @Test
    void aBridgeDayIsPdsaAllDay() throws IOException {
        final Creneau c = mende(BRIDGE_FRIDAY_1000, "2026-05-15T08:00:00+02:00", "2026-05-15T20:00:00+02:00");
        c.search(query.reset().patient(LAT, LON).now(BRIDGE_FRIDAY_1000).windowMinutes(4 * 60), results);
        assertThat(results.channel()).isEqualTo(CareChannel.PDSA);
        assertThat(rows()).first().isEqualTo("PDSA:de-garde");
        assertThat(rows()).noneMatch(r -> r.startsWith("SURNUMERAIRE") || r.startsWith("CPTS"));
    }

    @Test
    void aFreeSlotTomorrowMorningIsStillASlotWhenTheWindowReachesIt() throws IOException {
        final Scenario s = new Scenario(dir);
        final long doctor = s.gp("matin", LAT + 0.01, LON, "Doctolib");
        s.slot("Doctolib", doctor, 47 * 60, "OFFICE"); // Wednesday 09:00
        final Creneau c = s.load(Clock.fixed(TUESDAY_2230, ZoneOffset.UTC));
        c.search(query.reset().patient(LAT, LON).now(TUESDAY_2230).windowMinutes(12 * 60), results);
        assertThat(results.channel()).isEqualTo(CareChannel.PDSA);
        assertThat(rows()).containsExactly("SLOT:matin");
    }

    @Test
    void theMedecinTraitantAtNightIsRowZeroReachableFrom0800WithTheRegulationPhone() throws IOException {
        final Scenario s = new Scenario(dir);
        final long mt = s.gp("mt", LAT + 0.02, LON, null);
        s.with("regulationPhone", "06 00 00 00 15");
        final long other = s.gp("other", LAT + 0.03, LON, null);
        final Creneau c = s.load(Clock.fixed(TUESDAY_2230, ZoneOffset.UTC));
        c.search(query.reset().patient(LAT, LON).now(TUESDAY_2230).windowMinutes(4 * 60).medecinTraitant(mt), results);
        assertThat(results.kind(0)).isEqualTo(ResultKind.MEDECIN_TRAITANT);
        assertThat(results.hasSlot(0)).isFalse();
        assertThat(results.phone(0)).isEqualTo("06 00 00 00 15");
        // Wednesday 08:00 in Paris, when the SAS daytime channel opens again.
        assertThat(results.reachableFrom(0)).isEqualTo(Instant.parse("2026-11-25T07:00:00Z"));
        // Without a reserved number, the practice's.
        c.search(query.reset().patient(LAT, LON).now(TUESDAY_1000).medecinTraitant(other), results);
        assertThat(results.phone(0)).isEqualTo("tel-other");
        assertThat(results.reachableFrom(0)).isNull();
    }

    @Test
    void aPatientNearASectorBorderGetsTheEffectorOnDutyInTheirOwnSector() throws IOException {
        final Scenario s = new Scenario(dir);
        final long west = s.practitioner("garde-ouest", "GP", 44.55, 3.40, null, false, null);
        final long east = s.practitioner("garde-est", "GP", 44.55, 3.60, null, false, null);
        final Path pdsa = Files.createDirectories(dir.resolve("pdsa"));
        Files.writeString(pdsa.resolve("sectors.geojson"), """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "properties": {"id": "west", "name": "Ouest"},
               "geometry": {"type": "Polygon", "coordinates": [[[3.3, 44.4], [3.5, 44.4], [3.5, 44.7], [3.3, 44.7], [3.3, 44.4]]]}},
              {"type": "Feature", "properties": {"id": "east", "name": "Est"},
               "geometry": {"type": "Polygon", "coordinates": [[[3.5, 44.4], [3.7, 44.4], [3.7, 44.7], [3.5, 44.7], [3.5, 44.4]]]}}
            ]}""");
        Files.writeString(pdsa.resolve("roster.json"), """
            {"shifts": [
              {"sector": "west", "start": "2026-11-24T20:00:00+01:00", "end": "2026-11-25T08:00:00+01:00", "rpps": "%s"},
              {"sector": "east", "start": "2026-11-24T20:00:00+01:00", "end": "2026-11-25T08:00:00+01:00", "rpps": "%s"}
            ]}""".formatted(fr.creneau.directory.Rpps.format(west), fr.creneau.directory.Rpps.format(east)));
        final Creneau c = s.load(Clock.fixed(TUESDAY_2230, ZoneOffset.UTC),
            ProtocolConfig.builder().pdsa(PdsaLayer.load(pdsa, TUESDAY_2230)).build());
        // 40 m east of the border: the east sector's effector, though the west one is as near.
        c.search(query.reset().patient(44.55, 3.5005).now(TUESDAY_2230).windowMinutes(4 * 60), results);
        assertThat(rows()).containsExactly("PDSA:garde-est");
        c.search(query.reset().patient(44.55, 3.4995).now(TUESDAY_2230).windowMinutes(4 * 60), results);
        assertThat(rows()).containsExactly("PDSA:garde-ouest");
    }

    @Test
    void aRegionalOverrideOfTheHoursDecidesTheChannelOfItsDepartementOnly() throws IOException {
        final Scenario s = new Scenario(dir);
        s.practitioner("surnumeraire-mende", "GP", 44.5181, 3.5006, null, true, null);
        s.practitioner("surnumeraire-nimes", "GP", 43.8370, 4.3600, null, true, null);
        // Lozère's région keeps its daytime channel open until 22:00 on weekdays.
        final ProtocolConfig protocol = ProtocolConfig.builder().hours("48", fr.creneau.calendar.CareHoursConfig
            .builder().weekdayHours(fr.creneau.calendar.OpeningHours.ofHours(8, 22)).build()).build();
        final Instant tuesday2030 = Instant.parse("2026-11-24T19:30:00Z");
        final Creneau c = s.load(Clock.fixed(tuesday2030, ZoneOffset.UTC), protocol);
        c.search(query.reset().patient(LAT, LON).now(tuesday2030).windowMinutes(4 * 60), results);
        assertThat(results.channel()).isEqualTo(CareChannel.SAS);
        assertThat(rows()).containsExactly("SURNUMERAIRE:surnumeraire-mende");
        assertThat(results.channelUntil()).isEqualTo(Instant.parse("2026-11-24T21:00:00Z"));
        // Nîmes (Gard) at the same instant: national hours, the PDSA since 20:00.
        c.search(query.reset().patient(43.8367, 4.3601).now(tuesday2030).windowMinutes(4 * 60), results);
        assertThat(results.departement()).isEqualTo("30");
        assertThat(results.channel()).isEqualTo(CareChannel.PDSA);
        assertThat(rows()).isEmpty();
    }
}
