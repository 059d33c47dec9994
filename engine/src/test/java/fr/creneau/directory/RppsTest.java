package fr.creneau.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RppsTest {

    @Test
    void acceptsElevenDigitsWithValidLuhnKey() {
        // 10003456789 is not valid; its body completed with the computed key is.
        final String valid = Rpps.withCheckDigit("1000345678");
        assertThat(Rpps.isValid(valid)).isTrue();
        assertThat(Rpps.parse(valid)).isEqualTo(Long.parseLong(valid));
    }

    @Test
    void rejectsWrongLuhnKey() {
        final String valid = Rpps.withCheckDigit("1000345678");
        final char wrong = valid.charAt(10) == '9' ? '0' : (char) (valid.charAt(10) + 1);
        final String invalid = valid.substring(0, 10) + wrong;
        assertThat(Rpps.problem(invalid)).contains("Luhn");
        assertThatThrownBy(() -> Rpps.parse(invalid)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsWrongLengthAndNonDigits() {
        assertThat(Rpps.problem("1234567890")).contains("11 digits");
        assertThat(Rpps.problem("123456789012")).contains("11 digits");
        assertThat(Rpps.problem("1234567890a")).contains("digits only");
        assertThat(Rpps.problem(null)).contains("missing");
    }

    @Test
    void keepsLeadingZerosWhenFormatted() {
        final String valid = Rpps.withCheckDigit("0000345678");
        assertThat(Rpps.format(Rpps.parse(valid))).isEqualTo(valid);
    }

    @Property
    void everyBodyHasExactlyOneCheckDigit(@ForAll @LongRange(min = 0, max = 9_999_999_999L) final long body) {
        final String b = String.format("%010d", body);
        int valid = 0;
        for (int d = 0; d <= 9; d++) {
            if (Rpps.isValid(b + d)) {
                valid++;
            }
        }
        assertThat(valid).isEqualTo(1);
        assertThat(Rpps.withCheckDigit(b)).startsWith(b);
    }

    @Property
    void aSingleDigitChangeIsAlwaysDetected(@ForAll @LongRange(min = 0, max = 9_999_999_999L) final long body,
                                            @ForAll @LongRange(min = 0, max = 10) final long position,
                                            @ForAll @LongRange(min = 1, max = 9) final long delta) {
        final char[] digits = Rpps.withCheckDigit(String.format("%010d", body)).toCharArray();
        final int p = (int) position;
        digits[p] = (char) ('0' + (digits[p] - '0' + delta) % 10);
        assertThat(Rpps.isValid(new String(digits))).isFalse();
    }
}
