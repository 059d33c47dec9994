package fr.creneau.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The identifier rules of issue 15: RPPS and ADELI, FINESS and SIRET, with or without their national prefixes. */
class NationalIdTest {

    @Test
    void anRppsIsAcceptedBareOrWithItsPrefix8() {
        // The RPPS of the ANS example practitioner PP19 (IDNPS 810003461034).
        assertThat(NationalId.practitioner("10003461034")).isEqualTo(new NationalId(NationalId.Kind.RPPS, "10003461034"));
        assertThat(NationalId.practitioner("810003461034")).isEqualTo(new NationalId(NationalId.Kind.RPPS, "10003461034"));
        assertThat(NationalId.practitioner("810003461034").prefixed()).isEqualTo("810003461034");
        assertThat(NationalId.practitioner("10003461034").key()).isEqualTo(10003461034L);
    }

    @Test
    void anRppsWithAWrongLuhnKeyOrAWrongPrefixIsRefusedWithItsReason() {
        assertThat(NationalId.practitionerProblem("10003461033")).contains("Luhn");
        assertThat(NationalId.practitionerProblem("810003461033")).contains("Luhn").contains("prefix 8");
        assertThat(NationalId.practitionerProblem("910003461034")).contains("12 characters");
        assertThat(NationalId.practitionerProblem("1000346103")).contains("10 characters");
        assertThat(NationalId.practitionerProblem(null)).contains("missing");
        assertThatThrownBy(() -> NationalId.practitioner("1234")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAdeliIsAcceptedBareOrWithItsPrefix0AndKeyedOutsideTheRppsRange() {
        final NationalId bare = NationalId.practitioner("751234567");
        assertThat(bare).isEqualTo(NationalId.practitioner("0751234567"));
        assertThat(bare.kind()).isEqualTo(NationalId.Kind.ADELI);
        assertThat(bare.key()).isEqualTo(NationalId.ADELI_KEY_BASE + 751234567L).isGreaterThan(99_999_999_999L);
        assertThat(NationalId.isAdeliKey(bare.key())).isTrue();
        assertThat(NationalId.ofKey(bare.key())).isEqualTo(bare);
        assertThat(NationalId.keyText(bare.key())).isEqualTo("ADELI 751234567");
        assertThat(NationalId.practitionerProblem("75123456X")).contains("digits only");
        assertThat(NationalId.practitionerProblem("1751234567")).contains("10 characters");
    }

    @Test
    void anAdeliWithLeadingZerosKeepsThemThroughItsKey() {
        final NationalId id = NationalId.adeli("012345678");
        assertThat(NationalId.ofKey(id.key()).value()).isEqualTo("012345678");
        assertThat(NationalId.keyText(10003461034L)).isEqualTo("10003461034");
        assertThat(NationalId.isAdeliKey(10003461034L)).isFalse();
        assertThatThrownBy(() -> NationalId.rpps("012345678")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NationalId.ofKey(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFinessIsAcceptedBareOrWithItsPrefix1AndCorsicaKeepsItsLetters() {
        // The ANS example "CH EURE-SEINE": IDNST 1754567860, FINESS 754567860.
        assertThat(NationalId.structure("1754567860")).isEqualTo(new NationalId(NationalId.Kind.FINESS, "754567860"));
        assertThat(NationalId.structure("754567860").prefixed()).isEqualTo("1754567860");
        assertThat(NationalId.structure("2A0000123").kind()).isEqualTo(NationalId.Kind.FINESS);
        assertThat(NationalId.structureProblem("2C0000123")).contains("FINESS");
        assertThat(NationalId.structureProblem("0754567860")).contains("10 characters");
    }

    @Test
    void aSiretIsAcceptedBareOrWithItsPrefix3WithALuhnKeyExceptLaPoste() {
        final String siret = "73282932000074";
        assertThat(NationalId.structure(siret).kind()).isEqualTo(NationalId.Kind.SIRET);
        assertThat(NationalId.structure("3" + siret).value()).isEqualTo(siret);
        assertThat(NationalId.structureProblem("73282932000075")).contains("Luhn");
        // La Poste's establishments: SIREN 356000000, a key that is not Luhn.
        assertThat(NationalId.structureProblem("35600000000048")).isNull();
        assertThatThrownBy(() -> NationalId.practitioner(siret).key()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NationalId.structure(siret).key()).isInstanceOf(IllegalStateException.class);
    }
}
