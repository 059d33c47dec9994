package fr.creneau.feed;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import fr.creneau.directory.Directory;
import fr.creneau.directory.VendorRegistry;

/** Real JSON files under {@code src/test/resources/fixtures}, and the clock they were written for. */
public final class Fixtures {
    /** Monday 23 November 2026, 10:00 in Paris: the fixtures' "now". */
    public static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");

    private Fixtures() {
    }

    public static Path path(final String relative) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + relative).toURI());
        } catch (final URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("no fixture " + relative, e);
        }
    }

    public static Clock clockAt(final Instant now) {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    public static Directory directory() {
        return new DirectoryLoader(VendorRegistry.defaults()).load(path("practitioners.json")).directory();
    }
}
