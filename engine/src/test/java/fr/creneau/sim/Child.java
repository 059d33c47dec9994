package fr.creneau.sim;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import fr.creneau.Creneau;
import fr.creneau.booking.BookingService;
import fr.creneau.booking.ConfirmResult;
import fr.creneau.booking.FsyncPolicy;
import fr.creneau.booking.HoldResult;
import fr.creneau.booking.HoldToken;
import fr.creneau.booking.RecordingBookingGateway;
import fr.creneau.booking.ReleaseResult;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;

/**
 * The killed phase of the simulation, in a child JVM: it opens the same journal, ingests the
 * same files at the same instant, runs a script of holds, confirmations and releases one after
 * the other, printing each outcome once it is acknowledged, starts one more operation on another
 * thread and halts the JVM ({@code Runtime.halt}: no close, no shutdown hook, the journal lock
 * dropped by the OS) while that one is in flight.
 *
 * <p>Arguments: data directory, journal directory, the clock's instant, the inputs file (lines
 * {@code vendor VENDOR FILE} or {@code manual FILE}), the script file (one operation a line, the
 * last one {@code INFLIGHT ...} or absent).
 */
public final class Child {
    static final int HALTED = 77;

    /** Runs a killed phase; returns the acknowledgement lines, one per script line. */
    interface Runner {
        List<String> run(Path work, Path data, Path journal, Instant now, Map<String, Path> snapshots, List<Path> manual,
                         List<String> script, String inflight);
    }

    private Child() {
    }

    /** Starts the child JVM with the test's classpath and waits for it to halt. */
    static final Runner JVM = (work, data, journal, now, snapshots, manual, script, inflight) -> {
        try {
            final Path inputs = Files.createTempFile(work, "inputs", ".txt");
            final List<String> lines = new ArrayList<>();
            snapshots.forEach((vendor, file) -> lines.add("vendor " + vendor + " " + file));
            manual.forEach(file -> lines.add("manual " + file));
            Files.write(inputs, lines, StandardCharsets.UTF_8);
            final Path scriptFile = Files.createTempFile(work, "script", ".txt");
            final List<String> all = new ArrayList<>(script);
            if (inflight != null) {
                all.add("INFLIGHT " + inflight);
            }
            Files.write(scriptFile, all, StandardCharsets.UTF_8);
            final String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            final Path err = Files.createTempFile(work, "child", ".stderr");
            final Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Child.class.getName(), data.toString(), journal.toString(),
                now.toString(), inputs.toString(), scriptFile.toString()).redirectError(err.toFile()).start();
            final List<String> acks = new ArrayList<>();
            boolean ready = false;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.equals("READY")) {
                        ready = true;
                    } else if (ready) {
                        acks.add(line);
                    }
                }
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the child did not halt");
            }
            if (p.exitValue() != HALTED) {
                throw new IllegalStateException("the child exited " + p.exitValue() + ": " + Files.readString(err));
            }
            return acks;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    };

    public static void main(final String[] args) throws Exception {
        final Path data = Path.of(args[0]);
        final Creneau c = Creneau.builder().clock(new SteppedClock(Instant.parse(args[2]))).expiryTimer(false)
            .journal(Path.of(args[1])).fsync(FsyncPolicy.GROUP).bookingGateway(new RecordingBookingGateway()).build();
        c.loadDirectory(data.resolve("practitioners.json"));
        for (final String line : Files.readAllLines(Path.of(args[3]), StandardCharsets.UTF_8)) {
            final String[] f = line.split(" ", 3);
            if (f[0].equals("manual")) {
                c.ingestManual(Path.of(f[1]));
            } else if (f[1].equals(SimWorld.KELDOC)) {
                try (InputStream in = Files.newInputStream(Path.of(f[2]))) {
                    c.ingestFhirBundle(f[1], f[2], in);
                }
            } else {
                c.ingestVendorFeed(Path.of(f[2]));
            }
        }
        final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        out.println("READY");
        final BookingService b = c.bookings();
        final List<HoldToken> tokens = new ArrayList<>();
        for (final String line : Files.readAllLines(Path.of(args[4]), StandardCharsets.UTF_8)) {
            if (line.startsWith("INFLIGHT ")) {
                final String op = line.substring("INFLIGHT ".length());
                final Thread t = new Thread(() -> run(b, op, tokens), "inflight");
                t.start();
                // Somewhere in its course: before it starts, inside the journal append, or after.
                final long until = System.nanoTime() + (System.nanoTime() & 0x1FFFFF);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                break;
            }
            out.println(run(b, line, tokens));
        }
        Runtime.getRuntime().halt(HALTED);
    }

    private static String run(final BookingService b, final String line, final List<HoldToken> tokens) {
        final String[] f = line.split(" ");
        switch (f[0]) {
            case "HOLD": {
                final HoldResult r = b.hold(SlotId.parse(f[1]), Simulation.operator(f[2]),
                    Duration.ofMinutes(Integer.parseInt(f[3])));
                tokens.add(r.token());
                return r.isHeld() ? "HELD " + r.token() + " " + r.expiresAt().toEpochMilli() : "REFUSED " + r.refusal();
            }
            case "CONFIRM": {
                final HoldToken t = token(f[1], tokens);
                tokens.add(t);
                final ConfirmResult r = b.confirm(t);
                return r.isBooked() ? "BOOKED " + t : "REFUSED " + r.refusal();
            }
            default: {
                final HoldToken t = token(f[1], tokens);
                tokens.add(t);
                final ReleaseResult r = b.release(t);
                return r.released() ? "RELEASED " + t : "REFUSED " + r.refusal();
            }
        }
    }

    /** {@code #i}: the token of the script's line {@code i}; else a token. */
    private static HoldToken token(final String text, final List<HoldToken> tokens) {
        return text.startsWith("#") ? tokens.get(Integer.parseInt(text.substring(1))) : HoldToken.parse(text);
    }
}
