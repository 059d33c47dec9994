package fr.creneau.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@link Text} replaces and where it cuts. */
class TextTest {
    @Test
    void controlFormatAndBidiCharactersAreReplacedAndEverythingElseKept() {
        assertThat(Text.clean("a\u0000b\tc\rd\ne\u001bf\u007fg\u0085h\u009bi\u202ej\u2066k\u200bl\ufeffm\u2028n\u2029o"))
            .isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg\uFFFDh\uFFFDi\uFFFDj\uFFFDk\uFFFDl\uFFFDm\uFFFDn\uFFFDo");
        assertThat(Text.clean("Dr Élodie Nguyễn-Müller 李 \uD83D\uDE00")).isEqualTo("Dr Élodie Nguyễn-Müller 李 \uD83D\uDE00");
        assertThat(Text.clean("lone \uD83D surrogate")).isEqualTo("lone \uFFFD surrogate");
        final String same = "plain";
        assertThat(Text.clean(same)).isSameAs(same);
    }

    @Test
    void cutsByCodePointsWithAnEllipsisAndNeverSplitsAPair() {
        assertThat(Text.field("x".repeat(80))).isEqualTo("x".repeat(80));
        assertThat(Text.field("x".repeat(81))).isEqualTo("x".repeat(79) + "\u2026");
        final String emoji = "\uD83D\uDE00".repeat(81);
        final String cut = Text.field(emoji);
        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(80);
        assertThat(cut).isEqualTo("\uD83D\uDE00".repeat(79) + "\u2026");
        assertThat(Text.line("y".repeat(100_000))).hasSize(Text.LINE);
        assertThat(Text.field(null)).isNull();
    }
}
