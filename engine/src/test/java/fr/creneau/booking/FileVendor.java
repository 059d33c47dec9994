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
 * per booking in a file, forced before it answers, idempotent by key (the same key gets the same
 * reference, never a second booking). It can halt the JVM right after it booked, as a crash
 * between the vendor's answer and the journal would. Thread-safe (synchronized).
 */
final class FileVendor implements BookingGateway {
    /** Exit status of a JVM halted by {@link #book} just after booking. */
    static final int HALTED = 77;

    private final Path file;
    private final boolean haltAfterBooking;
    private volatile boolean down;
    private int calls;

    FileVendor(final Path file, final boolean haltAfterBooking) {
        this.file = file;
        this.haltAfterBooking = haltAfterBooking;
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
            try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
                c.write(ByteBuffer.wrap((request.idempotencyKey() + " " + reference + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
                c.force(true);
            }
        }
        if (haltAfterBooking) {
            Runtime.getRuntime().halt(HALTED); // the vendor has it; the caller never hears back
        }
        return Response.accepted(reference);
    }

    @Override
    public Response cancel(final Request request, final String vendorReference) {
        return Response.accepted(vendorReference);
    }

    /** The vendor's bookings, by idempotency key. */
    static Map<HoldToken, String> bookings(final Path file) throws IOException {
        final Map<HoldToken, String> out = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (final String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                final String[] f = line.split(" ");
                out.put(HoldToken.parse(f[0]), f[1]);
            }
        }
        return out;
    }
}
