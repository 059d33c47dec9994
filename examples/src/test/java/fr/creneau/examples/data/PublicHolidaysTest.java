package fr.creneau.examples.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import fr.creneau.directory.Territory;

class PublicHolidaysTest {

    @Test
    void alsaceMoselleIsItsOwnZoneInsideMetropolitanFrance() {
        assertThat(PublicHolidays.zoneOf(Territory.METROPOLE, "67")).isEqualTo("Alsace-Moselle");
        assertThat(PublicHolidays.zoneOf(Territory.METROPOLE, "75")).isEqualTo("Métropole");
        assertThat(PublicHolidays.zoneOf(Territory.LA_REUNION, "974")).isEqualTo("La Réunion");
        assertThat(PublicHolidays.isHoliday(LocalDate.of(2025, 12, 26), "Alsace-Moselle")).isTrue();
        assertThat(PublicHolidays.isHoliday(LocalDate.of(2025, 12, 26), "Métropole")).isFalse();
    }

    @Test
    void sundaysAndHolidaysAreClosedDays() {
        assertThat(PublicHolidays.isSundayOrHoliday(LocalDate.of(2026, 11, 22), "Métropole")).isTrue();  // Sunday
        assertThat(PublicHolidays.isSundayOrHoliday(LocalDate.of(2026, 11, 11), "Métropole")).isTrue();  // Armistice
        assertThat(PublicHolidays.isSundayOrHoliday(LocalDate.of(2026, 11, 23), "Métropole")).isFalse(); // Monday
        assertThat(PublicHolidays.isSundayOrHoliday(LocalDate.of(2025, 12, 20), "La Réunion")).isTrue(); // Saturday, abolition day
        assertThat(PublicHolidays.isSundayOrHoliday(LocalDate.of(2025, 12, 20), "Métropole")).isFalse();
    }
}
