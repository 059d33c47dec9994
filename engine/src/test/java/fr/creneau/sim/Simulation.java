package fr.creneau.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import fr.creneau.Creneau;
import fr.creneau.EngineInternals;
import fr.creneau.booking.Booking;
import fr.creneau.booking.BookingGateway;
import fr.creneau.booking.BookingService;
import fr.creneau.booking.BookingStats;
import fr.creneau.booking.ConfirmResult;
import fr.creneau.booking.FsyncPolicy;
import fr.creneau.booking.HoldResult;
import fr.creneau.booking.HoldToken;
import fr.creneau.booking.Operator;
import fr.creneau.booking.RecordingBookingGateway;
import fr.creneau.booking.Refusal;
import fr.creneau.booking.ReleaseResult;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.IngestReport;
import fr.creneau.feed.Modality;
import fr.creneau.feed.StaleSnapshotException;
import fr.creneau.index.CellTable;
import fr.creneau.index.Geo;
import fr.creneau.slot.IndexStats;
import fr.creneau.slot.Minutes;
import fr.creneau.index.SlotCursor;
import fr.creneau.index.SlotDescriptor;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;
import fr.creneau.rank.BookingMethod;
import fr.creneau.rank.RankingConfig;
import fr.creneau.rank.RegulatorQuery;
import fr.creneau.rank.ResultKind;
import fr.creneau.rank.SearchResults;
import fr.creneau.directory.Profession;
import fr.creneau.sim.SimWorld.Attrs;
import fr.creneau.sim.SimWorld.Doc;

/**
 * The deterministic simulation of the whole engine (see {@link EngineSimulationTest} for what it
 * drives, what it checks and what replays from a seed). This class is the driver and the plain
 * model: what is in the index ({@link #present}: slot id to the attributes of its record, free or
 * claimed), the standing holds and bookings ({@link #claims}), the holds that ended. Every
 * collection the driver draws from iterates in a fixed order (tree maps by slot id, lists), so
 * the same seed draws the same steps; hold tokens and the winner of a race are the only things
 * that differ from run to run, and the model never draws on them.
 */
final class Simulation implements AutoCloseable {
    /** A standing hold or booking, as the model sees it. */
    static final class Claim {
        final SlotId slot;
        final HoldToken token;
        final String operator;
        final Instant expiresAt;
        boolean booked;
        /** Its confirmation reached the vendor without an answer: it never expires, the sweep asks again. */
        boolean inDoubt;
        /** A booking whose cancellation reached the vendor without an answer: it stands, the sweep cancels again. */
        boolean cancelInDoubt;
        /** The record's source no longer lists it as it is: when the claim ends the slot is gone, not free. */
        boolean unlisted;

        Claim(final SlotId slot, final HoldToken token, final String operator, final Instant expiresAt) {
            this.slot = slot;
            this.token = token;
            this.operator = operator;
            this.expiresAt = expiresAt;
        }
    }

    /** A claim that ended: how, and when (for late confirms and repeated releases). */
    record Ended(HoldToken token, SlotId slot, Refusal as, Instant at, boolean wasBooked) {
    }

    static final int THREADS = 8;
    static final int DAY = 24 * 60;
    private static final String[] OPERATORS = {"op-a", "op-b", "op-c", "op-d", "op-e", "op-f"};
    private static final int[] TTLS = {2, 5, 15, 60};

