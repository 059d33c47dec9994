package fr.creneau.examples.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import fr.creneau.directory.Territory;

class PublicHolidaysTest {

    /** The Etalab data set (Licence Ouverte) is the oracle of the computed rules. */
    @ParameterizedTest
    @ValueSource(strings = {"Métropole", "Alsace-Moselle", "Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"})
    void computedHolidaysAreExactlyEtalabsFrom2006To2031(final String zone) throws IOException {
        final Set<LocalDate> expected = new TreeSet<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
            getClass().getResourceAsStream("jours-feries-france-toutes-zones.csv"), StandardCharsets.UTF_8))) {
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) {
                final String[] cells = line.split(",");
                if (Set.of(cells[2].split("\\|")).contains(zone)) {
                    expected.add(LocalDate.parse(cells[0]));
                }
            }
        }
        final Set<LocalDate> computed = new TreeSet<>();
        for (LocalDate d = LocalDate.of(2006, 1, 1); d.getYear() <= 2031; d = d.plusDays(1)) {
            if (PublicHolidays.isHoliday(d, zone)) {
                computed.add(d);
            }
        }
        assertThat(computed).isEqualTo(expected);
    }

    @Test
    void easterSundayOfKnownYears() {
        assertThat(PublicHolidays.easterSunday(2024)).isEqualTo(LocalDate.of(2024, 3, 31));
        assertThat(PublicHolidays.easterSunday(2025)).isEqualTo(LocalDate.of(2025, 4, 20));
        assertThat(PublicHolidays.easterSunday(2038)).isEqualTo(LocalDate.of(2038, 4, 25));
    }

    @Test
    void alsaceMoselleIsItsOwnZoneInsideMetropolitanFrance() {
        assertThat(PublicHolidays.zoneOf(Territory.METROPOLE, "67")).isEqualTo(PublicHolidays.ALSACE_MOSELLE);
        assertThat(PublicHolidays.zoneOf(Territory.METROPOLE, "57")).isEqualTo(PublicHolidays.ALSACE_MOSELLE);
        assertThat(PublicHolidays.zoneOf(Territory.METROPOLE, "75")).isEqualTo("Métropole");
        assertThat(PublicHolidays.zoneOf(Territory.LA_REUNION, "974")).isEqualTo("La Réunion");
        assertThat(PublicHolidays.isHoliday(LocalDate.of(2025, 12, 26), PublicHolidays.ALSACE_MOSELLE)).isTrue();
        assertThat(PublicHolidays.isHoliday(LocalDate.of(2025, 12, 26), "Métropole")).isFalse();
    }
}
