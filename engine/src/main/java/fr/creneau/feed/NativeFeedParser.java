package fr.creneau.feed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import fr.creneau.directory.Integration;
import fr.creneau.directory.VendorRegistry;

/**
 * Reads Créneau's native JSON formats: a vendor snapshot
 * ({@code {"vendor", "integration", "generatedAt", "slots": [...]}}, schema
 * {@code fr/creneau/feed/vendor-feed.schema.json}) and a manual-slot file
 * ({@code {"slots": [...]}}, schema {@code fr/creneau/feed/manual-slots.schema.json}).
 *
 * <p>The {@code slots} array is streamed entry by entry, wherever it stands among the top-level
 * fields; only the slots are kept, with their repeated values (RPPS, times) shared, so a parse keeps
 * less than the size of its input, and an input is read up to {@link IngestConfig#maxFeedBytes()}
 * ({@link FeedTooLargeException} beyond). A malformed entry becomes a {@link Rejection} and the rest is still read; a file that is
 * not JSON, breaks off, or lacks a top-level field is a {@link FeedFormatException}.
 *
 * <p>Stateless; thread-safe.
 */
public final class NativeFeedParser {
    /** Longest slot id, in characters (the schemas' {@code maxLength}). */
    public static final int MAX_ID_LENGTH = 256;

    public NativeFeedParser() {
        this(IngestConfig.DEFAULTS);
    }

    private final long maxBytes;

    /**
     * @param config only {@link IngestConfig#maxFeedBytes()} is used here: a larger input is a
     *               {@link FeedTooLargeException}
     */
    public NativeFeedParser(final IngestConfig config) {
        this.maxBytes = java.util.Objects.requireNonNull(config, "config").maxFeedBytes();
    }

