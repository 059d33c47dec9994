package fr.creneau.examples.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import fr.creneau.directory.Territory;

class DaylightSavingAndHolidaysTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneOffset WINTER = ZoneOffset.ofHours(1);
    private static final ZoneOffset SUMMER = ZoneOffset.ofHours(2);

    @TempDir
    Path tmp;

    /** Saturday 29 March 2025, 07:00 in Paris: the clocks go forward on Sunday 30 at 02:00. */
    @Test
    void springForwardWeekendHasWinterThenSummerOffsets() throws IOException {
        final Map<LocalDate, Set<ZoneOffset>> offsets = parisOffsetsByDay(Instant.parse("2025-03-29T06:00:00Z"));
        assertThat(offsets.get(LocalDate.of(2025, 3, 29))).containsExactly(WINTER);
        assertThat(offsets.get(LocalDate.of(2025, 3, 31))).containsExactly(SUMMER);
    }

    /** Saturday 25 October 2025, 08:00 in Paris: the clocks go back on Sunday 26 at 03:00. */
    @Test
    void fallBackWeekendHasSummerThenWinterOffsets() throws IOException {
        final Map<LocalDate, Set<ZoneOffset>> offsets = parisOffsetsByDay(Instant.parse("2025-10-25T06:00:00Z"));
        assertThat(offsets.get(LocalDate.of(2025, 10, 25))).containsExactly(SUMMER);
        // Sunday 26: nurses' rounds and SOS shifts, all after the change.
        assertThat(offsets.get(LocalDate.of(2025, 10, 26))).containsExactly(WINTER);
    }

    /**
     * Generates the tiny scale at {@code now}, checks every metropolitan slot's local time exists
     * with the offset Europe/Paris has at that instant, and returns the offsets seen per local day.
     */
    private Map<LocalDate, Set<ZoneOffset>> parisOffsetsByDay(final Instant now) throws IOException {
        new DataGenerator(GeneratorConfig.of(3, Scale.TINY, now)).generate(tmp);
        final GeneratedData data = GeneratedData.read(tmp);
        final ZoneRules rules = PARIS.getRules();
        final Map<LocalDate, Set<ZoneOffset>> byDay = new TreeMap<>();
        for (final GeneratedData.Slot s : data.slots) {
            if (GeneratedData.territory(data.practitionerOf(s)) != Territory.METROPOLE) {
                continue;
            }
            for (final var t : List.of(s.start(), s.end())) {
                final LocalDateTime local = t.toLocalDateTime();
                assertThat(rules.getValidOffsets(local)).as("local time exists, unambiguously: " + t).containsExactly(t.getOffset());
                assertThat(rules.getOffset(t.toInstant())).isEqualTo(t.getOffset());
            }
            // A 15-minute slot lasts 15 real minutes: no slot straddles the change.
            assertThat(Duration.between(s.startInstant(), s.endInstant()))
                .isEqualTo(Duration.between(s.start().toLocalDateTime(), s.end().toLocalDateTime()));
            byDay.computeIfAbsent(s.start().toLocalDate(), d -> new HashSet<>()).add(s.start().getOffset());
        }
        return byDay;
    }

    /** Christmas Day is closed for ordinary GP practices; Boxing Day is a working day in Paris. */
    @Test
    void fewGpsWorkOnAPublicHoliday() throws IOException {
        // Wednesday 24 December 2025, 18:00 in Paris: the window covers the 25th and most of the 26th.
        new DataGenerator(GeneratorConfig.of(5, Scale.TINY, Instant.parse("2025-12-24T17:00:00Z"))).generate(tmp);
        final GeneratedData data = GeneratedData.read(tmp);
        final Set<String> christmas = new HashSet<>();
        final Set<String> boxingDay = new HashSet<>();
        for (final GeneratedData.Slot s : data.slots) {
            final JsonNode p = data.practitionerOf(s);
            if (!p.get("profession").asText().equals("GP") || p.get("participation").asText().equals("SOS_MEDECINS")
                || GeneratedData.territory(p) != Territory.METROPOLE) {
                continue;
            }
            if (s.start().toLocalDate().equals(LocalDate.of(2025, 12, 25))) {
                christmas.add(s.rpps());
            } else if (s.start().toLocalDate().equals(LocalDate.of(2025, 12, 26))) {
                boxingDay.add(s.rpps());
            }
        }
        assertThat(boxingDay.size()).isGreaterThan(30);
        assertThat(christmas.size()).isLessThanOrEqualTo(boxingDay.size() / 10);
    }

    @Test
    void gpSessionsFollowTheDayAndTheHolidayZone() {
        final AgendaProfile gp = new AgendaProfile(15, 8 * 60, 12 * 60, 14 * 60, 19 * 60, DayOfWeek.WEDNESDAY, 1.0, 12 * 60,
            0.0, 9 * 60, 13 * 60, false, 0, 0, 0.2, false, Proportions.VISIBILITY_REGISTERED, false, 0, 1L);
        final int[] out = new int[4];
        final SplittableRandom rng = new SplittableRandom(1);
        // Friday 26 December 2025: a working day in Paris, a public holiday in Strasbourg.
        assertThat(AgendaPlanner.sessions(gp, LocalDate.of(2025, 12, 26), "Métropole", rng, out)).isEqualTo(4);
        assertThat(out).containsExactly(8 * 60, 12 * 60, 14 * 60, 19 * 60);
        assertThat(AgendaPlanner.sessions(gp, LocalDate.of(2025, 12, 26), PublicHolidays.ALSACE_MOSELLE, rng, out)).isZero();
        // Saturday morning only; Sunday closed (rate 0); the weekday off.
        assertThat(AgendaPlanner.sessions(gp, LocalDate.of(2025, 12, 27), "Métropole", rng, out)).isEqualTo(2);
        assertThat(out[0]).isEqualTo(8 * 60);
        assertThat(out[1]).isEqualTo(12 * 60);
        assertThat(AgendaPlanner.sessions(gp, LocalDate.of(2025, 12, 28), "Métropole", rng, out)).isZero();
        assertThat(AgendaPlanner.sessions(gp, LocalDate.of(2025, 12, 31), "Métropole", rng, out)).isZero();
        // 20 December is a public holiday in La Réunion only (a Saturday in 2025: closed there, open in Paris).
        assertThat(AgendaPlanner.sessions(gp, LocalDate.of(2025, 12, 20), "La Réunion", rng, out)).isZero();
        assertThat(AgendaPlanner.sessions(gp, LocalDate.of(2025, 12, 20), "Métropole", rng, out)).isEqualTo(2);
    }
}
