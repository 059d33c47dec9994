package fr.creneau.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI jar as several processes on one data directory: {@code search} reads the journal
 * without its lock and writes nothing, {@code book} waits a bounded time for the lock (a lost race
 * is a refusal, exit 1), and {@code journal repair} moves a damaged tail aside. The journal's
 * lock is held from this JVM (a real OS lock) to stand for a paused or slow owner.
 */
class CliJournalIT {
    private static final Path JAR = Path.of("target", "creneau.jar");
    private static final String NOW = "2026-11-23T08:00:00Z"; // Monday 09:00 in Paris
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    record Run(int exit, String out, String err) {
    }

    private static Process start(final String... args) throws IOException {
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    private static Run finish(final Process p) throws IOException, InterruptedException {
        final byte[] out = p.getInputStream().readAllBytes();
        final byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static Run run(final String... args) throws IOException, InterruptedException {
        return finish(start(args));
    }

    @BeforeEach
    void generate() throws Exception {
        final Run run = run("generate", "--out", data.toString(), "--seed", "5", "--scale", "tiny", "--now", NOW);
        assertThat(run.exit()).as(run.err()).isZero();
    }

    private Run search() throws Exception {
        return run("search", "--data", data.toString(), "--lat", "48.8566", "--lon", "2.3522", "--now", NOW, "--json",
            "--limit", "5");
    }

    private List<String> slots(final Run search) throws IOException {
        final List<String> ids = new ArrayList<>();
        for (final String line : search.out().split("\n")) {
            if (!line.isBlank()) {
                final JsonNode row = JSON.readTree(line);
                ids.add(row.get("slotId").asText());
            }
        }
        return ids;
    }

    /** The slot ids of the search's ONLINE rows. */
    private List<String> onlineSlots(final Run search) throws IOException {
        final List<String> ids = new ArrayList<>();
        for (final String line : search.out().split("\n")) {
            if (!line.isBlank()) {
                final JsonNode row = JSON.readTree(line);
                if ("ONLINE".equals(row.get("booking").asText())) {
                    ids.add(row.get("slotId").asText());
                }
            }
        }
        return ids;
    }

    private Path journal() {
        return data.resolve("journal");
    }

    /**
     * Returns once {@code p} has {@code file} open (Linux: its {@code /proc/PID/fd} links), i.e. it
     * got as far as waiting for the journal's lock; fails if the process ended. Another process's
     * open files have no notification to wait on, hence the poll; a hung run is ended by the
     * test's {@code @Timeout} (its interrupt ends the loop), which asserts nothing about speed.
     */
    private static void awaitHoldingOpen(final Process p, final Path file) throws IOException {
        final Path fds = Path.of("/proc", Long.toString(p.pid()), "fd");
        final Path target = file.toRealPath();
        while (!Thread.currentThread().isInterrupted()) {
            assertThat(p.isAlive()).as("the command ended before waiting for the lock").isTrue();
            try (java.util.stream.Stream<Path> links = Files.list(fds)) {
                if (links.anyMatch(fd -> {
                    try {
                        return Files.readSymbolicLink(fd).equals(target);
                    } catch (final IOException gone) {
                        return false; // closed while we looked
                    }
                })) {
                    return;
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        throw new AssertionError("interrupted (the test's timeout) before the command opened " + file);
    }

    /** Holds the journal directory's lock from this JVM, as a paused owner would. */
    private FileLock lockJournal() throws IOException {
        Files.createDirectories(journal());
        final FileChannel c = FileChannel.open(journal().resolve("journal.lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        return c.lock();
    }

    @Test
    void searchWritesNothingAndRunsWhileAnotherProcessOwnsTheJournal() throws Exception {
        final Run first = search();
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(journal()).as("a search creates no journal").doesNotExist();

        final String slot = slots(first).get(0);
        final Run booked = run("book", "--data", data.toString(), "--slot", slot, "--operator", "osnp-1", "--now", NOW);
        assertThat(booked.exit()).as(booked.err()).isZero();
        final byte[] journalBytes = Files.readAllBytes(journal().resolve("bookings.journal"));

        try (FileLock lock = lockJournal()) {
            final Run during = search();
            assertThat(during.exit()).as(during.err()).isZero();
            assertThat(slots(during)).hasSize(5).doesNotContain(slot); // it reads the bookings all the same
        }
        assertThat(Files.readAllBytes(journal().resolve("bookings.journal"))).isEqualTo(journalBytes);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS) // a hang guard: the command never opening the lock file
    void bookWaitsForTheLockAndTheLoserOfARaceIsRefusedWithExitOne() throws Exception {
        final String slot = slots(search()).get(0);
        final Process a;
        final Process b;
        try (FileLock lock = lockJournal()) {
            a = start("book", "--data", data.toString(), "--slot", slot, "--operator", "osnp-1", "--now", NOW);
            b = start("book", "--data", data.toString(), "--slot", slot, "--operator", "osnp-2", "--now", NOW);
            // Let go only once both wait for it: each holds the lock file open while it polls.
            awaitHoldingOpen(a, journal().resolve("journal.lock"));
            awaitHoldingOpen(b, journal().resolve("journal.lock"));
        }
        final Run ra = finish(a);
        final Run rb = finish(b);
        final Run winner = ra.exit() == 0 ? ra : rb;
        final Run loser = ra.exit() == 0 ? rb : ra;
        assertThat(winner.exit()).as(ra.err() + rb.err()).isZero();
        assertThat(loser.exit()).as(loser.err()).isEqualTo(1);
        assertThat(loser.err()).startsWith("refused: ").contains("ALREADY_BOOKED");
    }

    @Test
    void bookGivesUpAfterItsLockWaitWithARefusal() throws Exception {
        final String slot = slots(search()).get(0);
        try (FileLock lock = lockJournal()) {
            final Run run = run("book", "--data", data.toString(), "--slot", slot, "--operator", "osnp-1", "--now", NOW,
                "--lock-wait", "1s");
            assertThat(run.exit()).as(run.err()).isEqualTo(1);
            assertThat(run.err()).startsWith("refused: ").contains("in use by").doesNotContain("\tat ");
        }
        final Run bad = run("book", "--data", data.toString(), "--slot", slot, "--operator", "x", "--lock-wait", "soon");
        assertThat(bad.exit()).isEqualTo(2);
    }

    @Test
    void aDamagedLastRecordStopsTheCommandsUntilJournalRepairMovesItAside() throws Exception {
        // An ONLINE booking: its CONFIRM record ends with the vendor's reference, so the flipped bit
        // below lands in text and the repair can still say what the record held (a PHONE
        // confirmation ends with an empty reference's length, and the flip makes it unreadable).
        final String slot = onlineSlots(search()).get(0);
        assertThat(run("book", "--data", data.toString(), "--slot", slot, "--operator", "osnp-1", "--now", NOW).exit())
            .isZero();
        final Path file = journal().resolve("bookings.journal");
        final long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, size - 2);
            b.put(0, (byte) (b.get(0) ^ 0x01)); // one bit
            ch.write(b.rewind(), size - 2);
        }
        final Run refused = search();
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).startsWith("error: ").contains("corrupt journal record at byte")
            .contains("journal repair").doesNotContain("\tat ");

        final Run repair = run("journal", "repair", "--data", data.toString());
        assertThat(repair.exit()).as(repair.err()).isZero();
        assertThat(repair.out()).contains("moved").contains("CONFIRM").contains(slot);
        try (var files = Files.list(journal())) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("bookings.journal.repaired-")).count())
                .isEqualTo(1);
        }
        assertThat(search().exit()).isZero();
        final Run again = run("journal", "repair", "--data", data.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("nothing to repair");
    }

    @Test
    void aTornTailDroppedByBookIsKeptAndSaid() throws Exception {
        final List<String> found = slots(search());
        assertThat(run("book", "--data", data.toString(), "--slot", found.get(0), "--operator", "osnp-1", "--now", NOW)
            .exit()).isZero();
        final Path file = journal().resolve("bookings.journal");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 5); // a crash in the middle of the last append
        }
        final Run next = run("book", "--data", data.toString(), "--slot", found.get(1), "--operator", "osnp-1", "--now",
            NOW);
        assertThat(next.exit()).as(next.err()).isZero();
        assertThat(next.err()).contains("note: ").contains("torn").contains("bookings.journal.dropped-");
        try (var files = Files.list(journal())) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("bookings.journal.dropped-")).count())
                .isEqualTo(1);
        }
    }
}
