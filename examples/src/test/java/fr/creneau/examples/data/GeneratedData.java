package fr.creneau.examples.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.creneau.directory.Territory;

/** A generated directory read back with a plain JSON parser, independent of the generator's code. */
final class GeneratedData {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One slot of any source, with the file it came from. */
    record Slot(String file, JsonNode node) {
        String id() {
            return node.get("id").asText();
        }

        String rpps() {
            return node.get("rpps").asText();
        }

        OffsetDateTime start() {
            return OffsetDateTime.parse(node.get("start").asText());
        }

        OffsetDateTime end() {
            return OffsetDateTime.parse(node.get("end").asText());
        }

        Instant startInstant() {
            return start().toInstant();
        }

        Instant endInstant() {
            return end().toInstant();
        }

        boolean manual() {
            return file.startsWith("manual/");
        }
    }

    final Path dir;
    final Map<String, JsonNode> practitioners = new LinkedHashMap<>();
    final List<JsonNode> practitionerList = new ArrayList<>();
    final Map<String, JsonNode> feeds = new TreeMap<>();
    final List<Slot> slots = new ArrayList<>();

    private GeneratedData(final Path dir) {
        this.dir = dir;
    }

    static GeneratedData read(final Path dir) {
        final GeneratedData d = new GeneratedData(dir);
        try {
            for (final JsonNode p : JSON.readTree(dir.resolve("practitioners.json").toFile())) {
                d.practitionerList.add(p);
                d.practitioners.put(p.get("rpps").asText(), p);
            }
            for (final String sub : List.of("feeds", "manual")) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve(sub), "*.json")) {
                    for (final Path f : files) {
                        final String rel = sub + '/' + f.getFileName();
                        final JsonNode root = JSON.readTree(f.toFile());
                        if (sub.equals("feeds")) {
                            d.feeds.put(rel, root);
                        }
                        for (final JsonNode s : root.get("slots")) {
                            d.slots.add(new Slot(rel, s));
                        }
                    }
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    JsonNode practitionerOf(final Slot s) {
        return practitioners.get(s.rpps());
    }

    static Territory territory(final JsonNode practitioner) {
        return Territory.of(practitioner.get("lat").asDouble(), practitioner.get("lon").asDouble());
    }

    /** Every regular file under {@code dir}, relative path to bytes. */
    static Map<String, byte[]> allBytes(final Path dir) {
        final Map<String, byte[]> all = new TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (final Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                all.put(dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }
}
