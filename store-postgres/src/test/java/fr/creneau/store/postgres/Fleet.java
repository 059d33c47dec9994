package fr.creneau.store.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import fr.creneau.Creneau;
import fr.creneau.booking.BookingStore;
import fr.creneau.booking.Operator;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.Modality;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.SearchResults;
import fr.creneau.slot.Minutes;
import fr.creneau.slot.SlotId;

/**
 * A small data set written as real JSON files in the native formats (GPs in Paris, phone-booked
 * Maiia slots every 20 minutes from an hour after {@code now}), and Créneau hosts built over it
 * with the PostgreSQL store: what the several-hosts tests and the child JVMs of
 * {@link MultiHostCreneauTest} share. Not thread-safe.
 */
final class Fleet {
    static final double LAT = 48.8566;
    static final double LON = 2.3522;
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    final Path dir;
    final Instant now;
    final List<SlotId> slots = new ArrayList<>();
    final List<Long> rpps = new ArrayList<>();

    /** Writes {@code gps} GPs with {@code slotsEach} slots each under {@code dir}. */
    Fleet(final Path dir, final Instant now, final int gps, final int slotsEach) {
        this.dir = dir;
        this.now = now.truncatedTo(ChronoUnit.MINUTES);
        final StringBuilder practitioners = new StringBuilder("[");
        final StringBuilder feed = new StringBuilder();
        for (int g = 0; g < gps; g++) {
            final String number = Rpps.withCheckDigit(String.format("1%09d", g + 1));
            rpps.add(Long.parseLong(number));
            practitioners.append(g == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT,
                "{\"rpps\":\"%s\",\"name\":\"Marie DOC%d\",\"profession\":\"GP\",\"lat\":%.5f,\"lon\":%.5f,"
                    + "\"phone\":\"01 40 00 00 %02d\",\"vendor\":\"Maiia\",\"refusesVendorSlots\":false,"
                    + "\"participation\":\"INDIVIDUAL\",\"acceptsExtraPatients\":false}",
                number, g, LAT + 0.001 * g, LON, g % 100));
            for (int k = 0; k < slotsEach; k++) {
                final Instant start = this.now.plus(Duration.ofMinutes(60 + 20L * k));
                slots.add(new SlotId(VendorRegistry.code("Maiia"), Long.parseLong(number), Minutes.floor(start)));
                feed.append(feed.length() == 0 ? "" : ",").append(String.format(
                    "{\"id\":\"s%d-%d\",\"rpps\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"modality\":\"OFFICE\","
                        + "\"visibility\":\"PUBLIC\"}", g, k, number, start.atZone(PARIS).toOffsetDateTime(),
                    start.plus(Duration.ofMinutes(20)).atZone(PARIS).toOffsetDateTime()));
            }
        }
        write(dir.resolve("practitioners.json"), practitioners.append(']').toString());
        write(dir.resolve("maiia.json"), "{\"vendor\":\"Maiia\",\"integration\":\"AGGREGATION_ONLY\",\"generatedAt\":\""
            + this.now + "\",\"slots\":[" + feed + "]}");
    }

    /** A host over {@code store}, loaded with the data set; {@code clock} for searches. */
    Creneau host(final BookingStore.Opener store, final Clock clock) {
        return host(dir, Creneau.builder().clock(clock).expiryTimer(false).outbox(true).bookingStore(store));
    }

    /** A host built by {@code builder}, loaded with the data set written in {@code dir}. */
    static Creneau host(final Path dir, final Creneau.Builder builder) {
        final Creneau c = builder.build();
        c.loadDirectory(dir.resolve("practitioners.json"));
        c.ingestVendorFeed(dir.resolve("maiia.json"));
        return c;
    }

    /** A fixed clock at the data set's {@code now}. */
    Clock fixedClock() {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    /** The slots a search near the GPs shows, at most {@code limit}. */
    static List<SlotId> shown(final Creneau c, final Instant at, final int limit) {
        final RegulatorQuery q = new RegulatorQuery();
        final SearchResults r = new SearchResults();
        q.reset().patient(LAT, LON).now(at).modality(Modality.OFFICE).limit(limit);
        final int rows = c.search(q, r);
        final List<SlotId> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            if (r.hasSlot(i)) {
                out.add(r.slotId(i, c.vendors()));
            }
        }
        return out;
    }

    static Operator operator(final String id) {
        return new Operator(id, "RICART", "Pauline", id + "@ghsas.fr");
    }

    private static void write(final Path file, final String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