    final long seed;
    final double days;
    private final Path root;
    final SimWorld world;
    private final Random random;
    final SteppedClock clock;
    private final Path journal;
    private final RecordingBookingGateway vendor = new RecordingBookingGateway();
    /** While set, the end-to-end vendors time out (an outage): confirmations and cancellations are in doubt. */
    private volatile boolean vendorDown;
    private final BookingGateway gateway = new BookingGateway() {
        @Override
        public Response book(final Request request) throws IOException {
            if (vendorDown) {
                throw new IOException("vendor timed out");
            }
            return vendor.book(request);
        }

        @Override
        public Response cancel(final Request request, final String reference) throws IOException {
            if (vendorDown) {
                throw new IOException("vendor timed out");
            }
            return vendor.cancel(request, reference);
        }
    };
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1, r -> {
        final Thread t = new Thread(r, "sim-operator");
        t.setDaemon(true);
        return t;
    });
    Creneau creneau;
    private SlotCursor cursor;
    private final RegulatorQuery query = new RegulatorQuery();
    private final SearchResults results = new SearchResults();

    // ---- the model ----
    final TreeMap<SlotId, Attrs> present = new TreeMap<>(SimWorld.ORDER);
    final TreeMap<SlotId, Claim> claims = new TreeMap<>(SimWorld.ORDER);
    /** The H3 cell each record of {@link #present} was written in (its practitioner's cell then). */
    private final Map<SlotId, Long> recordCell = new HashMap<>();
    final List<Ended> ended = new ArrayList<>();
    /** Practitioner index in the current engine's directory to the practitioner (indices never reused). */
    private final Map<Integer, Doc> byIndex = new HashMap<>();
    private final Map<String, Path> lastSnapshot = new LinkedHashMap<>();
    private final Map<String, Path> olderSnapshot = new LinkedHashMap<>();
    /** Manual files ingested since the last (re)start: replayed in order by a restart. */
    private final List<Path> manualFiles = new ArrayList<>();

    // ---- bookkeeping ----
    int step;
    private final ArrayDeque<String> trace = new ArrayDeque<>();
    private Instant runStart;
    /** Simulated minutes stepped through (the jumps between periods not counted). */
    private long lived;
    private int pagesPeak;
    /** Records written per live hour since the engine started (the model's count). */
    private final TreeMap<Integer, Integer> writes = new TreeMap<>();
    /** Pages of expired hours still waiting out the grace period: {minute expired, pages}. */
    private final List<int[]> quarantine = new ArrayList<>();
    /** The most pages the live hours and the quarantine needed at once, since the engine started. */
    private int pagesNeeded;
    private int pagesMax;
    private int reusedSeen;
    final Map<String, Integer> counts = new TreeMap<>();
    final Child.Runner childRunner;

    Simulation(final long seed, final double days, final Path root, final Child.Runner childRunner) {
        this.seed = seed;
        this.days = days;
        this.root = root;
        this.random = new Random(seed);
        this.world = new SimWorld(root.resolve("data"), random);
        this.clock = new SteppedClock(Instant.parse("2026-10-24T00:00:00Z"));
        this.journal = root.resolve("journal");
        this.childRunner = childRunner;
    }

    // =====================================================================================
    // Driver
    // =====================================================================================

    /** Three periods (autumn DST change, 11 November, spring DST change), {@code days / 3} each. */
    void run() {
        final Instant[] starts = {Instant.parse("2026-10-24T00:00:00Z"), Instant.parse("2026-11-10T06:00:00Z"),
            Instant.parse("2027-03-27T00:00:00Z")};
        final long periodMinutes = Math.round(days * DAY / 3);
        Instant end = null;
        for (int p = 0; p < starts.length; p++) {
            // A period that would begin before the clock (a long run: the previous one overran
            // it) begins where the clock is, never before: the last step may have gone past the
            // previous period's end, and setting the clock back made a later snapshot look older
            // than one applied (seed 83710525320024, 60 days, step 1371).
            final Instant start = end != null && clock.instant().isAfter(starts[p]) ? clock.instant() : starts[p];
            end = start.plus(Duration.ofMinutes(periodMinutes));
            clock.set(start);
            if (creneau == null) {
                runStart = start;
                start(false);
            } else {
                note("jump to " + start);
            }
            // One kill per period, somewhere in its middle half (and in long runs about one more
            // every three simulated days, see step).
            final long killAt = periodMinutes / 4 + (long) (random.nextDouble() * periodMinutes / 2);
            boolean killed = false;
            while (clock.instant().isBefore(end)) {
                final boolean kill = !killed && !Duration.between(start, clock.instant()).minusMinutes(killAt).isNegative();
                killed |= kill;
                try {
                    step(kill);
                } catch (final RuntimeException e) {
                    // Not one of the checks: still the seed, the step and the trace, to replay it.
                    fail("unexpected " + e, e);
                }
            }
        }
    }

    private void step(final boolean kill) {
        step++;
        final int[] deltas = {5, 10, 15, 20, 30, 45};
        final int delta = deltas[random.nextInt(deltas.length)];
        clock.advance(Duration.ofMinutes(delta));
        lived += delta;
        note("step " + step + " at " + clock.instant());
        snapshotted.clear();
        final boolean down = vendorDown ? random.nextInt(100) >= 30 : random.nextInt(100) < 3;
        if (down != vendorDown) {
            vendorDown = down;
            note(down ? "the end-to-end vendors are down" : "the end-to-end vendors are back");
            count(down ? "vendor-outages" : "vendor-back");
        }
        creneau.advance();
        sweepModel(true);
        if (random.nextInt(100) < 6) {
            directoryChange();
        }
        for (final String vendor : SimWorld.VENDORS) {
            if (random.nextInt(100) < 30) {
                snapshot(vendor);
            }
        }
        if (random.nextInt(100) < 15) {
            manual();
        }
        if (random.nextInt(100) < 2) {
            staleSnapshot();
        }
        if ((kill || random.nextInt(300) == 0) && childRunner != null) {
            killedPhase();
        } else if (random.nextInt(100) < 1) {
            restart();
        }
        // The timer is late: holds whose time ran out meanwhile are still standing until a
        // touch or a sweep ends them (kept within the hour, so the index's bucket is the same).
        final int minuteOfHour = Math.floorMod(Minutes.floor(clock.instant()), 60);
        if (random.nextInt(100) < 30 && minuteOfHour < 57) {
            final int late = 1 + random.nextInt(3);
            clock.advance(Duration.ofMinutes(late));
            lived += late;
            note("timer late: now " + clock.instant());
        }
        batch();
        check();
    }

    private void start(final boolean replay) {
        // The model's reach is RankingConfig's fixed office radius, not the per-département table
        // (whose widening LocalRulesTest proves).
        creneau = Creneau.builder().clock(clock).expiryTimer(false).journal(journal).fsync(FsyncPolicy.GROUP)
            .protocolConfig(fr.creneau.rank.ProtocolConfig.builder().departementRadii(false).build())
            .bookingGateway(gateway).build();
        cursor = EngineInternals.index(creneau).cursor();
        byIndex.clear();
        loadDirectory(world.writeDirectory());
        if (replay) {
            // What a host does after a restart: the directory, then every source again.
            for (final String vendor : SimWorld.VENDORS) {
                final Path file = lastSnapshot.get(vendor);
                if (file != null) {
                    ingestVendorFile(vendor, file);
                }
            }
            for (final Path file : manualFiles) {
                creneau.ingestManual(file);
            }
            creneau.advance();
        } else {
            for (final String vendor : SimWorld.VENDORS) {
                snapshot(vendor);
            }
            manual();
        }
    }

    /**
     * The model of a restart: the index starts empty, the journal brings the claims back (holds
     * whose time ran out end), then the host's ingests run again in order, each placing the
     * claims whose slot it brings back.
     */
    private void modelRestart() {
        present.clear();
        writes.clear();
        quarantine.clear();
        pagesNeeded = 0;
        sweepModel(true); // (the start resolves what is in doubt when the vendor answers)
        for (final String vendor : SimWorld.VENDORS) {
            if (lastSnapshot.containsKey(vendor)) {
                final String code = VendorRegistry.code(vendor);
                modelVendor(code, accepted(code, null, nowMinute()));
            }
        }
        for (final Path file : manualFiles) {
            modelManual(acceptedManual(manualContent.get(file), nowMinute()));
        }
    }
    private final Map<Path, TreeMap<SlotId, Attrs>> manualContent = new HashMap<>();

    private void restart() {
        note("restart (close, replay)");
        count("restarts");
        creneau.close();
        modelRestart();
        start(true);
    }

    /**
     * A phase in a child JVM on the same journal, halted ({@code Runtime.halt}) right after its
     * last acknowledged operation while one more is in flight; then a restart here.
     */
    private void killedPhase() {
        note("kill phase");
        count("kills");
        creneau.close();
        // The child's vendor answers (so does ours for the restart after it): what was in
        // doubt is resolved by the child's start.
        vendorDown = false;
        modelRestart();
        final List<String> script = new ArrayList<>();
        final List<Object[]> expected = new ArrayList<>(); // {kind, slot, operator, ttl | claim}
        final List<SlotId> free = holdable();
        final Set<SlotId> used = new HashSet<>();
        for (int i = 0; i < 6 && !free.isEmpty(); i++) {
            final SlotId s = free.remove(random.nextInt(free.size()));
            used.add(s);
            final String op = OPERATORS[random.nextInt(OPERATORS.length)];
            final int ttl = TTLS[1 + random.nextInt(TTLS.length - 1)];
            script.add("HOLD " + s + " " + op + " " + ttl);
            expected.add(new Object[] {"HOLD", s, op, ttl});
            if (random.nextBoolean()) {
                script.add("CONFIRM #" + (script.size() - 1));
                expected.add(new Object[] {"CONFIRM", s});
            }
        }
        for (final Claim c : new ArrayList<>(claims.values())) {
            if (!used.contains(c.slot) && random.nextInt(4) == 0 && !expired(c) && !c.inDoubt && !c.cancelInDoubt) {
                used.add(c.slot);
                script.add("RELEASE " + c.token);
                expected.add(new Object[] {"RELEASE", c.slot});
            }
        }
        // In flight at the kill: a hold of a free slot, or the confirmation of the first hold.
        String inflight = null;
        SlotId inflightSlot = null;
        String inflightOperator = null;
        // The hold in flight is of a vendor slot: a restart ingests one snapshot per vendor, so its
        // record is the same whether the hold reached the journal or not (manual files are
        // replayed in order, and a hold placed by an older one stays on that record).
        free.removeIf(id -> id.source().equals(SlotId.MANUAL));
        if (!free.isEmpty() && random.nextBoolean()) {
            inflightSlot = free.get(random.nextInt(free.size()));
            inflightOperator = "op-killed";
            inflight = "HOLD " + inflightSlot + " " + inflightOperator + " 15";
        } else if (!expected.isEmpty() && expected.get(0)[0].equals("HOLD")
            && (expected.size() < 2 || !expected.get(1)[0].equals("CONFIRM"))) {
            inflightSlot = (SlotId) expected.get(0)[1];
            inflight = "CONFIRM #0";
        }
        final List<String> acks = childRunner.run(root, world.dir, journal, clock.instant(), lastSnapshot, manualFiles,
            script, inflight);
        if (acks.size() != script.size()) {
            fail("the killed child acknowledged " + acks.size() + " of " + script.size() + " operations: " + acks);
        }
        final Map<Integer, HoldToken> tokens = new HashMap<>();
        for (int i = 0; i < script.size(); i++) {
            final String[] a = acks.get(i).split(" ");
            final Object[] e = expected.get(i);
            final SlotId s = (SlotId) e[1];
            switch ((String) e[0]) {
                case "HOLD": {
                    if (!a[0].equals("HELD")) {
                        fail("child: hold of free " + s + " gave " + acks.get(i));
                    }
                    final HoldToken t = HoldToken.parse(a[1]);
                    tokens.put(i, t);
                    claims.put(s, new Claim(s, t, (String) e[2], Instant.ofEpochMilli(Long.parseLong(a[2]))));
                    break;
                }
                case "CONFIRM":
                    if (!a[0].equals("BOOKED")) {
                        fail("child: confirm on " + s + " gave " + acks.get(i));
                    }
                    claims.get(s).booked = true;
                    break;
                default:
                    if (!a[0].equals("RELEASED")) {
                        fail("child: release on " + s + " gave " + acks.get(i));
                    }
                    endClaim(claims.get(s), Refusal.RELEASED);
                    break;
            }
        }
        note("child acknowledged " + acks.size() + " then was halted" + (inflight == null ? "" : " during " + inflight));
        // The restart here replays the inputs in order with the child's claims standing: so does the model.
        modelRestart();
        start(true);
        // The operation in flight may or may not have reached the journal: find out, check it is
        // no more than was asked, and undo it, so the model is the same whatever the kill hit.
        if (inflight != null && inflight.startsWith("HOLD")) {
            final HoldToken t = creneau.bookings().tokenHeldBy(inflightSlot, inflightOperator);
            if (t != null) {
                if (creneau.bookings().booking(inflightSlot) != null) {
                    fail("an unacknowledged hold came back BOOKED: " + inflightSlot);
                }
                final ReleaseResult r = creneau.bookings().release(t);
                if (!r.released() || r.cancelled()) {
                    fail("release of the in-flight hold: " + r);
                }
                count("inflight-holds-recorded");
            }
        } else if (inflight != null) {
            final Claim c = claims.get(inflightSlot);
            final ReleaseResult r = creneau.bookings().release(c.token);
            if (!r.released()) {
                fail("release of the hold whose confirmation was in flight: " + r);
            }
            if (r.cancelled()) {
                count("inflight-confirms-recorded");
                c.booked = true; // the confirmation reached the journal (or the vendor) before the kill
            }
            endClaim(c, Refusal.RELEASED);
        }
    }

    // =====================================================================================
    // Inputs
    // =====================================================================================

    private void loadDirectory(final Path file) {
        final IngestReport report = creneau.loadDirectory(file);
        int in = 0;
        for (final Doc d : world.docs) {
            d.index = -1;
            if (d.inDirectory) {
                in++;
                d.index = creneau.directory().indexOf(d.rpps);
                if (d.index < 0) {
                    fail(d + " is not in the directory after a load");
                }
                final Doc before = byIndex.put(d.index, d);
                if (before != null && before != d) {
                    fail("practitioner index " + d.index + " reused: " + before + " then " + d);
                }
            }
        }
        if (report.accepted() != in) {
            fail("directory: " + report.accepted() + " accepted, " + in + " expected: " + report);
        }
    }

    private void directoryChange() {
        final int changes = 1 + random.nextInt(3);
        final StringBuilder what = new StringBuilder("directory:");
        for (int i = 0; i < changes; i++) {
            // Mostly the interesting ones: those who left (they come back), those with a standing
            // hold or booking (they move or leave with it).
            final List<Doc> out = new ArrayList<>();
            final List<Doc> claimed = new ArrayList<>();
            for (final Doc x : world.docs) {
                if (!x.inDirectory) {
                    out.add(x);
                }
            }
            for (final Claim c : claims.values()) {
                final Doc x = world.byRpps.get(c.slot.rpps());
                if (x.inDirectory && !claimed.contains(x)) {
                    claimed.add(x);
                }
            }
            final int pick = random.nextInt(3);
            final List<Doc> from = pick == 0 && !out.isEmpty() ? out : pick == 1 && !claimed.isEmpty() ? claimed
                : world.docs;
            final Doc d = from.get(random.nextInt(from.size()));
            final int r = random.nextInt(10);
            if (!d.inDirectory) {
                d.inDirectory = true;
                if (random.nextBoolean()) {
                    world.place(d, random.nextInt(SimWorld.CLUSTERS.length));
                    what.append(" ").append(d).append(" comes back elsewhere;");
                } else {
                    what.append(" ").append(d).append(" comes back;");
                }
            } else if (r < 5) {
                world.place(d, r < 4 ? clusterOf(d) : random.nextInt(SimWorld.CLUSTERS.length));
                what.append(" ").append(d).append(" moves;");
            } else if (r < 8) {
                d.inDirectory = false;
                what.append(" ").append(d).append(" leaves;");
            } else if (d.vendor != null) {
                d.refuses = !d.refuses;
                what.append(" ").append(d).append(d.refuses ? " refuses" : " accepts").append(" vendor display;");
            }
        }
        note(what.toString());
        count("directory-changes");
        final Map<Doc, Integer> cellBefore = new HashMap<>();
        for (final Doc d : world.docs) {
            if (d.index >= 0) {
                cellBefore.put(d, EngineInternals.index(creneau).cells().cellOf(d.index));
            }
        }
        loadDirectory(world.writeDirectory());
        // A practitioner who changed cell has its free records written again in the new one.
        for (final SlotId id : present.keySet()) {
            final Doc d = world.byRpps.get(id.rpps());
            final Integer was = cellBefore.get(d);
            if (d.inDirectory && was != null && was != EngineInternals.index(creneau).cells().cellOf(d.index) && !claims.containsKey(id)) {
                wrote(id);
                recordCell.put(id, cellOf(d));
            }
        }
        for (final SlotId id : new ArrayList<>(present.keySet())) {
            final Doc d = world.byRpps.get(id.rpps());
            if (!d.inDirectory || d.refuses && !id.source().equals(SlotId.MANUAL)) {
                drop(id);
            }
        }
    }

    private static int clusterOf(final Doc d) {
        int best = 0;
        for (int c = 1; c < SimWorld.CLUSTERS.length; c++) {
            if (Math.abs(SimWorld.CLUSTERS[c][0] - d.lat) < Math.abs(SimWorld.CLUSTERS[best][0] - d.lat)) {
                best = c;
            }
        }
        return best;
    }

    /** The source stops listing {@code id}: a free record goes, a claimed one stays, unlisted. */
    private void drop(final SlotId id) {
        final Claim c = claims.get(id);
        if (c != null) {
            c.unlisted = true;
        } else {
            present.remove(id);
        }
    }

    private void snapshot(final String vendor) {
        applied(vendor, ingestVendorFile(vendor, nextSnapshot(vendor, Set.of())));
    }

    /** The vendor's next snapshot file, its listing churned except for the slots of {@code frozen}. */
    private Path nextSnapshot(final String vendor, final Set<SlotId> frozen) {
        final String code = VendorRegistry.code(vendor);
        final TreeMap<SlotId, Attrs> l = world.listed.get(code);
        final Map<SlotId, Attrs> kept = new HashMap<>();
        for (final SlotId id : frozen) {
            kept.put(id, l.get(id));
        }
        world.churn(code, nowMinute());
        for (final Map.Entry<SlotId, Attrs> e : kept.entrySet()) {
            if (e.getValue() == null) {
                l.remove(e.getKey());
            } else {
                l.put(e.getKey(), e.getValue());
            }
        }
        final Path file = world.writeSnapshot(vendor, clock.instant(), random.nextInt(4) == 0);
        if (lastSnapshot.containsKey(vendor)) {
            olderSnapshot.put(vendor, lastSnapshot.get(vendor));
        }
        lastSnapshot.put(vendor, file);
        snapshotted.add(vendor);
        return file;
    }

    /** Vendors whose snapshot this step has applied (a second one would be of the same age). */
    private final Set<String> snapshotted = new HashSet<>();

    /** The model's side of an applied snapshot: the count the rules keep, then snapshot semantics. */
    private void applied(final String vendor, final IngestReport report) {
        final String code = VendorRegistry.code(vendor);
        final TreeMap<SlotId, Attrs> accepted = accepted(code, null, nowMinute());
        if (report.accepted() != accepted.size()) {
            fail(vendor + " snapshot: " + report.accepted() + " accepted, the model expects " + accepted.size() + ": "
                + report);
        }
        note(vendor + " snapshot: " + accepted.size() + " slots");
        count("snapshots");
        modelVendor(code, accepted);
    }

    /** Snapshot semantics, per (practitioner, source), on the records of this source's slots. */
    private void modelVendor(final String code, final TreeMap<SlotId, Attrs> accepted) {
        for (final SlotId id : new ArrayList<>(present.keySet())) {
            if (!id.source().equals(code)) {
                continue;
            }
            final Doc d = world.byRpps.get(id.rpps());
            if (!d.inDirectory) {
                continue; // its claimed records were left alone when it left
            }
            place(id, accepted.get(id));
        }
        addNew(accepted);
    }

    /** Accepted slots without a record get one; a claim without a record is placed on it (reconcile). */
    private void addNew(final TreeMap<SlotId, Attrs> accepted) {
        for (final Map.Entry<SlotId, Attrs> e : accepted.entrySet()) {
            if (!present.containsKey(e.getKey())) {
                present.put(e.getKey(), e.getValue());
                wrote(e.getKey());
                recordCell.put(e.getKey(), cellOf(world.byRpps.get(e.getKey().rpps())));
                final Claim c = claims.get(e.getKey());
                if (c != null) {
                    c.unlisted = false;
                }
            }
        }
    }

    /** A source's new listing of a slot already in the index ({@code a} null: no longer listed). */
    private void place(final SlotId id, final Attrs a) {
        final Claim c = claims.get(id);
        if (a == null) {
            drop(id);
        } else if (a.equals(present.get(id))) {
            if (c != null) {
                c.unlisted = false; // listed again, as it is
            }
        } else if (c != null) {
            c.unlisted = true; // changed while claimed: the claimed record stays, the new one is not shown
            wrote(id); // (written, then marked gone: its page holds it all the same)
        } else {
            present.put(id, a); // replaced by a new record
            wrote(id);
            recordCell.put(id, cellOf(world.byRpps.get(id.rpps())));
        }
    }

    /** The practitioner's H3 cell now: at the resolution the index keys its area at. */
    private long cellOf(final Doc d) {
        return EngineInternals.index(creneau).cells().cellAt(d.lat, d.lon);
    }

    /**
     * What {@code resolveInDoubt} does (every sweep, and at start) when the vendor answers: a
     * confirmation in doubt is booked, a cancellation in doubt is done.
     */
    private void resolveInDoubt() {
        if (vendorDown) {
            return;
        }
        for (final Claim c : new ArrayList<>(claims.values())) {
            if (c.inDoubt) {
                c.inDoubt = false;
                c.booked = true;
                count("resolved-confirms");
            } else if (c.cancelInDoubt) {
                endClaim(c, Refusal.RELEASED);
                count("resolved-cancels");
            }
        }
    }

    /** A record written for {@code id}: in the page of its hour. */
    private void wrote(final SlotId id) {
        writes.merge(Minutes.bucket(id.startMinute()), 1, Integer::sum);
    }

    private IngestReport ingestVendorFile(final String vendor, final Path file) {
        if (vendor.equals(SimWorld.KELDOC)) {
            try (InputStream in = Files.newInputStream(file)) {
                return creneau.ingestFhirBundle(vendor, file.getFileName().toString(), in);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return creneau.ingestVendorFeed(file);
    }

    /** An older snapshot arriving late: refused, nothing changes. */
    private void staleSnapshot() {
        final String vendor = SimWorld.VENDORS.get(random.nextInt(SimWorld.VENDORS.size()));
        final Path older = olderSnapshot.get(vendor);
        if (older == null || older.equals(lastSnapshot.get(vendor))) {
            return;
        }
        note(vendor + ": a stale snapshot " + older.getFileName());
        try {
            ingestVendorFile(vendor, older);
            fail("a stale " + vendor + " snapshot was applied");
        } catch (final StaleSnapshotException expected) {
            count("stale-refused");
        }
    }

    private void manual() {
        final List<Doc> named = new ArrayList<>();
        for (final Doc d : world.docs) {
            if (d.manual && random.nextInt(3) == 0) {
                named.add(d);
            }
        }
        world.churn(SlotId.MANUAL, nowMinute());
        final Path file = world.writeManual(named);
        final TreeMap<SlotId, Attrs> content = new TreeMap<>(SimWorld.ORDER);
        for (final Map.Entry<SlotId, Attrs> e : world.listed.get(SlotId.MANUAL).entrySet()) {
            if (named.contains(world.byRpps.get(e.getKey().rpps()))) {
                content.put(e.getKey(), e.getValue());
            }
        }
        manualContent.put(file, content);
        manualFiles.add(file);
        // A file whose slots have all ended names nobody at a restart: no need to keep it.
        manualFiles.removeIf(f -> manualContent.get(f).keySet().stream()
            .allMatch(id -> id.startMinute() + SimWorld.SLOT_MINUTES <= nowMinute()));
        final IngestReport report = creneau.ingestManual(file);
        final TreeMap<SlotId, Attrs> accepted = acceptedManual(content, nowMinute());
        if (report.accepted() != accepted.size()) {
            fail("manual file: " + report.accepted() + " accepted, the model expects " + accepted.size() + ": " + report);
        }
        note("manual file: " + accepted.size() + " slots of " + named.size() + " practitioners");
        count("manual-files");
        modelManual(accepted);
    }

    /** A manual file replaces the manual slots of the practitioners it names (with a slot kept). */
    private void modelManual(final TreeMap<SlotId, Attrs> accepted) {
        final Set<Long> replaced = new HashSet<>();
        for (final SlotId id : accepted.keySet()) {
            replaced.add(id.rpps());
        }
        for (final SlotId id : new ArrayList<>(present.keySet())) {
            if (id.source().equals(SlotId.MANUAL) && replaced.contains(id.rpps())) {
                place(id, accepted.get(id));
            }
        }
        addNew(accepted);
    }

    /** What the SAS rules keep of a source's listing at {@code nowMinute} (see the README's ingestion rules). */
    private TreeMap<SlotId, Attrs> accepted(final String source, final Map<SlotId, Attrs> listing, final int nowMinute) {
        final TreeMap<SlotId, Attrs> out = new TreeMap<>(SimWorld.ORDER);
        for (final Map.Entry<SlotId, Attrs> e : (listing == null ? world.listed.get(source) : listing).entrySet()) {
            if (keeps(e.getKey(), e.getValue(), nowMinute)) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** Whether the SAS rules keep a listed slot at {@code nowMinute}. */
    private boolean keeps(final SlotId id, final Attrs a, final int nowMinute) {
        final Doc d = world.byRpps.get(id.rpps());
        final int start = id.startMinute();
        return d.inDirectory && a.visible() && (id.source().equals(SlotId.MANUAL) || !d.refuses)
            && start + SimWorld.SLOT_MINUTES > nowMinute && start < nowMinute + 48 * 60;
    }

    private TreeMap<SlotId, Attrs> acceptedManual(final Map<SlotId, Attrs> content, final int nowMinute) {
        return accepted(SlotId.MANUAL, content, nowMinute);
    }

    // =====================================================================================
    // Booking operations, from several threads
    // =====================================================================================

    private enum Kind { RACE, RETRY, TAKEN, GONE, CONFIRM, CONFIRM_EXPIRED, RELEASE, RELEASE_AGAIN, SWEEP }

    /** One operation on a thread, and its outcome. */
    private static final class Op {
        final String what; // HOLD, CONFIRM, RELEASE, SWEEP
        final SlotId slot;
        final String operator;
        final int ttl;
        final HoldToken token;
        volatile Object result;

        Op(final String what, final SlotId slot, final String operator, final int ttl, final HoldToken token) {
            this.what = what;
            this.slot = slot;
            this.operator = operator;
            this.ttl = ttl;
            this.token = token;
        }

        Object run(final BookingService b) {
            switch (what) {
                case "HOLD":
                    return b.hold(slot, operator(operator), Duration.ofMinutes(ttl));
                case "CONFIRM":
                    return b.confirm(token);
                case "RELEASE":
                    return b.release(token);
                default:
                    return b.expireHolds();
            }
        }

        @Override
        public String toString() {
            return what + (slot == null ? "" : " " + slot) + (operator == null ? "" : " by " + operator)
                + (result == null ? "" : " -> " + result);
        }
    }

    /** Ops of one group touch one slot (or none, a sweep); groups of a batch touch different slots. */
    private record Group(Kind kind, SlotId slot, Claim claim, Ended ended, List<Op> ops) {
    }

    static Operator operator(final String id) {
        return new Operator(id, "RICART", "Pauline", id + "@ghsas.fr");
    }

    private void batch() {
        final List<Group> groups = new ArrayList<>();
        final Set<SlotId> used = new HashSet<>();
        int ops = 0;
        final int wanted = random.nextInt(7);
        final List<SlotId> holdable = holdable();
        final List<Claim> live = new ArrayList<>();
        final List<Claim> lapsed = new ArrayList<>();
        for (final Claim c : claims.values()) {
            (expired(c) ? lapsed : live).add(c);
        }
        boolean sweep = false;
        for (int g = 0; g < wanted; g++) {
            final int r = random.nextInt(16);
            final Kind kind = r < 5 ? Kind.RACE : r < 6 ? Kind.RETRY : r < 7 ? Kind.TAKEN : r < 8 ? Kind.GONE
                : r < 11 ? Kind.CONFIRM : r < 12 ? Kind.CONFIRM_EXPIRED : r < 14 ? Kind.RELEASE : r < 15
                ? Kind.RELEASE_AGAIN : Kind.SWEEP;
            final List<Op> list = new ArrayList<>();
            Claim claim = null;
            Ended end = null;
            SlotId slot = null;
            switch (kind) {
                case RACE: {
                    slot = pick(holdable, used);
                    if (slot == null) {
                        continue;
                    }
                    final int k = 1 + random.nextInt(3);
                    // One TTL for all: the winner's expiry must not depend on who wins.
                    final int ttl = TTLS[random.nextInt(TTLS.length)];
                    final List<String> who = new ArrayList<>(List.of(OPERATORS));
                    for (int i = 0; i < k; i++) {
                        list.add(new Op("HOLD", slot, who.remove(random.nextInt(who.size())), ttl, null));
                    }
                    break;
                }
                case RETRY:
                case TAKEN:
                case CONFIRM:
                case RELEASE: {
                    final List<Claim> from = new ArrayList<>();
                    for (final Claim c : live) {
                        if (!used.contains(c.slot) && (kind == Kind.RELEASE || kind == Kind.TAKEN || !c.booked)) {
                            from.add(c);
                        }
                    }
                    if (from.isEmpty()) {
                        continue;
                    }
                    claim = from.get(random.nextInt(from.size()));
                    slot = claim.slot;
                    if (kind == Kind.RETRY) {
                        list.add(new Op("HOLD", slot, claim.operator, 5, null));
                    } else if (kind == Kind.TAKEN) {
                        list.add(new Op("HOLD", slot, otherThan(claim.operator), 5, null));
                    } else if (kind == Kind.CONFIRM) {
                        list.add(new Op("CONFIRM", slot, null, 0, claim.token));
                        if (random.nextBoolean()) {
                            list.add(new Op("CONFIRM", slot, null, 0, claim.token)); // the same token twice at once
                        }
                        if (random.nextBoolean()) {
                            list.add(new Op("HOLD", slot, otherThan(claim.operator), 5, null));
                        }
                    } else {
                        list.add(new Op("RELEASE", slot, null, 0, claim.token));
                    }
                    break;
                }
                case GONE: {
                    slot = goneSlot(used);
                    if (slot == null) {
                        continue;
                    }
                    list.add(new Op("HOLD", slot, OPERATORS[random.nextInt(OPERATORS.length)], 5, null));
                    break;
                }
                case CONFIRM_EXPIRED: {
                    final List<Claim> from = new ArrayList<>();
                    for (final Claim c : lapsed) {
                        if (!used.contains(c.slot)) {
                            from.add(c);
                        }
                    }
                    if (!from.isEmpty()) {
                        claim = from.get(random.nextInt(from.size()));
                        slot = claim.slot;
                        list.add(new Op("CONFIRM", slot, null, 0, claim.token));
                    } else {
                        end = recentlyEnded(Refusal.EXPIRED, used);
                        if (end == null) {
                            continue;
                        }
                        slot = end.slot();
                        list.add(new Op("CONFIRM", null, null, 0, end.token()));
                    }
                    break;
                }
                case RELEASE_AGAIN: {
                    end = recentlyEnded(Refusal.RELEASED, used);
                    if (end == null) {
                        continue;
                    }
                    slot = end.slot();
                    list.add(new Op("RELEASE", null, null, 0, end.token()));
                    break;
                }
                default:
                    if (sweep) {
                        continue;
                    }
                    sweep = true;
                    list.add(new Op("SWEEP", null, null, 0, null));
                    break;
            }
            if (ops + list.size() > THREADS) {
                break;
            }
            ops += list.size();
            if (slot != null) {
                used.add(slot);
            }
            groups.add(new Group(kind, slot, claim, end, list));
        }
        if (groups.isEmpty()) {
            return;
        }
        // Now and then a vendor's snapshot is applied at the same time, on another thread: it
        // changes the vendor's other slots (the writer replaces, relists and removes records
        // while holds and releases move states by CAS) and lists the batch's slots as before,
        // so every order of the two gives the same outcome.
        String concurrentVendor = null;
        Path concurrentFile = null;
        if (random.nextInt(100) < 35) {
            final String v = SimWorld.VENDORS.get(random.nextInt(SimWorld.VENDORS.size()));
            // A sweep beside it ends the holds whose time ran out: theirs are frozen too.
            final Set<SlotId> frozen = new HashSet<>(used);
            for (final Claim c : lapsed) {
                frozen.add(c.slot);
            }
            // A claim that ends on a record that goes GONE (unlisted, or left in the cell its
            // practitioner moved from) races the snapshot: after it, the snapshot writes the slot
            // anew; before it, the snapshot finds the claimed record. Both are right, so no
            // snapshot beside such an end.
            boolean racy = false;
            for (final SlotId id : frozen) {
                final Claim c = claims.get(id);
                racy |= c != null && id.source().equals(VendorRegistry.code(v)) && present.containsKey(id)
                    && (c.unlisted || recordCell.get(id) != cellOf(world.byRpps.get(id.rpps())));
            }
            if (!snapshotted.contains(v) && !racy) {
                concurrentVendor = v;
                concurrentFile = nextSnapshot(v, frozen);
            }
        }
        // All at once: every op waits at the gate, then they race.
        final CountDownLatch gate = new CountDownLatch(1);
        final List<Future<?>> futures = new ArrayList<>();
        final BookingService bookings = creneau.bookings();
        Future<IngestReport> ingest = null;
        if (concurrentVendor != null) {
            final String v = concurrentVendor;
            final Path f = concurrentFile;
            ingest = pool.submit(() -> {
                gate.await();
                return ingestVendorFile(v, f);
            });
        }
        for (final Group g : groups) {
            for (final Op op : g.ops()) {
                futures.add(pool.submit(() -> {
                    gate.await();
                    op.result = op.run(bookings);
                    return null;
                }));
            }
        }
        gate.countDown();
        for (final Future<?> f : futures) {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (final Exception e) {
                fail("a booking operation failed: " + e, e);
            }
        }
        if (ingest != null) {
            try {
                final IngestReport report = ingest.get(60, TimeUnit.SECONDS);
                note(concurrentVendor + " snapshot during the batch:");
                count("concurrent-snapshots");
                applied(concurrentVendor, report);
            } catch (final Exception e) {
                fail("a snapshot applied during the batch failed: " + e, e);
            }
        }
        for (final Group g : groups) {
            note("  " + g.kind() + " " + g.ops());
            digest(g.kind() + " " + g.slot() + " " + g.ops().size());
            count("op-" + g.kind().name().toLowerCase());
            verify(g);
        }
        if (sweep) {
            sweepModel(false);
        }
    }

    /**
     * Another operator than the holder. One draw whoever the holder is: the holder is the winner
     * of a race, which differs from run to run, and the draws that follow must not.
     */
    private String otherThan(final String operator) {
        final List<String> others = new ArrayList<>(List.of(OPERATORS));
        others.remove(operator);
        return others.get(random.nextInt(others.size()));
    }

    private SlotId pick(final List<SlotId> from, final Set<SlotId> used) {
        for (int tries = 0; tries < 8 && !from.isEmpty(); tries++) {
            final SlotId s = from.get(random.nextInt(from.size()));
            if (!used.contains(s)) {
                return s;
            }
        }
        return null;
    }

    /** Slots a hold takes now: in the index, not ended, and free or under a hold whose time ran out. */
    private List<SlotId> holdable() {
        final List<SlotId> out = new ArrayList<>();
        final int now = nowMinute();
        for (final SlotId id : present.keySet()) {
            final Claim c = claims.get(id);
            if (id.startMinute() + SimWorld.SLOT_MINUTES > now && (c == null || expired(c) && !c.booked && !c.unlisted)) {
                out.add(id);
            }
        }
        return out;
    }

    /** A slot that is listed (or was) but not in the index, and not claimed: a hold is refused GONE. */
    private SlotId goneSlot(final Set<SlotId> used) {
        final List<SlotId> out = new ArrayList<>();
        final int now = nowMinute();
        for (final TreeMap<SlotId, Attrs> l : world.listed.values()) {
            for (final Map.Entry<SlotId, Attrs> e : l.entrySet()) {
                final SlotId id = e.getKey();
                // Not one a snapshot now would bring (one may be applied beside the batch).
                if (!present.containsKey(id) && !claims.containsKey(id) && !used.contains(id)
                    && id.startMinute() + SimWorld.SLOT_MINUTES > now && !keeps(id, e.getValue(), now)) {
                    out.add(id);
                }
            }
        }
        if (out.isEmpty()) {
            return null;
        }
        return out.get(random.nextInt(out.size()));
    }

    private Ended recentlyEnded(final Refusal as, final Set<SlotId> used) {
        final List<Ended> from = new ArrayList<>();
        final Instant after = clock.instant().minus(Duration.ofHours(12));
        for (final Ended e : ended) {
            if (e.as() == as && e.at().isAfter(after) && !used.contains(e.slot()) && !claims.containsKey(e.slot())) {
                from.add(e);
            }
        }
        return from.isEmpty() ? null : from.get(random.nextInt(from.size()));
    }

    /** Checks a group's outcomes against every order the model allows, then applies them to the model. */
    private void verify(final Group g) {
        switch (g.kind()) {
            case RACE: {
                final Claim lapsed = claims.get(g.slot());
                if (lapsed != null) {
                    endClaim(lapsed, Refusal.EXPIRED); // the first hold to touch it ended it
                }
                Op winner = null;
                for (final Op op : g.ops()) {
                    final HoldResult r = (HoldResult) op.result;
                    if (r.isHeld()) {
                        if (winner != null || r.retried()) {
                            fail("slot given twice: " + g.ops());
                        }
                        winner = op;
                    } else if (r.refusal() != Refusal.ALREADY_HELD) {
                        fail("a hold racing for a free slot was refused " + r.refusal() + ": " + g.ops());
                    }
                }
                if (winner == null) {
                    fail("nobody got a free slot: " + g.ops());
                }
                final HoldResult r = (HoldResult) winner.result;
                final Instant expires = clock.instant().plus(Duration.ofMinutes(winner.ttl));
                if (!r.expiresAt().equals(expires) || r.method() != methodOf(g.slot())) {
                    fail("hold " + r + ": expected expiry " + expires + ", " + methodOf(g.slot()));
                }
                claims.put(g.slot(), new Claim(g.slot(), r.token(), winner.operator, r.expiresAt()));
                break;
            }
            case RETRY: {
                final HoldResult r = (HoldResult) g.ops().get(0).result;
                if (!r.isHeld() || !r.retried() || !r.token().equals(g.claim().token)
                    || !r.expiresAt().equals(g.claim().expiresAt)) {
                    fail("the holder asking again: " + r);
                }
                break;
            }
            case TAKEN: {
                final HoldResult r = (HoldResult) g.ops().get(0).result;
                final Refusal want = g.claim().booked ? Refusal.ALREADY_BOOKED : Refusal.ALREADY_HELD;
                if (r.refusal() != want) {
                    fail("a hold of a taken slot: " + r + ", expected " + want);
                }
                break;
            }
            case GONE: {
                final HoldResult r = (HoldResult) g.ops().get(0).result;
                if (r.refusal() != Refusal.GONE) {
                    fail("a hold of a slot not in the index: " + r + ", expected GONE");
                }
                break;
            }
            case CONFIRM: {
                final boolean unanswered = vendorDown && methodOf(g.slot()) == BookingMethod.ONLINE;
                int fresh = 0;
                for (final Op op : g.ops()) {
                    if (op.what.equals("CONFIRM")) {
                        final ConfirmResult r = (ConfirmResult) op.result;
                        if (unanswered) {
                            if (r.refusal() != Refusal.VENDOR_UNAVAILABLE) {
                                fail("confirm while the vendor is down: " + r);
                            }
                            continue;
                        }
                        if (!r.isBooked() || !r.booking().slot().equals(g.slot()) || r.booking().method() != methodOf(g.slot())
                            || (r.booking().method() == BookingMethod.ONLINE) != (r.booking().vendorReference() != null)) {
                            fail("confirm of a standing hold: " + r);
                        }
                        fresh += r.repeated() ? 0 : 1;
                    } else {
                        final HoldResult r = (HoldResult) op.result;
                        if (r.refusal() != Refusal.ALREADY_HELD && r.refusal() != Refusal.ALREADY_BOOKED) {
                            fail("a hold racing a confirm: " + r);
                        }
                    }
                }
                if (unanswered) {
                    g.claim().inDoubt = true; // the hold stands, in doubt: it no longer expires
                    break;
                }
                if (fresh != 1) {
                    fail(fresh + " first confirmations of one hold: " + g.ops());
                }
                g.claim().booked = true;
                break;
            }
            case CONFIRM_EXPIRED: {
                final ConfirmResult r = (ConfirmResult) g.ops().get(0).result;
                if (r.refusal() != Refusal.EXPIRED) {
                    fail("confirm of an expired hold: " + r);
                }
                if (g.claim() != null) {
                    endClaim(g.claim(), Refusal.EXPIRED);
                }
                break;
            }
            case RELEASE: {
                final ReleaseResult r = (ReleaseResult) g.ops().get(0).result;
                if (g.claim().inDoubt || vendorDown && g.claim().booked && methodOf(g.slot()) == BookingMethod.ONLINE) {
                    // A hold in doubt cannot be released; a cancellation the vendor does not answer is in doubt.
                    if (r.released() || r.refusal() != Refusal.VENDOR_UNAVAILABLE) {
                        fail("release while its vendor does not answer: " + r);
                    }
                    g.claim().cancelInDoubt |= g.claim().booked;
                    break;
                }
                if (!r.released() || r.repeated() || r.cancelled() != g.claim().booked) {
                    fail("release of a standing " + (g.claim().booked ? "booking" : "hold") + ": " + r);
                }
                endClaim(g.claim(), Refusal.RELEASED);
                break;
            }
            case RELEASE_AGAIN: {
                final ReleaseResult r = (ReleaseResult) g.ops().get(0).result;
                if (!r.released() || !r.repeated() || r.cancelled() != g.ended().wasBooked()) {
                    fail("a second release: " + r + " of " + g.ended());
                }
                break;
            }
            default:
                break;
        }
    }

    private BookingMethod methodOf(final SlotId id) {
        if (id.source().equals(SlotId.MANUAL)) {
            return BookingMethod.PHONE;
        }
        return id.source().equals(VendorRegistry.code(SimWorld.MAIIA)) ? BookingMethod.PHONE : BookingMethod.ONLINE;
    }

    private boolean expired(final Claim c) {
        return !c.booked && !c.inDoubt && !clock.instant().isBefore(c.expiresAt);
    }

    private void endClaim(final Claim c, final Refusal as) {
        claims.remove(c.slot);
        final Doc d = world.byRpps.get(c.slot.rpps());
        if (c.unlisted || present.containsKey(c.slot) && recordCell.get(c.slot) != cellOf(d)) {
            // Unlisted, or left behind in the cell its practitioner moved from: it goes.
            present.remove(c.slot);
        }
        ended.add(new Ended(c.token, c.slot, as, clock.instant(), c.booked));
    }

    /**
     * What {@code Creneau.advance()} (or a sweep) does to the model: holds whose time ran out end;
     * with {@code index}, also the index's expiry of past hours and the retention of bookings.
     */
    private void sweepModel(final boolean index) {
        for (final Claim c : new ArrayList<>(claims.values())) {
            if (expired(c)) {
                endClaim(c, Refusal.EXPIRED);
            }
        }
        resolveInDoubt();
        final int now = nowMinute();
        final int horizon = Minutes.floor(clock.instant().minus(Duration.ofHours(24)));
        claims.values().removeIf(c -> c.booked && c.slot.startMinute() + SimWorld.SLOT_MINUTES < horizon);
        ended.removeIf(e -> e.at().isBefore(clock.instant().minus(Duration.ofHours(20))));
        if (index) {
            final int oldest = Minutes.bucket(now) - 1;
            present.keySet().removeIf(id -> Minutes.bucket(id.startMinute()) < oldest);
            // An expired hour's pages wait an hour (the grace period) before reuse: count them
            // for two, so that the step that releases them is covered whatever its length.
            for (final java.util.Iterator<Map.Entry<Integer, Integer>> it = writes.entrySet().iterator(); it.hasNext(); ) {
                final Map.Entry<Integer, Integer> e = it.next();
                if (e.getKey() < oldest) {
                    quarantine.add(new int[] {now, pages(e.getValue())});
                    it.remove();
                }
            }
            quarantine.removeIf(q -> now - q[0] > 120);
        }
    }

    // =====================================================================================
    // Checks
    // =====================================================================================

    private void check() {
        checkIndex();
        checkSearch();
        checkBookings();
        checkMemory();
    }

    private record Seen(int state, boolean unlisted, int modalities, boolean professional, int cell, int practitioner) {
    }

    /** Every record of the index (all cells, all live hours) against the model; the stats against the recount. */
    private void checkIndex() {
        final Map<SlotId, Seen> seen = new TreeMap<>(SimWorld.ORDER);
        final VendorRegistry vendors = creneau.vendors();
        int records = 0;
        final CellTable cells = cursor.begin();
        try {
            for (int cell = 0; cell < cells.cellCount(); cell++) {
                cursor.open(cell, 0, Integer.MAX_VALUE, 0);
                while (cursor.next()) {
                    records++;
                    final Doc d = byIndex.get(cursor.practitioner());
                    if (d == null) {
                        fail("a record of unknown practitioner index " + cursor.practitioner());
                    }
                    final String source = cursor.source() == 0 ? SlotId.MANUAL : vendors.byId(cursor.source()).code();
                    final SlotId id = new SlotId(source, d.rpps, cursor.startMinute());
                    final Seen s = new Seen(cursor.state(), SlotDescriptor.unlisted(cursor.stateWord()),
                        cursor.modalities(), cursor.professional(), cell, cursor.practitioner());
                    final Seen twice = seen.put(id, s);
                    if (twice != null) {
                        fail("two records of " + id + " in the index: " + twice + " and " + s + "; model: "
                            + describe(id));
                    }
                }
            }
        } finally {
            cursor.end();
        }
        final int oldest = Minutes.bucket(nowMinute()) - 1;
        for (final Map.Entry<SlotId, Attrs> e : present.entrySet()) {
            final SlotId id = e.getKey();
            if (Minutes.bucket(id.startMinute()) < oldest) {
                continue;
            }
            final Seen s = seen.remove(id);
            if (s == null) {
                fail("missing from the index: " + describe(id));
            }
            final Claim c = claims.get(id);
            final int want = c == null ? SlotDescriptor.STATE_FREE : c.booked ? SlotDescriptor.STATE_BOOKED
                : SlotDescriptor.STATE_HELD;
            if (s.state() != want || c != null && s.unlisted() != c.unlisted) {
                fail("state of " + id + " in the index: " + s + "; model: " + describe(id));
            }
            if (s.modalities() != e.getValue().modalities() || s.professional() != e.getValue().professional()) {
                fail("attributes of " + id + " in the index: " + s + "; model: " + describe(id));
            }
            if (cells.cell(s.cell()) != recordCell.get(id)) {
                fail(id + " is in cell " + s.cell() + ", the model wrote it in " + Long.toHexString(recordCell.get(id))
                    + "; model: " + describe(id));
            }
            if (want == SlotDescriptor.STATE_FREE && s.cell() != cells.cellOf(s.practitioner())) {
                fail("free " + id + " is in cell " + s.cell() + ", its practitioner in cell "
                    + cells.cellOf(s.practitioner()) + ": searches for them never look there; model: " + describe(id));
            }
        }
        if (!seen.isEmpty()) {
            final SlotId id = seen.keySet().iterator().next();
            fail(seen.size() + " records the model does not have, e.g. " + id + " " + seen.get(id) + "; model: "
                + describe(id));
        }
        final IndexStats stats = creneau.stats();
        if (stats.liveSlots() != records) {
            fail("stats().liveSlots() = " + stats.liveSlots() + ", a recount of the index finds " + records);
        }
    }

    private String describe(final SlotId id) {
        final Claim c = claims.get(id);
        final Doc d = world.byRpps.get(id.rpps());
        return id + " present=" + present.get(id) + " claim=" + (c == null ? "none" : (c.booked ? "booked" : "held")
            + (c.unlisted ? " unlisted" : "") + " by " + c.operator + " until " + c.expiresAt) + " listed="
            + world.listed.get(id.source()).get(id) + " " + d + " in=" + d.inDirectory + " refuses=" + d.refuses
            + " index=" + d.index;
    }

    /** The model's earliest free visible slot of a practitioner for a modality, as a search must find it. */
    private SlotId earliest(final Doc d, final int modality) {
        final int now = nowMinute();
        SlotId best = null;
        for (final Map.Entry<SlotId, Attrs> e : present.entrySet()) {
            final SlotId id = e.getKey();
            if (id.rpps() == d.rpps && !claims.containsKey(id) && (e.getValue().modalities() & modality) != 0
                && id.startMinute() >= now && id.startMinute() < now + 48 * 60
                && (best == null || id.startMinute() < best.startMinute())) {
                best = id;
            }
        }
        return best;
    }

    private void checkSearch() {
        final Instant now = clock.instant();
        // Per practitioner, through the real search: as médecin traitant, for each modality.
        final Map<Doc, SlotId[]> earliest = new LinkedHashMap<>();
        for (final Doc d : world.docs) {
            if (!d.inDirectory) {
                continue;
            }
            final SlotId[] e = new SlotId[3];
            for (final Modality m : Modality.values()) {
                e[m.ordinal()] = earliest(d, m.bit());
                query.reset().patient(d.lat, d.lon).now(now).modality(m).profession(Profession.valueOf(d.profession))
                    .medecinTraitant(d.rpps).limit(1);
                creneau.search(query, results);
                if (results.size() != 1 || results.kind(0) != ResultKind.MEDECIN_TRAITANT || results.rpps(0) != d.rpps) {
                    fail("MT search for " + d + " gave " + results.size() + " rows");
                }
                final SlotId got = results.hasSlot(0) ? results.slotId(0, creneau.vendors()) : null;
                if (!sameStart(got, e[m.ordinal()])) {
                    fail("MT search for " + d + ", " + m + ": found " + got + ", the earliest free visible slot is "
                        + e[m.ordinal()] + (got == null ? "" : "; found: " + describe(got))
                        + (e[m.ordinal()] == null ? "" : "; missed: " + describe(e[m.ordinal()])));
                }
            }
            earliest.put(d, e);
        }
        // Around two patients, every practitioner in reach with a free slot, each with their earliest.
        for (int q = 0; q < 2; q++) {
            final double[] c = SimWorld.CLUSTERS[random.nextInt(SimWorld.CLUSTERS.length)];
            final double lat = c[0] + (random.nextDouble() * 2 - 1) * c[2];
            final double lon = c[1] + (random.nextDouble() * 2 - 1) * c[2];
            final Modality m = Modality.values()[random.nextInt(3)];
            final double maxKm = m == Modality.OFFICE ? RankingConfig.DEFAULTS.officeMaxKm()
                : m == Modality.HOME_VISIT ? RankingConfig.DEFAULTS.homeVisitRadiusKm()
                : RankingConfig.DEFAULTS.teleconsultationMaxKm();
            query.reset().patient(lat, lon).now(now).modality(m).limit(SearchResults.MAX_ROWS);
            final int rows = creneau.search(query, results);
            final Map<Long, SlotId> want = new TreeMap<>();
            final Set<Long> borderline = new HashSet<>();
            for (final Map.Entry<Doc, SlotId[]> e : earliest.entrySet()) {
                final Doc d = e.getKey();
                final double km = Geo.distanceKm(lat, lon, d.lat, d.lon);
                if (Math.abs(km - maxKm) < 0.01) {
                    borderline.add(d.rpps);
                } else if (d.profession.equals("GP") && km < maxKm && e.getValue()[m.ordinal()] != null) {
                    want.put(d.rpps, e.getValue()[m.ordinal()]);
                }
            }
            final Map<Long, SlotId> got = new TreeMap<>();
            for (int i = 0; i < rows; i++) {
                if (results.kind(i) == ResultKind.SLOT) {
                    got.put(results.rpps(i), results.slotId(i, creneau.vendors()));
                    if (results.booking(i) != methodOf(results.slotId(i, creneau.vendors()))) {
                        fail("row " + i + " books " + results.booking(i) + ": " + results.slotId(i, creneau.vendors()));
                    }
                }
            }
            got.keySet().removeAll(borderline);
            for (final Map.Entry<Long, SlotId> e : want.entrySet()) {
                if (!sameStart(got.get(e.getKey()), e.getValue())) {
                    fail(m + " search at " + lat + "," + lon + ": for " + world.byRpps.get(e.getKey()) + " found "
                        + got.get(e.getKey()) + ", the earliest free visible slot is " + describe(e.getValue()));
                }
            }
            for (final Map.Entry<Long, SlotId> e : got.entrySet()) {
                if (!want.containsKey(e.getKey())) {
                    fail(m + " search at " + lat + "," + lon + " shows " + describe(e.getValue())
                        + ", which the model does not have free in reach");
                }
            }
        }
    }

    /** Same start; the source may differ when two sources of one practitioner have a slot at that minute. */
    private boolean sameStart(final SlotId got, final SlotId want) {
        if (got == null || want == null) {
            return got == want;
        }
        if (got.equals(want)) {
            return true;
        }
        return got.startMinute() == want.startMinute() && got.rpps() == want.rpps() && present.containsKey(got)
            && !claims.containsKey(got);
    }

    private void checkBookings() {
        final BookingService b = creneau.bookings();
        final Map<HoldToken, SlotId> booked = new HashMap<>();
        int holds = 0;
        for (final Claim c : claims.values()) {
            if (c.booked) {
                booked.put(c.token, c.slot);
            } else {
                holds++;
            }
        }
        final Set<SlotId> slots = new HashSet<>();
        final Map<HoldToken, SlotId> listedBookings = new HashMap<>();
        for (final Booking x : b.bookings()) {
            if (!slots.add(x.slot())) {
                fail("slot booked twice: " + x.slot());
            }
            listedBookings.put(x.token(), x.slot());
        }
        if (!listedBookings.equals(booked)) {
            final Map<HoldToken, SlotId> lost = new HashMap<>(booked);
            lost.keySet().removeAll(listedBookings.keySet());
            final Map<HoldToken, SlotId> extra = new HashMap<>(listedBookings);
            extra.keySet().removeAll(booked.keySet());
            fail("bookings(): acknowledged bookings lost " + lost.values() + ", bookings nobody acknowledged "
                + extra.values());
        }
        final BookingStats stats = b.stats();
        if (stats.standingHolds() != holds || stats.standingBookings() != booked.size()) {
            fail("booking stats: " + stats.standingHolds() + " holds, " + stats.standingBookings()
                + " bookings standing; the model has " + holds + " and " + booked.size());
        }
    }

    /**
     * Memory is bounded by what the live hours hold: a page belongs to one hour and is filled
     * before the next is taken, so the hours that live (and those whose pages wait out the grace
     * period) need {@code ceil(records written / records a page)} pages each; the index never has
     * more pages than the most they needed at once. Pages of expired hours are thus reused, and
     * days of churn do not grow the index.
     */
    private void checkMemory() {
        final IndexStats s = creneau.stats();
        pagesMax = Math.max(pagesMax, s.pages());
        if (s.freePages() > 0) {
            reusedSeen++;
        }
        int need = 0;
        for (final int w : writes.values()) {
            need += pages(w);
        }
        for (final int[] q : quarantine) {
            need += q[1];
        }
        pagesNeeded = Math.max(pagesNeeded, need);
        pagesPeak = Math.max(pagesPeak, pagesNeeded);
        if (s.pages() > pagesNeeded) {
            fail("the index holds " + s.pages() + " pages; the live hours and the quarantine never needed more than "
                + pagesNeeded + " (" + writes + ")");
        }
    }

    private static int pages(final int records) {
        return (records + SlotDescriptor.RECORDS_PER_PAGE - 1) / SlotDescriptor.RECORDS_PER_PAGE;
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    int nowMinute() {
        return Minutes.floor(clock.instant());
    }

    /** A digest of the steps as drawn (no token, no race winner): equal for two runs of a seed. */
    private long replayDigest = 1125899906842597L;

    private void digest(final String what) {
        for (int i = 0; i < what.length(); i++) {
            replayDigest = 31 * replayDigest + what.charAt(i);
        }
    }

    private void note(final String line) {
        if (!line.startsWith("  ")) {
            digest(line); // steps, inputs, restarts: the driver's own lines
        }
        trace.addLast(line);
        if (trace.size() > 60) {
            trace.removeFirst();
        }
    }

    private void count(final String what) {
        counts.merge(what, 1, Integer::sum);
    }

    void fail(final String what) {
        fail(what, null);
    }

    void fail(final String what, final Throwable cause) {
        throw new AssertionError("SIM seed=" + seed + " step " + step + " at " + clock.instant() + ": " + what
            + "\n  replay: -Dcreneau.sim.seed=" + seed + " -Dcreneau.sim.days=" + days + "\n  last steps:\n    "
            + String.join("\n    ", trace), cause);
    }

    String summary() {
        return "replay=" + Long.toHexString(replayDigest) + " steps=" + step + " simulated=" + lived / 60 + "h in 3 periods "
            + counts + " pagesMax=" + pagesMax + " pagesNeededMax=" + pagesPeak + " stepsWithFreePages=" + reusedSeen
            + " gatewayBookings=" + vendor.requests().size();
    }

    int pagesMax() {
        return pagesMax;
    }

    int reusedSeen() {
        return reusedSeen;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        if (creneau != null) {
            creneau.close();
        }
    }
}
