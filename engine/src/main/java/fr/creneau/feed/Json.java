package fr.creneau.feed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Shared Jackson setup and field accessors for the feed parsers. The mapper is thread-safe once
 * configured; parsers are created per input.
 */
final class Json {
    /**
     * Duplicate keys in one object are an error: {@code {"start": a, "start": b}} has no honest
     * reading. Trailing content is checked by each parser, since they stream.
     */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build());

    private Json() {
    }

    static JsonParser parser(final java.io.InputStream in) throws java.io.IOException {
        return MAPPER.getFactory().createParser(in);
    }

    /** The typed error for an input that broke off or is not JSON, with where it went wrong. */
    static FeedFormatException unreadable(final String label, final java.io.IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            final com.fasterxml.jackson.core.JsonLocation at = json.getLocation();
            final String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return new FeedFormatException(label, "malformed JSON" + where + ": " + json.getOriginalMessage(), e);
        }
        // Same consequence for the host as a malformed body: nothing read, nothing applied.
        return new FeedFormatException(label, "cannot read: " + e.getMessage(), e);
    }

    /** Text of a string field, or {@code null} when absent, null, or not a string. */
    static String text(final JsonNode node, final String field) {
        final JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** {@code true} when the field is present and not JSON null. */
    static boolean has(final JsonNode node, final String field) {
        final JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }
}
