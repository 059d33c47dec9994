package fr.creneau.booking;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A vendor whose bookings outlive the processes that call it: one line {@code token reference}
 * per booking (and {@code cancel reference} per cancellation) in a file, forced before it
 * answers, idempotent (the same key gets the same reference, never a second booking; a reference
 * is cancelled once). It can halt the JVM right after it booked or cancelled, as a crash between
 * the vendor's answer and the journal would. Thread-safe (synchronized).
 */
final class FileVendor implements BookingGateway {
    /** Exit status of a JVM halted by {@link #book} just after booking. */
    static final int HALTED = 77;

    /** When the vendor halts the calling JVM, just after it did what was asked. */
    enum Halt { NEVER, AFTER_BOOKING, AFTER_CANCELLING }

    private final Path file;
    private final Halt halt;
    private volatile boolean down;
    private int calls;

    FileVendor(final Path file, final boolean haltAfterBooking) {
        this(file, haltAfterBooking ? Halt.AFTER_BOOKING : Halt.NEVER);
    }

    FileVendor(final Path file, final Halt halt) {
        this.file = file;
        this.halt = halt;
    }

    /** While down, every call throws (a timeout: unknown outcome). */
    void down(final boolean on) {
        this.down = on;
    }

    synchronized int calls() {
        return calls;
    }

    @Override
    public synchronized Response book(final Request request) throws IOException {
        calls++;
        if (down) {
            throw new IOException("vendor timed out");
        }
        final Map<HoldToken, String> known = bookings(file);
        String reference = known.get(request.idempotencyKey());
        if (reference == null) {
            reference = "DOCTOLIB-" + String.format("%06d", known.size() + 1);
            append(request.idempotencyKey() + " " + reference + "\n");
        }
        if (halt == Halt.AFTER_BOOKING) {
            Runtime.getRuntime().halt(HALTED); // the vendor has it; the caller never hears back
        }
        return Response.accepted(reference);
    }

    @Override
    public synchronized Response cancel(final Request request, final String vendorReference) throws IOException {
        calls++;
        if (down) {
            throw new IOException("vendor timed out");
        }
        if (!cancellations(file).contains(vendorReference)) {
            append("cancel " + vendorReference + "\n");
        }
        if (halt == Halt.AFTER_CANCELLING) {
            Runtime.getRuntime().halt(HALTED); // cancelled at the vendor; the caller never hears back
        }
        return Response.accepted(vendorReference);
    }

    private void append(final String line) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
            c.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
            c.force(true);
        }
    }

    /** References the vendor cancelled. */
    static java.util.Set<String> cancellations(final Path file) throws IOException {
        final java.util.Set<String> out = new java.util.LinkedHashSet<>();
        if (Files.exists(file)) {
            for (final String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (line.startsWith("cancel ")) {
                    out.add(line.substring("cancel ".length()));
                }
            }
        }
        return out;
    }

    /** The vendor's bookings, by idempotency key. */
    static Map<HoldToken, String> bookings(final Path file) throws IOException {
        final Map<HoldToken, String> out = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (final String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                final String[] f = line.split(" ");
                if (!f[0].equals("cancel")) {
                    out.put(HoldToken.parse(f[0]), f[1]);
                }
            }
        }
        return out;
    }
}
