package fr.creneau.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Messages that quote an input stay one bounded line (docs/fuzzing.md, findings 2 and 3). */
class JsonCleanTest {
    @Test
    void aPlainMessageIsKeptAsItIs() {
        final String message = "fuzz.json: Bundle.type is 'collection', expected 'searchset'";
        assertThat(Json.clean(message)).isSameAs(message);
    }

    @Test
    void controlAndFormatCharactersAreEscaped() {
        assertThat(Json.clean("a\nb\u001b[2J\u202ec")).isEqualTo("a\\u000Ab\\u001B[2J\\u202Ec");
    }

    @Test
    void theLimitHoldsForWhatIsReturnedEscapesIncluded() {
        final String cleaned = Json.clean("x".repeat(10) + "\u0000".repeat(900));
        assertThat(cleaned).hasSize(Json.MAX_MESSAGE).endsWith("... (910 characters)").doesNotContain("\u0000");
        assertThat(Json.clean("y".repeat(Json.MAX_MESSAGE))).hasSize(Json.MAX_MESSAGE).doesNotContain("...");
        assertThat(Json.clean("y".repeat(Json.MAX_MESSAGE + 1))).hasSize(Json.MAX_MESSAGE);
    }

    @Test
    void jacksonQuotingATokenOfNulsGivesABoundedEscapedMessage() {
        final byte[] input = ("{\"slots\": [], \"x\": tr" + "\u0000".repeat(2000) + "ue}")
            .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new NativeFeedParser().parseManual("nul.json", new ByteArrayInputStream(input)))
            .isInstanceOf(FeedFormatException.class).message().startsWith("nul.json: malformed JSON").doesNotContain("\u0000")
            .hasSizeLessThanOrEqualTo(Json.MAX_MESSAGE);
    }
}