    /** Reads a vendor snapshot file. */
    public ParsedFeed parseVendorFeed(final Path file) {
        Json.checkSize(file, maxBytes);
        try (InputStream in = open(file)) {
            return parseVendorFeed(file.getFileName().toString(), in);
        } catch (final IOException e) {
            throw new FeedFormatException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a manual-slot file. */
    public ParsedFeed parseManual(final Path file) {
        Json.checkSize(file, maxBytes);
        try (InputStream in = open(file)) {
            return parseManual(file.getFileName().toString(), in);
        } catch (final IOException e) {
            throw new FeedFormatException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a vendor snapshot from a stream (not closed). */
    public ParsedFeed parseVendorFeed(final String label, final InputStream in) {
        final Top top = read(label, in, false, maxBytes);
        if (top.vendor == null) {
            throw new FeedFormatException(label, "missing top-level \"vendor\" (a string)");
        }
        final String vendorProblem = VendorRegistry.nameProblem(top.vendor);
        if (vendorProblem != null) {
            // Normalisation would read "Doctolib" with a NUL or padding as Doctolib: the schema forbids both.
            throw new FeedFormatException(label, "top-level \"vendor\" " + vendorProblem + ": " + Json.quote(top.vendor));
        }
        if (top.integration == null) {
            throw new FeedFormatException(label, "missing top-level \"integration\" (END_TO_END or AGGREGATION_ONLY)");
        }
        if (top.generatedAt == null) {
            throw new FeedFormatException(label, "missing top-level \"generatedAt\" (an ISO-8601 instant)");
        }
        return new ParsedFeed(label, top.vendor, top.generatedAt, top.slots, top.rejected, top.integration);
    }

    /** Reads a manual-slot file from a stream (not closed). */
    public ParsedFeed parseManual(final String label, final InputStream in) {
        final Top top = read(label, in, true, maxBytes);
        return new ParsedFeed(label, null, null, top.slots, top.rejected, null);
    }

    private static InputStream open(final Path file) throws IOException {
        try {
            return Files.newInputStream(file);
        } catch (final NoSuchFileException e) {
            throw new FeedFormatException(file.toString(), "no such file");
        }
    }

    /** Top-level fields as read; the slots array is required in both formats. */
    private static final class Top {
        String vendor;
        Integration integration;
        Instant generatedAt;
        boolean sawSlots;
        final List<RawSlot> slots = new ArrayList<>();
        final List<Rejection> rejected = new ArrayList<>();
        /** RPPS and times repeat from slot to slot: each kept once (see {@link Json.Canon}). */
        final Json.Canon canon = new Json.Canon();
    }

    private static Top read(final String label, final InputStream in, final boolean manual, final long maxBytes) {
        final Top top = new Top();
        try (JsonParser p = Json.parser(in, maxBytes, label)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new FeedFormatException(label, "expected a JSON object at the top level");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                final String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "slots" -> {
                        if (p.currentToken() != JsonToken.START_ARRAY) {
                            throw new FeedFormatException(label, "\"slots\" must be an array");
                        }
                        top.sawSlots = true;
                        readSlots(label, p, manual, top);
                    }
                    case "vendor" -> top.vendor = scalar(label, p, field);
                    case "integration" -> {
                        final String wire = scalar(label, p, field);
                        top.integration = DirectoryLoader.enumValue(Integration.class, wire);
                        if (top.integration == null) {
                            throw new FeedFormatException(label, "\"integration\" must be END_TO_END or AGGREGATION_ONLY, got "
                                + Json.quote(wire));
                        }
                    }
                    case "generatedAt" -> {
                        final String wire = scalar(label, p, field);
                        try {
                            top.generatedAt = java.time.OffsetDateTime.parse(wire).toInstant();
                        } catch (final DateTimeParseException e) {
                            throw new FeedFormatException(label, "\"generatedAt\" is not an ISO-8601 instant with offset: "
                                + Json.quote(wire));
                        }
                    }
                    default -> p.skipChildren(); // forward compatible: unknown fields are ignored
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new FeedFormatException(label, "unexpected end of input");
            }
            if (p.nextToken() != null) {
                throw new FeedFormatException(label, "trailing content after the top-level object");
            }
        } catch (final IOException e) {
            throw Json.unreadable(label, e);
        }
        if (!top.sawSlots) {
            throw new FeedFormatException(label, "missing top-level \"slots\" array");
        }
        return top;
    }

    private static String scalar(final String label, final JsonParser p, final String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new FeedFormatException(label, "\"" + field + "\" must be a string");
        }
        return p.getText();
    }

    private static void readSlots(final String label, final JsonParser p, final boolean manual, final Top top)
        throws IOException {
        int position = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new FeedFormatException(label, "unexpected end of input inside \"slots\"");
            }
            final JsonNode node = p.readValueAsTree();
            final String where = "#" + position++;
            if (!node.isObject()) {
                top.rejected.add(new Rejection(RejectReason.INVALID_VALUE, where, "slot is not a JSON object"));
                continue;
            }
            final String id = Json.text(node, "id");
            final String idProblem = id == null ? null : Json.idProblem(id);
            if (idProblem != null) {
                top.rejected.add(new Rejection(RejectReason.INVALID_VALUE, where, "'id' " + idProblem + ": "
                    + Json.quote(id)));
                continue;
            }
            final String key = id == null ? where : id;
            final String missing = firstMissing(node);
            if (missing != null) {
                top.rejected.add(new Rejection(RejectReason.MISSING_FIELD, key, "'" + missing + "' is missing or not a string"));
                continue;
            }
            final int modalities;
            final Visibility visibility;
            if (manual) {
                visibility = Visibility.PUBLIC;
                modalities = manualModalities(node.get("modalities"));
                if (modalities < 0) {
                    top.rejected.add(new Rejection(RejectReason.INVALID_VALUE, key,
                        "'modalities' must be a non-empty array of OFFICE, TELECONSULTATION, HOME_VISIT: "
                            + node.get("modalities")));
                    continue;
                }
            } else {
                final Modality m = Modality.parse(Json.text(node, "modality"));
                if (m == null) {
                    top.rejected.add(new Rejection(Json.has(node, "modality") ? RejectReason.INVALID_VALUE
                        : RejectReason.MISSING_FIELD, key, "modality must be OFFICE, TELECONSULTATION or HOME_VISIT: "
                        + node.get("modality")));
                    continue;
                }
                modalities = m.bit();
                visibility = Visibility.parse(Json.text(node, "visibility"));
                if (visibility == null) {
                    top.rejected.add(new Rejection(Json.has(node, "visibility") ? RejectReason.INVALID_VALUE
                        : RejectReason.MISSING_FIELD, key,
                        "visibility must be PUBLIC, PROFESSIONAL, PATIENTELE or STRUCTURE: " + node.get("visibility")));
                    continue;
                }
            }
            String site = null;
            if (Json.has(node, "site")) {
                site = Json.text(node, "site");
                final String problem = site == null ? "is not a string" : Json.idProblem(site);
                if (problem != null) {
                    top.rejected.add(new Rejection(RejectReason.INVALID_VALUE, key, "site " + problem));
                    continue;
                }
                site = top.canon.of(site);
            }
            top.slots.add(new RawSlot(id, top.canon.of(Json.text(node, "rpps")), top.canon.of(Json.text(node, "start")),
                top.canon.of(Json.text(node, "end")), modalities, visibility, true, Json.text(node, "bookingUrl"),
                site, null));
        }
    }

    private static String firstMissing(final JsonNode node) {
        for (final String field : new String[] {"id", "rpps", "start", "end"}) {
            if (Json.text(node, field) == null) {
                return field;
            }
        }
        return null;
    }

    /** Modality set of a manual slot: all three when absent, -1 when present but unusable. */
    private static int manualModalities(final JsonNode node) {
        if (node == null || node.isNull()) {
            return Modality.ALL;
        }
        if (!node.isArray() || node.isEmpty()) {
            return -1;
        }
        int set = 0;
        for (final JsonNode m : node) {
            final Modality modality = m.isTextual() ? Modality.parse(m.asText()) : null;
            if (modality == null) {
                return -1;
            }
            set |= modality.bit();
        }
        return set;
    }
}
