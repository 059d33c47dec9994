package fr.creneau.booking;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import fr.creneau.directory.Directory;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.DirectoryLoader;
import fr.creneau.feed.IngestConfig;
import fr.creneau.feed.Ingestor;
import fr.creneau.feed.NativeFeedParser;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SlotIndex;
import fr.creneau.index.SteppedClock;

/**
 * Child JVM for {@link CompactionCrashTest}: builds a journal with live and dead records (ONLINE
 * and PHONE bookings, a hold, a confirmation left in doubt by a vendor that did not answer, and
 * many released holds), then sweeps, which compacts, and halts ({@code Runtime.halt}, no shutdown
 * hook, no close: as abrupt as a SIGKILL) at the point named by its argument, found through the
 * {@link FaultyIo} hook under the real files:
 * <ul>
 *   <li>{@code compact-created}: the compaction's file exists, nothing written to it;</li>
 *   <li>{@code compact-half}: its header and first record written;</li>
 *   <li>{@code compact-written}: all of it written, not forced;</li>
 *   <li>{@code compact-forced}: forced, not yet renamed over the journal;</li>
 *   <li>{@code renamed}: renamed, the directory not forced;</li>
 *   <li>{@code directory-forced}: the directory forced, the new file not reopened;</li>
 *   <li>{@code append-after}: compaction done; a PHONE confirmation's record written to the new
 *       file but not forced (not acknowledged).</li>
 * </ul>
 * Prints on stdout (unbuffered, one line each) {@code HELD token slot}, {@code BOOKED token slot
 * reference}, {@code RELEASED token}, {@code INDOUBT token} after each acknowledged outcome,
 * {@code TRYING token} before the confirmation that may be cut, and {@code HALT point} just before
 * halting. Exits 0 with {@code NOT HALTED} if the point was never reached.
 *
 * <p>Arguments: data directory (practitioners.json, doctolib.json, maiia.json, slots.txt with
 * {@code ROLE slotId} lines), journal directory, fsync policy, halt point.
 */
public final class CompactionCrasher {
    static final int HALTED = 77;
    static final List<String> POINTS = List.of("compact-created", "compact-half", "compact-written", "compact-forced",
        "renamed", "directory-forced", "append-after");
    private static final String COMPACT = Journal.FILE + Journal.COMPACT_SUFFIX;

    private CompactionCrasher() {
    }

    /** The index a process builds from the data directory's files. */
    static SlotIndex index(final Path data, final Clock clock) {
        final VendorRegistry vendors = VendorRegistry.defaults();
        final Directory empty = Directory.builder().build();
        final SlotIndex index = new SlotIndex(empty, clock);
        final Ingestor ingestor = new Ingestor(empty, vendors, IngestConfig.DEFAULTS, clock, index);
        final Directory directory = new DirectoryLoader(vendors).load(data.resolve("practitioners.json"), empty)
            .directory();
        index.updateDirectory(directory);
        ingestor.updateDirectory(directory);
        ingestor.applyVendorSnapshot(new NativeFeedParser().parseVendorFeed(data.resolve("doctolib.json")));
        ingestor.applyVendorSnapshot(new NativeFeedParser().parseVendorFeed(data.resolve("maiia.json")));
        return index;
    }

    static Map<String, SlotId> roles(final Path data) throws IOException {
        final Map<String, SlotId> roles = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(data.resolve("slots.txt"))) {
            final String[] f = line.split(" ");
            roles.put(f[0], SlotId.parse(f[1]));
        }
        return roles;
    }

    public static void main(final String[] args) throws Exception {
        final Path data = Path.of(args[0]);
        final String point = args[3];
        if (!POINTS.contains(point)) {
            throw new IllegalArgumentException("unknown halt point " + point);
        }
        final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        final Map<String, SlotId> roles = roles(data);
        final SteppedClock clock = new SteppedClock(World.NOW);
        final FaultyIo io = new FaultyIo();
        final RecordingBookingGateway vendor = new RecordingBookingGateway();
        // The vendor does not answer E's confirmation: E stays in doubt, and a compaction must keep it so.
        final BookingGateway gateway = new BookingGateway() {
            @Override
            public Response book(final Request request) throws IOException {
                if (request.slot().equals(roles.get("E"))) {
                    throw new IOException("vendor timeout");
                }
                return vendor.book(request);
            }

            @Override
            public Response cancel(final Request request, final String reference) throws IOException {
                return vendor.cancel(request, reference);
            }
        };
        final BookingConfig config = BookingConfig.DEFAULTS.withJournal(Path.of(args[1]))
            .withFsync(FsyncPolicy.valueOf(args[2])).withCompactAboveBytes(Journal.HEADER_BYTES);
        final BookingService s = BookingService.open(index(data, clock), VendorRegistry.defaults(), clock, config,
            gateway, io);
        final Operator anne = World.operator("anne");
        final Operator bruno = World.operator("bruno");
        for (final Map.Entry<String, SlotId> r : roles.entrySet()) {
            if (r.getKey().startsWith("X")) { // the dead weight: held and released
                final HoldResult h = s.hold(r.getValue(), anne);
                out.println("HELD " + h.token() + " " + h.slot());
                s.release(h.token());
                out.println("RELEASED " + h.token());
            }
        }
        for (final String role : List.of("A", "B")) { // A ONLINE, B PHONE: booked
            final HoldResult h = s.hold(roles.get(role), role.equals("A") ? anne : bruno);
            out.println("HELD " + h.token() + " " + h.slot());
            final ConfirmResult c = s.confirm(h.token());
            out.println("BOOKED " + h.token() + " " + h.slot() + " " + c.booking().vendorReference());
        }
        final HoldResult d = s.hold(roles.get("D"), bruno); // PHONE, held
        out.println("HELD " + d.token() + " " + d.slot());
        final HoldResult e = s.hold(roles.get("E"), anne); // ONLINE, in doubt
        out.println("HELD " + e.token() + " " + e.slot());
        if (s.confirm(e.token()).refusal() != Refusal.VENDOR_UNAVAILABLE) {
            throw new AssertionError("E should be in doubt");
        }
        out.println("INDOUBT " + e.token());

        final AtomicInteger compactWrites = new AtomicInteger();
        final AtomicBoolean compacted = new AtomicBoolean();
        io.hook = (after, write, file, bytes) -> {
            final boolean halt;
            if (file.equals(COMPACT) && write && !after) {
                final int n = compactWrites.incrementAndGet();
                halt = point.equals("compact-created") && n == 1 || point.equals("compact-half") && n == 3;
            } else if (file.equals(COMPACT) && !write) {
                halt = !after && point.equals("compact-written") || after && point.equals("compact-forced");
            } else if (!write && compactWrites.get() > 0 && !compacted.get() && !file.startsWith(Journal.FILE)) {
                // The directory's force after the rename (the journal's directory, by its name).
                halt = !after && point.equals("renamed") || after && point.equals("directory-forced");
            } else if (write && after && file.equals(Journal.FILE) && compacted.get()) {
                halt = point.equals("append-after");
            } else {
                halt = false;
            }
            if (halt) {
                out.println("HALT " + point);
                Runtime.getRuntime().halt(HALTED);
            }
        };
        s.expireHolds();
        compacted.set(true);
        if (s.stats().compactions() != 1) {
            throw new AssertionError("the sweep did not compact: " + s.stats());
        }
        out.println("TRYING " + d.token());
        s.confirm(d.token());
        out.println("BOOKED " + d.token() + " " + d.slot() + " null");
        out.println("NOT HALTED");
        s.close();
    }
}
