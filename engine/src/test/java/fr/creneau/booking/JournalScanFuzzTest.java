package fr.creneau.booking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import com.code_intelligence.jazzer.junit.FuzzTest;

import fr.creneau.Creneau;
import fr.creneau.feed.Fixtures;
import fr.creneau.slot.SlotId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target of the journal scanner: the bytes of a {@code bookings.journal} as a start finds
 * them, then what a host and an operator do with it. A start ({@code Creneau.build()} with the
 * journal) replays it, moves a torn tail aside, and reconciles the replayed holds with the
 * fixtures' slots; a read-only start (a search beside the owner) replays it without writing; a
 * damaged journal is given to {@link JournalRepair}.
 *
 * <p>Input: one mode byte, then the file. Mode bit 0 re-frames the records (each length's
 * complement and CRC32C written to match, following the lengths as given), so that mutated
 * payloads reach the record decoder and the replay instead of stopping at a checksum; bits 1-2
 * choose the fsync policy, which decides how strict the scan is about the last record. The seeds
 * are real journals written by the engine (see {@code JournalFuzzSeeds}).
 *
 * <p>Oracle: only the journal's typed errors escape ({@link JournalCorruptException},
 * {@link JournalVersionException}, both {@link JournalException}s); a read-only start and the
 * owner's start of the same file see the same bookings; a journal that opened once opens again
 * with every booking its last start left standing (a restart never loses one); a corrupt one is
 * repaired without error, after which it opens.
 */
class JournalScanFuzzTest {
    private static final Clock CLOCK = Clock.fixed(Fixtures.NOW, ZoneOffset.UTC);
    /** tmpfs where there is one: a start forces the file and its directory, twice per input. */
    private static final Path BASE = base();

    @FuzzTest(maxDuration = "5m")
    void journal(final byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        final int mode = input[0] & 0xFF;
        final byte[] file = new byte[input.length - 1];
        System.arraycopy(input, 1, file, 0, file.length);
        if ((mode & 1) != 0) {
            reframe(file);
        }
        final FsyncPolicy policy = FsyncPolicy.values()[((mode >> 1) & 3) % FsyncPolicy.values().length];
        final Path dir = Files.createTempDirectory(BASE, "journal");
        try {
            Files.write(dir.resolve(Journal.FILE), file);
            run(dir, policy);
        } finally {
            delete(dir);
        }
    }

    private static void run(final Path dir, final FsyncPolicy policy) {
        Set<SlotId> read = null;
        try (Creneau reader = builder(dir, policy).readOnlyJournal(true).build()) {
            read = slots(reader.bookings().bookings());
        } catch (final JournalCorruptException | JournalVersionException e) {
            // damage, refused as at a start
        }
        final Started first;
        try {
            first = start(dir, policy);
        } catch (final JournalVersionException e) {
            return; // not a journal: nothing an operator can repair here
        } catch (final JournalCorruptException e) {
            final JournalRepair.Report report = JournalRepair.repair(dir);
            if (!report.repaired()) {
                throw new AssertionError("a start refused the journal (" + e.getMessage()
                    + ") but the repair found nothing to move: " + report, e);
            }
            try {
                start(dir, policy);
            } catch (final JournalCorruptException again) {
                throw new AssertionError("still refused after a repair that moved " + report.bytesMoved()
                    + " bytes from " + report.offset() + ": " + again.getMessage(), again);
            }
            return;
        }
        if (read != null) {
            assertEquals(read, first.replayed, "a read-only start and the owner's see the same bookings");
        }
        // What a start truncated and appended must read back at the next one, bookings included.
        final Started second = start(dir, policy);
        assertTrue(second.replayed.containsAll(first.left), "a restart lost bookings: had " + first.left
            + ", got " + second.replayed);
    }

    /** The bookings a start replayed, and those it left standing after its sweep. */
    private record Started(Set<SlotId> replayed, Set<SlotId> left) {
    }

    /** A start as the CLI's book command makes it: journal, directory, feeds; then expiry. */
    private static Started start(final Path dir, final FsyncPolicy policy) {
        try (Creneau creneau = builder(dir, policy).build()) {
            creneau.loadDirectory(Fixtures.path("practitioners.json"));
            creneau.ingestVendorFeed(Fixtures.path("feeds/doctolib.json"));
            creneau.ingestVendorFeed(Fixtures.path("feeds/maiia.json"));
            creneau.ingestManual(Fixtures.path("manual/sas-agenda.json"));
            final Set<SlotId> replayed = slots(creneau.bookings().bookings());
            creneau.bookings().expireHolds();
            return new Started(replayed, slots(creneau.bookings().bookings()));
        }
    }

    private static Set<SlotId> slots(final java.util.List<Booking> bookings) {
        final Set<SlotId> out = new HashSet<>();
        for (final Booking b : bookings) {
            out.add(b.slot());
        }
        return out;
    }

    private static Creneau.Builder builder(final Path dir, final FsyncPolicy policy) {
        return Creneau.builder().clock(CLOCK).expiryTimer(false).journal(dir).fsync(policy);
    }

    /**
     * Writes each record's length complement and checksum as a sound append would, following the
     * lengths as they are; what is left after the last whole record stays as it is.
     */
    static void reframe(final byte[] file) {
        final ByteBuffer b = ByteBuffer.wrap(file);
        int at = Journal.HEADER_BYTES;
        while (at + Journal.RECORD_HEADER_BYTES <= file.length) {
            final int length = b.getShort(at) & 0xFFFF;
            if (at + Journal.RECORD_HEADER_BYTES + length > file.length) {
                return;
            }
            b.putShort(at + 2, (short) (length ^ 0xFFFF));
            final CRC32C crc = new CRC32C();
            crc.update(file, at, 4);
            crc.update(file, at + Journal.RECORD_HEADER_BYTES, length);
            b.putInt(at + 4, (int) crc.getValue());
            at += Journal.RECORD_HEADER_BYTES + length;
        }
    }

    private static Path base() {
        try {
            final Path shm = Path.of("/dev/shm");
            final Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm
                : Path.of(System.getProperty("java.io.tmpdir"));
            final Path base = Files.createTempDirectory(parent, "creneau-journal-fuzz");
            base.toFile().deleteOnExit();
            return base;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(final Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (final Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
