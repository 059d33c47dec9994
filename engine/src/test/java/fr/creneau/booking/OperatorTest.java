package fr.creneau.booking;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OperatorTest {

    @ParameterizedTest
    @ValueSource(strings = {"Dupont\nINFO forged log line", "Du\rpont", "\u001b[31mRed", "Dupont\u0000",
        "\u202eTNOPUD", "Dup\u2066ont", "Dup\u0085ont", "Dup\u007font"})
    void aNameWithAControlCharacterIsRefusedAndSaysWhere(final String lastName) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Operator("osnp-1", lastName, "Jeanne", "j@example.org"));
        assertTrue(e.getMessage().startsWith("operator lastName has a control character (U+"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"N'Diaye-Lefèvre", "Ørsted", "Nguyễn", "de La Tour d'Auvergne", "李"})
    void realNamesAreAccepted(final String lastName) {
        assertDoesNotThrow(() -> new Operator("osnp-1", lastName, "Anne Marie", "a@example.org"));
    }
}
