package fr.creneau.booking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The reference {@link BookingGateway}, for the examples, tests and benchmarks: it accepts every
 * booking, answers a confirmation number ({@code CODE-000001}, the same one again for the same
 * idempotency key), and keeps each request; optionally it also appends each request as one JSON
 * line to a file (no fsync: it is a trace, not a store; created owner-only, never written
 * through a symbolic link). A deployment replaces it with a client of
 * the vendor's API.
 *
 * <p>Thread-safe.
 */
public final class RecordingBookingGateway implements BookingGateway {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<HoldToken, String> references = new ConcurrentHashMap<>();
    private final List<Request> booked = new ArrayList<>();
    private final List<String> cancelled = new ArrayList<>();

    /** Keeps requests in memory only. */
    public RecordingBookingGateway() {
        this(null);
    }

    /** Also appends each request to {@code file} (created if absent), one JSON object a line. */
    public RecordingBookingGateway(final Path file) {
        this.file = file;
    }

    @Override
    public Response book(final Request request) throws IOException {
        final String reference = references.computeIfAbsent(request.idempotencyKey(),
            k -> request.slot().source().toUpperCase(java.util.Locale.ROOT) + '-'
                + String.format("%06d", sequence.incrementAndGet()));
        synchronized (this) {
            booked.add(request);
            trace("book", request, reference);
        }
        return Response.accepted(reference);
    }

    @Override
    public Response cancel(final Request request, final String vendorReference) throws IOException {
        synchronized (this) {
            cancelled.add(vendorReference);
            trace("cancel", request, vendorReference);
        }
        return Response.accepted(vendorReference);
    }

    /** Every booking request received, in order (retries included). */
    public synchronized List<Request> requests() {
        return List.copyOf(booked);
    }

    /** References of every cancellation received, in order. */
    public synchronized List<String> cancellations() {
        return List.copyOf(cancelled);
    }

    private void trace(final String action, final Request r, final String reference) throws IOException {
        if (file == null) {
            return;
        }
        final Map<String, Object> line = new LinkedHashMap<>();
        line.put("action", action);
        line.put("idempotencyKey", r.idempotencyKey().toString());
        line.put("slot", r.slot().toString());
        line.put("start", r.start().toString());
        line.put("end", r.end().toString());
        line.put("operator", r.operator().id());
        line.put("reference", reference);
        final ObjectNode node = JSON.valueToTree(line);
        // Never through a link (the file sits in a directory others may write to), owner-only:
        // the trace names operators.
        final FileAttribute<?>[] ownerOnly = file.getFileSystem().supportedFileAttributeViews().contains("posix")
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];
        try (SeekableByteChannel out = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE,
            StandardOpenOption.APPEND, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), ownerOnly)) {
            final ByteBuffer bytes = ByteBuffer.wrap((JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        }
    }
}
