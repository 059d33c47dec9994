package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;

/**
 * The journal's files against a hostile local user: links are never followed (a planted link
 * cannot make Créneau overwrite another file), the directory must be the process user's own,
 * and every file is created owner-only.
 */
class JournalFilesTest {
    private static final String SECRET = "someone else's file\n";

    @TempDir
    Path dir;

    private Path victim;

    @BeforeEach
    void plantVictim() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX only");
        victim = dir.resolve("victim.txt");
        Files.writeString(victim, SECRET, StandardCharsets.UTF_8);
    }

    private Path journalDir() {
        return dir.resolve("journal");
    }

    private Creneau.Builder builder() {
        return World.builder(new SteppedClock(World.NOW)).journal(journalDir()).fsync(FsyncPolicy.ALWAYS);
    }

    @Test
    void aLockFileLinkedToAnotherFileIsRefusedAndThatFileLeftAlone() throws IOException {
        Files.createDirectories(journalDir());
        Files.createSymbolicLink(journalDir().resolve(Journal.LOCK_FILE), victim);
        assertThatThrownBy(() -> builder().build()).isInstanceOf(JournalException.class);
        assertThat(Files.readString(victim, StandardCharsets.UTF_8)).isEqualTo(SECRET);
    }

    @Test
    void linkedJournalOrTemporaryFilesAreNeverFollowed() throws IOException {
        Files.createDirectories(journalDir());
        Files.createSymbolicLink(journalDir().resolve(Journal.FILE + ".new"), victim);
        try (Creneau c = builder().build()) {
            assertThat(c.bookings().replayReport().records()).isZero();
        } catch (final JournalException refused) {
            // refusing is as good as not following
        }
        assertThat(Files.readString(victim, StandardCharsets.UTF_8)).isEqualTo(SECRET);

        deleteJournal();
        Files.createDirectories(journalDir());
        Files.createSymbolicLink(journalDir().resolve(Journal.FILE), victim);
        assertThatThrownBy(() -> builder().build()).isInstanceOf(JournalException.class);
        assertThat(Files.readString(victim, StandardCharsets.UTF_8)).isEqualTo(SECRET);
    }

    @Test
    void aJournalDirectoryThatIsALinkIsRefused() throws IOException {
        final Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(journalDir(), elsewhere);
        assertThatThrownBy(() -> builder().build()).isInstanceOf(JournalException.class)
            .hasMessageContaining("link");
        try (Stream<Path> s = Files.list(elsewhere)) {
            assertThat(s.count()).isZero();
        }
    }

    @Test
    void aJournalDirectoryOwnedBySomeoneElseIsRefused() throws IOException {
        Files.createDirectories(journalDir());
        try {
            Files.setAttribute(journalDir(), "unix:uid", 65534); // nobody; only root may give a file away
        } catch (final IOException | UnsupportedOperationException e) {
            Assumptions.abort("cannot chown here: " + e);
        }
        assertThatThrownBy(() -> builder().build()).isInstanceOf(JournalException.class)
            .hasMessageContaining("owned by");
    }

    @Test
    void everyFileIsCreatedOwnerOnly() throws IOException {
        final World w = new World(dir.resolve("data"));
        final SlotId slot = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final BookingConfig config = BookingConfig.DEFAULTS.withJournal(journalDir()).withFsync(FsyncPolicy.NONE)
            .withCompactAboveBytes(1024);
        try (Creneau c = w.start(World.builder(new SteppedClock(World.NOW)).bookingConfig(config))) {
            for (int i = 0; i < 10; i++) {
                c.bookings().release(c.bookings().hold(slot, World.operator("anne")).token());
            }
            c.bookings().expireHolds(); // compacts: a new file renamed over the journal
            assertThat(c.bookings().stats().compactions()).isEqualTo(1);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(journalDir(), LinkOption.NOFOLLOW_LINKS)))
            .isEqualTo("rwx------");
        try (Stream<Path> s = Files.list(journalDir())) {
            final List<Path> files = s.toList();
            assertThat(files).extracting(p -> p.getFileName().toString()).contains(Journal.FILE, Journal.LOCK_FILE);
            for (final Path f : files) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS)))
                    .as(f.toString()).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void theReferenceGatewaysTraceFollowsNoLinkAndIsOwnerOnly() throws IOException {
        final World w = new World(dir.resolve("data"));
        final SlotId a = w.slot("Doctolib", w.gp("MARTIN", "Doctolib"), 60);
        final SlotId b = w.slot("Doctolib", w.gp("BERNARD", "Doctolib"), 60);
        final Path linked = dir.resolve("linked.jsonl");
        Files.createSymbolicLink(linked, victim);
        final Path trace = dir.resolve("trace.jsonl");
        try (Creneau c = w.start(World.builder(new SteppedClock(World.NOW))
            .bookingGateway(new RecordingBookingGateway(linked)))) {
            c.bookings().confirm(c.bookings().hold(a, World.operator("anne")).token()); // the trace fails: unknown outcome
        }
        assertThat(Files.readString(victim, StandardCharsets.UTF_8)).isEqualTo(SECRET);
        try (Creneau c = w.start(World.builder(new SteppedClock(World.NOW))
            .bookingGateway(new RecordingBookingGateway(trace)))) {
            assertThat(c.bookings().confirm(c.bookings().hold(b, World.operator("anne")).token()).isBooked()).isTrue();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(trace))).isEqualTo("rw-------");
    }

    private void deleteJournal() throws IOException {
        try (Stream<Path> s = Files.list(journalDir())) {
            for (final Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(journalDir());
    }
}
