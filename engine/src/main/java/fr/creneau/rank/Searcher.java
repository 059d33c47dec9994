package fr.creneau.rank;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import fr.creneau.calendar.CareChannel;
import fr.creneau.calendar.CareHours;
import fr.creneau.calendar.HolidayRangeException;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Integration;
import fr.creneau.directory.Opening;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Structure;
import fr.creneau.directory.StructureKind;
import fr.creneau.directory.Territory;
import fr.creneau.directory.Vendor;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.Modality;
import fr.creneau.index.CellTable;
import fr.creneau.index.Geo;
import fr.creneau.index.SlotCursor;
import fr.creneau.index.SlotDescriptor;
import fr.creneau.index.SlotIndex;
import fr.creneau.index.UnitSummary;
import fr.creneau.pdsa.PdsaLayer;
import fr.creneau.pdsa.Sector;
import fr.creneau.pdsa.Shift;
import fr.creneau.slot.Minutes;

/**
 * Answers regulator queries with the SAS ranking protocol. One per thread: not thread-safe, and
 * allocation-free once the shared {@link RingTables} know the patient's square (a miss builds that
 * square's {@link RingTable}) except in the PDSA second level (below), which runs only in the PDSA
 * channel when nothing is free in the window.
 *
 * <p>Every query first resolves its département (named by the host, else from the position:
 * {@link Departements}) and its channel: {@link CareHours} at the query's "now", with the
 * département's regional override ({@link ProtocolConfig#hours}); both are in the results.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li><b>Médecin traitant first.</b> If the query names one who is in the directory (and not
 *       excluded), row 0 is the MT: with their earliest free slot of the modality in the window,
 *       whatever the distance or profession, or as a phone contact when none is displayed.</li>
 *   <li><b>Nearest free slots.</b> Then practitioners of the profession with a free, visible slot
 *       of the modality starting in the window and not yet ended, within the modality's maximum
 *       distance (office: the département's radius, widened by its step while fewer than
 *       {@link ProtocolConfig#widenUntil()} practitioners have a slot within it, each pass this
 *       same allocation-free walk; home visit: each practitioner's own travel radius, measured
 *       from the slot's site), one row each with their earliest such slot. Order: SAS
 *       participants first (participation other than NONE, before practitioners whose slots
 *       arrive only because vendors send them by default; {@link ProtocolConfig#participantsFirst()}),
 *       then distance band ({@link RankingConfig#distanceBandKm()}, nearest band first); inside a
 *       band, the hour of the earliest slot (earliest first: "ties by earliest slot"); inside
 *       that, a rotation.</li>
 *   <li><b>Nothing free</b> (no row from step 2). In the SAS channel: practitioners of the
 *       profession who accept extra patients, within {@link RankingConfig#surnumeraireMaxKm()} (a
 *       home visit: also within their travel radius); one row per structure for those registered
 *       through one (a directory structure of any kind, or an inline CPTS: the structure's phone;
 *       {@link ResultKind#CPTS} for a CPTS, {@link ResultKind#STRUCTURE} otherwise), placed at its
 *       nearest member's site; one per doctor otherwise (their site nearest the patient). Order:
 *       the rank of the row's group in the département's second-level order (CPTS, SOS Médecins,
 *       other structures, individuals; none by default), inside a group the structures open now
 *       before those closed now by their opening hours (a closed structure is still proposed, its
 *       {@link SearchResults#reachableFrom} saying from when), then band, then rotation. In the
 *       PDSA channel: the effector on duty in the patient's PDSA sector, the MMGs open now nearest
 *       first, SOS Médecins open now; never a surnuméraire doctor, a CPTS nor a daytime structure.
 *       This path allocates (JTS).</li>
 *   <li>Every row says how to book: ONLINE for a slot of an END_TO_END vendor, PHONE otherwise.</li>
 *   <li><b>Fairness.</b> The rotation inside a band puts the practitioners least proposed to
 *       operators first ({@link Exposure}: rows shown), then orders by a hash of the RPPS with the
 *       current {@link RankingConfig#rotationMinutes()} period: deterministic given the counts and
 *       the hour, different from one period to the next, so that practitioners at the same
 *       distance take turns at the top of the list, and one never proposed rises to it.</li>
 * </ol>
 * Excluded practitioners (refused by the patient) never appear, the MT included.
 *
 * <h2>The rank key</h2>
 * One 64-bit key orders every row, ascending ({@link #rankKey(int, double, int, long, int, double, int)}):
 * <pre>
 *   bit 63      0 (the key stays positive, compared signed)
 *   bits 60-62  tier (3 bits): step 2 the participation tier, the nothing-free step the group rank
 *   bits 40-59  distance band (20 bits, clamped)
 *   bits 32-39  whole hours from now to the earliest slot (8 bits, clamped to 0..255)
 *   bits 16-31  times proposed (Exposure), saturated at 65535
 *   bits  0-15  the high 16 bits of the period's RPPS hash
 * </pre>
 * Ties fall to the directory index, then the earlier start, then the lower site.
 *
 * <h2>Sites</h2>
 * The index's unit is the site (a practitioner's place of work, see {@link CellTable}): a slot's
 * distance is the distance to its site, found in that site's cell, and so are the radii (the
 * département's, the home-visit travel radius). A practitioner still has one row: every site is a
 * candidate under the same ranking key (the tier is the practitioner's), and the row is the best of
 * them (ties: the earlier slot, then the lower site ordinal). Contact rows (MT without slot,
 * surnuméraire, the PDSA effector) use the site nearest the patient.
 *
 * <h2>What step 2 reads</h2>
 * Cells are visited outward ({@link CellWalk}). A cell's units are read from the cell table's
 * entries (contiguous per cell: profession, participation, RPPS, position) and from the
 * {@link UnitSummary}, one word per unit and modality saying which hours may hold a free slot; a
 * unit with no hour of the window costs two array reads and no slot record. Each other unit gets
 * a lower bound of its key (tier and rotation exact; band at the cell's nearest point, then at
 * its own distance; hour from its first set hour) and is passed over when the bound does not beat
 * the last row. The rest, a cell's candidates, are resolved hour by hour in time order: each
 * (cell, hour) chain is read once for all the candidates whose first set hour it is; a candidate
 * with a free fitting slot there is ranked with its exact key, one without (a stale bit: held,
 * booked, gone or already begun) moves to its next set hour. For an office search, a candidate
 * whose entry's office hint ({@link CellTable#hint}) is its record, free, and in that hour from
 * now on is resolved from that one record, without its chain: at 20M slots that is most of them,
 * and a chain costs a head and some five scattered records. So the summary and the hint only
 * decide what is read, never what is shown: every row comes from a record whose state word was
 * read FREE.
 *
 * <h2>Stopping early</h2>
 * Once the row limit is reached and the last row is of tier 0, no cell whose nearest point lies
 * beyond the band of the last row can hold a better candidate, and the walk stops there; while the
 * last row is of a higher tier, a farther candidate of a lower tier may still enter, and the walk
 * goes on to the distance limit (reading summaries, not records, for units that cannot enter).
 * The widening of the office radius continues the previous pass instead of repeating it: the rows
 * within r + step are the best of the rows within r and of the units between r and r + step.
 */
public final class Searcher {
    private final SlotIndex index;
    private final RankingConfig config;
    private final ProtocolConfig protocol;
    private final BookingMethod[] methodBySource = new BookingMethod[256];
    private final SlotCursor cursor;
    private final RingTables rings;
    private final CellWalk walk = new CellWalk();
    /** Rows shown per practitioner (issue 17): read, never written, on the query path. */
    private final Exposure exposure;

    // Per-unit scratch, indexed by the unit's entry (CellTable.entryOf: cell order), written for
    // each candidate before it is read. excludedStamp is per practitioner, valid where it equals
    // generation: reset in O(1) per query.
    private int generation;
    private int[] excludedStamp = new int[0];
    /**
     * Practitioners stamped excluded in this generation: 0 for most queries, and then step 2 reads
     * no {@code excludedStamp} (a random read per unit, by practitioner index).
     */
    private int stamped;
    /** Per contact (structure or inline CPTS): its row is left out when stamp == generation. */
    private int[] excludedContactStamp = new int[0];
    // Step 2's scratch for the cell being read, indexed by the entry's position in the cell
    // (entry - cellFirst): sized to the largest cell read so far, so it stays in cache from one
    // cell and one query to the next, where arrays by entry would be a cold line each a cell.
    /** First entry of the cell being read. */
    private int cellFirst;
    private double[] distance = new double[64];
    private int[] bestRecord = new int[64];
    private int[] bestStart = new int[64];
    private int[] bestEnd = new int[64];
    private int[] bestSource = new int[64];
    /**
     * Per entry of the cell: equal to {@link #token} while the unit is a candidate of the chain being read
     * ({@link #resolve}); the token is raised once per chain, the array cleared when it wraps.
     */
    private int[] pendingMark = new int[64];
    private int token;
    /** Up to {@link #FEW} candidates of the chain being read, as unit word and entry ({@link #resolve}). */
    private static final int FEW = 8;
    private final int[] fewUnit = new int[FEW];
    private final int[] fewIndex = new int[FEW];
    // The candidates of the current cell (step 2): unit word, entry in the cell, the hours still to try
    // (bit b: the bucket b hours after now's), and the rank key without its hour field.
    private int[] candUnit = new int[64];
    private int[] candIndex = new int[64];
    private long[] candHours = new long[64];
    private long[] candBase = new long[64];
    /** Next candidate in its bucket's list, or -1; the head of each bucket's list; the candidates of the chain being read. */
    private int[] candNext = new int[64];
    private final int[] bucketHead = new int[64];
    private int[] pendingCand = new int[64];
    /** The patient of the current step-2 pass, for the rows' distances (search). */
    private double queryLat;
    private double queryLon;
    private double queryRadians;
    private double queryCos;
    /** The directory of the current query (the cell table's). */
    private Directory cursorDirectory;
    /** The directory {@link #homeWalkKmCache} was computed for. */
    private Directory homeRadiusDirectory;
    private double homeWalkKmCache;
    /** Directory index of the MT listed as row 0 of the current query, or -1. */
    private int listedMt = -1;

    // Top rows so far, ascending (key, practitioner, start, site); at most one per practitioner
    // (or per contact for contact rows). Row i is topKey[i] and, at slot topSlot[i], the other
    // top* arrays: an insertion moves two arrays, not ten (offer ran for a tenth of a 20M Paris
    // query). The slots in use are always 0..topCount-1: a row that leaves frees its slot for the
    // row that enters.
    private final long[] topKey = new long[SearchResults.MAX_ROWS];
    private final int[] topSlot = new int[SearchResults.MAX_ROWS];
    private final int[] topPractitioner = new int[SearchResults.MAX_ROWS];
    private final int[] topCpts = new int[SearchResults.MAX_ROWS];
    private final int[] topUnit = new int[SearchResults.MAX_ROWS];
    /** Step 2: each row's slot record, end and source (what offer was given in {@code offer*}); -1 elsewhere. */
    private final int[] topRecord = new int[SearchResults.MAX_ROWS];
    private final int[] topEnd = new int[SearchResults.MAX_ROWS];
    private final int[] topSource = new int[SearchResults.MAX_ROWS];
    /** The slot {@link #offer} records for its candidate (step 2 sets them before each call). */
    private int offerRecord = -1;
    private int offerEnd;
    private int offerSource;
    /**
     * Step 2: each row's entry (what offer was given in {@link #offerEntry}), whose distance is
     * computed once the rows are final when step 2 decided its band without it (NaN in topDistance).
     */
    private final int[] topEntry = new int[SearchResults.MAX_ROWS];
    private int offerEntry = -1;
    private final int[] topStart = new int[SearchResults.MAX_ROWS];
    private final double[] topDistance = new double[SearchResults.MAX_ROWS];
    private int topCount;

    // The UTC offset of each territory's zone for the hour it was last computed (structures'
    // opening hours are local): recomputed once an hour, so a query allocates nothing.
    private final int[] offsetHour = new int[Territory.values().length];
    private final int[] offsetMinutes = new int[offsetHour.length];

    /**
     * A searcher with a ring-table cache of its own.
     *
     * @param index   the slot index (its current directory is the one queries resolve against)
     * @param vendors integration level per vendor, for the booking method
     * @param config  distances and fairness
     */
    public Searcher(final SlotIndex index, final VendorRegistry vendors, final RankingConfig config) {
        this(index, vendors, config, new RingTables(config.ringCacheEntries(), config.ringTableRadiusKm()));
    }

    /**
     * A searcher sharing {@code rings} with the other searchers of the same index (what
     * {@link fr.creneau.Creneau} does).
     */
    public Searcher(final SlotIndex index, final VendorRegistry vendors, final RankingConfig config,
                    final RingTables rings) {
        this(index, vendors, config, rings, Exposure.NONE, ProtocolConfig.DEFAULTS);
    }

    /** A searcher whose rotation reads {@code exposure}, with the default local rules. */
    public Searcher(final SlotIndex index, final VendorRegistry vendors, final RankingConfig config,
                    final RingTables rings, final Exposure exposure) {
        this(index, vendors, config, rings, exposure, ProtocolConfig.DEFAULTS);
    }

    /** A searcher with the local rules {@code protocol}, nobody proposed yet. */
    public Searcher(final SlotIndex index, final VendorRegistry vendors, final RankingConfig config,
                    final RingTables rings, final ProtocolConfig protocol) {
        this(index, vendors, config, rings, Exposure.NONE, protocol);
    }

    /**
     * A searcher whose rotation reads {@code exposure}, with the local rules {@code protocol}
     * (what {@link fr.creneau.Creneau} does).
     */
    public Searcher(final SlotIndex index, final VendorRegistry vendors, final RankingConfig config,
                    final RingTables rings, final Exposure exposure, final ProtocolConfig protocol) {
        this.exposure = Objects.requireNonNull(exposure, "exposure");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.index = Objects.requireNonNull(index, "index");
        this.rings = Objects.requireNonNull(rings, "rings");
        this.config = Objects.requireNonNull(config, "config");
        this.perBandKm = 1 / config.distanceBandKm();
        Arrays.fill(methodBySource, BookingMethod.PHONE);
        for (final Vendor v : vendors.vendors()) {
            methodBySource[v.id()] = v.integration() == Integration.END_TO_END ? BookingMethod.ONLINE : BookingMethod.PHONE;
        }
        this.cursor = index.cursor();
    }

    /**
     * Slot records this searcher has read since it was made (every chain walked, every outcome):
     * what {@code QueryAnatomy} reports per query and what the tests bound. Owner thread.
     */
    public long recordsRead() {
        return cursor.recordsVisited();
    }

    /** Cells step 2 has visited since this searcher was made (every pass of the widening). Owner thread. */
    public long cellsVisited() {
        return cellsVisited;
    }

    /** Cells whose lower bound a walk computed since this searcher was made. Owner thread. */
    public long cellsBounded() {
        return walk.bounded;
    }

    /** Units (practitioner sites) whose summary step 2 has read since this searcher was made. Owner thread. */
    public long unitsExamined() {
        return unitsExamined;
    }

    /**
     * (cell, hour) chains step 2 has read since this searcher was made: one per hour a cell's
     * candidates were resolved in, each a head and its records. Owner thread.
     */
    public long chainsRead() {
        return chainsRead;
    }

    /** Candidates step 2 has sent to a chain read since this searcher was made (each once per hour tried). Owner thread. */
    public long candidatesResolved() {
        return candidatesResolved;
    }

    /**
     * Candidates step 2 resolved from their office hint alone (one record read, no chain) since
     * this searcher was made. Owner thread.
     */
    public long hintsTaken() {
        return hintsTaken;
    }

    private long cellsVisited;
    private long unitsExamined;
    private long chainsRead;
    private long candidatesResolved;
    private long hintsTaken;

    /**
     * Runs a query into {@code out} (cleared first) and returns the number of rows.
     *
     * @throws IllegalStateException when the query lacks a position or a time
     */
    public int search(final RegulatorQuery q, final SearchResults out) {
        q.check();
        // One removal sequence and one cell table for the whole query, read in that order (see
        // SlotCursor.begin): a practitioner a directory change moves is seen in one cell or the other.
        final CellTable cells = cursor.begin();
        try {
            return search(q, out, cells);
        } finally {
            cursor.end();
        }
    }

    private int search(final RegulatorQuery q, final SearchResults out, final CellTable cells) {
        final Directory directory = cells.directory();
        cursorDirectory = directory;
        out.clear(directory, cells, q.modality);
        prepare(cells);
        listedMt = -1;
        stampExcluded(q, directory, cells);
        final int now = q.nowMinute;
        // The query's département and channel: from the patient's position unless the host named
        // the département; then that département's hours (its regional override) or the territory's.
        final Departements departements = protocol.departements();
        final int dep = q.departement != null ? departements.indexOf(q.departement) : departements.indexAt(q.lat, q.lon);
        final CareHours hours = protocol.hours(dep, Territory.of(q.lat, q.lon));
        final CareChannel channel = protocol.channelFromHours() ? channelAt(hours, now) : CareChannel.SAS;
        out.context(channel, hours, dep < 0 ? null : departements.code(dep), now);
        final int to = now + q.windowMinutes;
        final int modality = q.modality.bit();
        final int profession = q.profession.ordinal();

        // 1. The médecin traitant.
        if (q.mtRpps != 0) {
            final int mt = directory.indexOf(q.mtRpps);
            if (mt < 0 || cells.cellOf(mt) < 0) {
                out.mtUnknown = true;
            } else if (excludedStamp[mt] != generation) {
                excludedStamp[mt] = generation; // never listed twice
                stamped++;
                listedMt = mt;
                earliestSlotOf(mt, cells, q, now, to, modality, out);
            }
        }
        if (out.size >= q.limit) {
            return out.size;
        }
        final RingTable table = ringTable(q.lat, q.lon, cells);

        // 2. The nearest free slots.
        final int wanted = q.limit - out.size;
        final int seed = now / config.rotationMinutes();
        final boolean participantsFirst = protocol.participantsFirst();
        // Home visits: each practitioner's own travel radius, unless the query set a limit.
        final boolean ownRadius = q.modality == Modality.HOME_VISIT && Double.isNaN(q.maxDistanceKm);
        double maxKm = maxDistance(q, dep);
        // Office visits: the département's radius, widened by its step while fewer than
        // widenUntil practitioners have a slot within it (each pass is the allocation-free step 2).
        final boolean widen = q.modality == Modality.OFFICE && Double.isNaN(q.maxDistanceKm)
            && protocol.departementRadii() && dep >= 0 && !Double.isNaN(departements.radiusKm(dep));
        final double stepKm = widen && !Double.isNaN(departements.enlargementKm(dep)) ? departements.enlargementKm(dep) : 5;
        // The cap: two steps beyond the table's radius, never narrower than the national default
        // (RankingConfig.officeMaxKm, what a sparse search reached before the table), never wider
        // than widenCapKm (the ring tables' reach) unless the table's own radius is.
        final double capKm = !widen ? maxKm
            : Math.max(maxKm, Math.min(protocol.widenCapKm(), Math.max(config.officeMaxKm(), maxKm + 2 * stepKm)));
        final int enough = Math.min(protocol.widenUntil(), wanted);
        // Each widening continues the previous pass rather than repeating it: the rows within
        // radius r + step are the best of the rows within r and the candidates between r and
        // r + step (a unit within r that is not a row is beaten by as many rows within r, so also
        // within r + step). The next pass reads only the units beyond r.
        double innerKm = -1;
        topCount = 0;
        while (true) {
            nearestSlots(q, cells, directory, table, now, to, modality, profession, innerKm, maxKm, ownRadius, wanted,
                seed, participantsFirst);
            if (!widen || topCount >= enough || maxKm >= capKm) {
                break;
            }
            innerKm = maxKm;
            maxKm = Math.min(capKm, maxKm + stepKm);
        }
        for (int i = 0; i < topCount; i++) {
            final int s = topSlot[i];
            double km = topDistance[s];
            if (km != km) { // the haversine for the rows shown only: step 2 decided the band without it
                km = Geo.distanceKm(queryLat, queryLon, queryRadians, queryCos, cells.entryLat(topEntry[s]),
                    cells.entryLon(topEntry[s]));
            }
            final int row = out.add(ResultKind.SLOT, topPractitioner[s], -1, km);
            out.site(row, SlotDescriptor.siteOf(topUnit[s]));
            out.slot(row, topRecord[s], topStart[s], topEnd[s], topSource[s], methodBySource[topSource[s]]);
        }
        if (topCount > 0) {
            return out.size;
        }

        // 3. Nothing free. In the PDSA channel the PDSA takes over (off the slot path: allocates).
        if (channel == CareChannel.PDSA) {
            pdsaLevel(q, out, cells, directory, now);
            return out.size;
        }
        // SAS channel: surnuméraire doctors, or their structures, in the département's second-level order.
        secondLevel(q, cells, directory, table, out, profession, wanted, seed, dep, ownRadius, now);
        return out.size;
    }

    /**
     * Step 2 for the units farther than {@code innerKm} (-1: all) and within {@code maxKm}, into
     * the rows {@code top*} as the previous pass left them (empty for the first). Allocation-free.
     *
     * <p>Cells come outward. In each, the units of the profession are read from the cell table and
     * the {@link UnitSummary} alone: a unit whose word has no hour of the window is passed over
     * without a record read; one that has gets a lower bound of its key (its tier, band and
     * rotation are exact, its hour is that of the first hour bucket set, less one when "now" is
     * not on the hour) and is passed over when even that does not beat the last row. The others,
     * the candidates, are resolved bucket by bucket in time order, each (cell, hour) chain read
     * once for every candidate whose first set bucket it is: a candidate with a free fitting slot
     * there is ranked with its exact key; one without (a stale bit: held, booked, gone, or started
     * before now) moves on to its next set bucket, re-checked against the last row first.
     */
    private void nearestSlots(final RegulatorQuery q, final CellTable cells, final Directory directory,
                              final RingTable table, final int now, final int to, final int modality,
                              final int profession, final double innerKm, final double maxKm, final boolean ownRadius,
                              final int wanted, final int seed, final boolean participantsFirst) {
        walk.start(q.lat, q.lon, table);
        final UnitSummary summary = cells.summary();
        final boolean office = modality == Modality.OFFICE.bit();
        final int m = Integer.numberOfTrailingZeros(modality);
        final int firstBucket = Minutes.bucket(now);
        // Buckets of the window, relative to now's: at most 49 (48 h from inside an hour), fewer
        // than the 52 ring positions, so the rotated word names each at most once.
        final int span = Math.max(0, Math.min(SlotIndex.PAST_BUCKETS + SlotIndex.FUTURE_BUCKETS,
            Minutes.bucket(to - 1) - firstBucket + 1));
        final long spanMask = (1L << span) - 1;
        final int shift = firstBucket % UnitSummary.RING;
        final boolean onTheHour = now == firstBucket * Minutes.BUCKET_MINUTES;
        walk.skipGroupsWithout(summary, m, shift, spanMask);
        final int tierOfNonParticipants = participantsFirst ? 1 : 0;
        // The patient's latitude in radians and its cosine, once for every unit's distance.
        final double qRadians = Math.toRadians(q.lat);
        final double qCos = Math.cos(qRadians);
        final double qSin = Math.sin(qRadians);
        queryLat = q.lat;
        queryLon = q.lon;
        queryRadians = qRadians;
        queryCos = qCos;
        double stopKm = maxKm;
        int cell;
        while ((cell = walk.next(stopKm)) >= 0) {
            // What the walk's record of the cell says (the line the walk just read) decides first;
            // the cell's summary word, a line of its own, is read only for a cell that may still
            // give a row.
            final long range = walk.range(profession);
            final int first = (int) range;
            if (first == (int) (range >>> 32)) {
                continue; // no unit of the profession (a GP search in a cell of nurses)
            }
            // No unit of this cell is nearer than its lower bound: their band is at least this.
            final double lowerKm = walk.boundKm();
            // Its farthest point is within lowerKm + 2 radii (plus the metre boundKm rounds down).
            if (lowerKm + 0.001 + 2 * walk.radiusKm() <= innerKm) {
                continue; // wholly within the previous pass's radius: read then
            }
            final long cellBand = lowerBand(Math.max(0, lowerKm));
            // The last row's key, or above every key while the rows are not full. A local, and no
            // branch on "full" in the loops: the JIT would hoist such a loop-invariant test as a
            // speculation and deoptimise (re-allocating its callers' scalar-replaced objects) the
            // first time a query sees the other case.
            long worst = topCount == wanted ? topKey[topCount - 1] : Long.MAX_VALUE;
            // The cell's least tier: a cell without participants of the profession has none of tier 0.
            final long cellTier = (long) (walk.participants(profession) == 0 ? tierOfNonParticipants : 0) << TIER_SHIFT;
            if ((cellTier | (cellBand << 40)) > worst) {
                continue; // its best unit (rotation 0, the first hour) would not enter: no summary read
            }
            final long cw = summary.cellWord(cell, m);
            final long cellHours = ((cw >>> shift) | (cw << (UnitSummary.RING - shift))) & spanMask;
            if (cellHours == 0) {
                continue; // no unit of the cell has an hour of the window (a night, a quiet district)
            }
            if ((cellTier | (cellBand << 40) | hourBound(Long.numberOfTrailingZeros(cellHours), onTheHour)) > worst) {
                continue; // its best unit (rotation 0, the cell's earliest hour) would not enter: no entry read
            }
            // The participants come first in the run: once the rows are full of participants (the
            // last row is of tier 0 while participants come first), no non-participant can enter,
            // and the run stops after them.
            final int end = tierOfNonParticipants != 0 && worst < 1L << TIER_SHIFT
                ? first + walk.participants(profession) : (int) (range >>> 32);
            cellsVisited++;
            if (candUnit.length < end - first) {
                growCandidates(end - first);
            }
            cellFirst = first;
            int count = 0;
            // The cell's entries of the profession are contiguous (CellTable): summary words and
            // positions are each read as one run.
            for (int e = first; e < end; e++) {
                unitsExamined++;
                final long w = summary.word(e, m);
                final long hours = ((w >>> shift) | (w << (UnitSummary.RING - shift))) & spanMask;
                if (hours == 0) {
                    continue; // no free slot of the modality in the window: no record read
                }
                final long tierBits = (long) (cells.entryNonParticipant(e) ? tierOfNonParticipants : 0) << TIER_SHIFT;
                final long hash = rotation(cells.entryRpps(e), seed) >>> 16;
                final long hourBits = hourBound(Long.numberOfTrailingZeros(hours), onTheHour);
                // First with the times proposed at their least (0, the field above the hash): most
                // units stop here, before the random reads by practitioner index below.
                if ((tierBits | (cellBand << 40) | hourBits | hash) > worst) {
                    continue; // even at the cell's nearest point it does not beat the last row: no distance computed
                }
                final int unit = cells.entryUnit(e);
                final int p = SlotDescriptor.practitionerOf(unit);
                // rotation(rpps, seed, proposed), its hash already computed.
                final long rotation = ((long) Math.min(Math.max(exposure.proposed(p), 0), 0xFFFF) << 16) | hash;
                if ((tierBits | (cellBand << 40) | hourBits | rotation) > worst
                    || stamped > 0 && excludedStamp[p] == generation) {
                    continue;
                }
                // The band and the limits from the cheap distance when its error cannot change them;
                // the haversine otherwise, and for every row shown (once the rows are final: topEntry).
                final double uLat = cells.entryLat(e);
                final double uLon = cells.entryLon(e);
                final double near = ownRadius ? Double.NaN : Geo.nearKm(q.lon, qRadians, qSin, qCos, uLat, uLon);
                final double slack = near * Geo.NEAR_RELATIVE_ERROR + 1e-6;
                final long band;
                final double d;
                final long nearBand = lowerBand(near - slack);
                if (near == near && near - slack > innerKm && near + slack <= maxKm
                    && nearBand == upperBand(near + slack)) {
                    band = nearBand;
                    d = Double.NaN; // computed if it becomes a row
                } else {
                    d = Geo.distanceKm(q.lat, q.lon, qRadians, qCos, uLat, uLon);
                    if (d > maxKm || d <= innerKm || (ownRadius && d > homeRadiusKm(directory.get(p)))) {
                        continue;
                    }
                    band = bandOf(d);
                }
                // rankKey's layout, its hour field left 0 (filled once the slot is known).
                final long base = tierBits | (band << 40) | rotation;
                if ((base | hourBits) > worst) {
                    continue; // even its best case does not beat the last row
                }
                candUnit[count] = unit;
                candIndex[count] = e - first;
                candHours[count] = hours;
                candBase[count] = base;
                distance[e - first] = d;
                count++;
            }
            // The candidates by the first bucket each still has set: a list per bucket
            // (bucketHead, candNext), bit b of "lists" set while bucket b's is not empty. Each
            // bucket's chain is read once, for its list alone, and a stale candidate moves on to
            // its next bucket's list: a candidate is looked at once per bucket it tries, where a
            // scan of every candidate per bucket made a data-dependent branch per candidate and bucket.
            long lists = 0;
            long least = Long.MAX_VALUE; // no candidate's key is below this, whatever its hour
            for (int i = 0; i < count; i++) {
                final int b = Long.numberOfTrailingZeros(candHours[i]);
                final long bit = 1L << b;
                candNext[i] = (lists & bit) != 0 ? bucketHead[b] : -1;
                bucketHead[b] = i;
                lists |= bit;
                least = Math.min(least, candBase[i]);
            }
            while (lists != 0) {
                final int b = Long.numberOfTrailingZeros(lists);
                final long bit = 1L << b;
                lists &= ~bit;
                final long bound = hourBound(b, onTheHour);
                worst = topCount == wanted ? topKey[topCount - 1] : Long.MAX_VALUE;
                if ((least | bound) > worst) {
                    break; // no candidate left can enter the rows from this hour on
                }
                if (++token == 0) {
                    Arrays.fill(pendingMark, 0);
                    token = 1;
                }
                int pending = 0;
                int chained = 0;
                final int bStart = (firstBucket + b) * Minutes.BUCKET_MINUTES;
                for (int i = bucketHead[b]; i >= 0; i = candNext[i]) {
                    if ((candBase[i] | bound) > worst) {
                        continue; // the rows improved meanwhile: it cannot enter any more
                    }
                    final int u = candIndex[i];
                    pendingCand[pending++] = i;
                    // The unit's office hint, when it is still its record, free and in this
                    // hour (from now on), and now is not before the writer's clock when hints
                    // were chosen (read after the hint): its earliest there, without the chain
                    // (SlotIndex, "Office hints"). Otherwise the chain decides, as without hints.
                    if (office && cursor.load(cells.hint(cellFirst + u), Math.max(now, bStart),
                            Math.min(to, bStart + Minutes.BUCKET_MINUTES), now)
                        && cursor.unit() == candUnit[i] && cursor.state() == SlotDescriptor.STATE_FREE
                        && (cursor.modalities() & modality) != 0 && now >= index.hintFloorForReaders()) {
                        bestStart[u] = cursor.startMinute();
                        bestEnd[u] = cursor.endMinute();
                        bestRecord[u] = cursor.record();
                        bestSource[u] = cursor.source();
                        hintsTaken++;
                        continue;
                    }
                    pendingMark[u] = token;
                    bestStart[u] = Integer.MAX_VALUE;
                    if (chained < FEW) {
                        fewUnit[chained] = candUnit[i];
                        fewIndex[chained] = u;
                    }
                    chained++;
                }
                if (chained > 0) {
                    chainsRead++;
                    candidatesResolved += chained;
                    resolve(cell, cells, now, firstBucket + b, to, modality, chained);
                }
                // Rank the resolved; move the stale on to their next bucket's list.
                for (int k = 0; k < pending; k++) {
                    final int i = pendingCand[k];
                    final int u = candIndex[i];
                    if (bestStart[u] != Integer.MAX_VALUE) {
                        final int unit = candUnit[i];
                        final long hour = Math.min(255, (bestStart[u] - now) / 60);
                        offerRecord = bestRecord[u];
                        offerEnd = bestEnd[u];
                        offerSource = bestSource[u];
                        offerEntry = cellFirst + u;
                        offer(candBase[i] | (hour << 32), SlotDescriptor.practitionerOf(unit), unit, bestStart[u],
                            distance[u], -1, wanted);
                    } else {
                        final long hours = candHours[i] & ~bit; // a stale bit: on to its next hour
                        candHours[i] = hours;
                        if (hours != 0) {
                            final int next = Long.numberOfTrailingZeros(hours); // after b: b was its lowest
                            final long nextBit = 1L << next;
                            candNext[i] = (lists & nextBit) != 0 ? bucketHead[next] : -1;
                            bucketHead[next] = i;
                            lists |= nextBit;
                        }
                    }
                }
            }
            if (topCount == wanted) {
                stopKm = stopKm(topKey[topCount - 1], maxKm);
            }
        }
    }

    /**
     * The least hour field (bits 32-39 of a {@link #rankKey}) of a slot in the bucket {@code b}
     * hours after now's: {@code b} when now is on the hour, else {@code b - 1} (a slot at the
     * start of the bucket is less than {@code b} whole hours away), never below 0.
     */
    private static long hourBound(final int b, final boolean onTheHour) {
        return (long) (onTheHour || b == 0 ? b : b - 1) << 32;
    }

    /**
     * Reads the chain of (cell, bucket) and keeps, for each candidate marked with the current
     * token, its earliest free slot of the modality starting in the window and not ended. A
     * unit's records come in ascending start order along a chain (SlotIndex, "Chain order"), so
     * a candidate's first fitting record is its earliest, and the read stops once every
     * candidate has one: with the units in entry order (profession, participants first), a GP
     * search reads the head of each chain, not the nurses and midwives after it.
     */
    private void resolve(final int cell, final CellTable cells, final int now, final int bucket, final int to,
                         final int modality, final int pending) {
        cursor.open(cell, Math.max(now, bucket * Minutes.BUCKET_MINUTES),
            Math.min(to, (bucket + 1) * Minutes.BUCKET_MINUTES), now);
        int found = 0;
        while (found < pending && cursor.next()) {
            if (cursor.state() != SlotDescriptor.STATE_FREE || (cursor.modalities() & modality) == 0) {
                continue;
            }
            int u = -1;
            if (pending <= FEW) {
                // A few candidates (the usual case in small cells): compare unit words rather than
                // read entryOf, a random read by practitioner index per record.
                final int unit = cursor.unit();
                for (int i = 0; i < pending; i++) {
                    if (fewUnit[i] == unit) {
                        u = fewIndex[i];
                        break;
                    }
                }
                if (u < 0) {
                    continue; // not a candidate of this bucket
                }
            } else {
                u = cells.entryOf(cursor.unit()) - cellFirst;
                if (u < 0 || u >= pendingMark.length || pendingMark[u] != token) {
                    continue; // not a candidate of this bucket (or newer than this query's directory)
                }
            }
            if (bestStart[u] == Integer.MAX_VALUE) { // its first fitting record: its earliest
                bestStart[u] = cursor.startMinute();
                bestEnd[u] = cursor.endMinute();
                bestRecord[u] = cursor.record();
                bestSource[u] = cursor.source();
                found++;
            }
        }
    }

    private void growCandidates(final int n) {
        final int size = Math.max(n, candUnit.length * 2);
        candUnit = new int[size];
        candIndex = new int[size];
        candHours = new long[size];
        candBase = new long[size];
        candNext = new int[size];
        pendingCand = new int[size];
        pendingMark = new int[size];
        token = 0;
        distance = new double[size];
        bestRecord = new int[size];
        bestStart = new int[size];
        bestEnd = new int[size];
        bestSource = new int[size];
    }

    /**
     * Nothing free in the SAS channel: surnuméraire doctors within
     * {@link RankingConfig#surnumeraireMaxKm()} of one of their sites (a home visit: also within
     * their own travel radius), one row per structure for those registered through one; ordered by
     * the tier (the group's rank in the département's second-level order, open structures before
     * closed ones), then band and rotation. Allocation-free.
     */
    private void secondLevel(final RegulatorQuery q, final CellTable cells, final Directory directory,
                             final RingTable table, final SearchResults out, final int profession, final int wanted,
                             final int seed, final int dep, final boolean ownRadius, final int now) {
        final double extraKm = config.surnumeraireMaxKm();
        topCount = 0;
        offerRecord = -1;
        offerEntry = -1;
        walk.start(q.lat, q.lon, table);
        double stopKm = extraKm;
        int cell;
        while ((cell = walk.next(stopKm)) >= 0) {
            final long range = walk.range();
            for (int e = (int) range, end = (int) (range >>> 32); e < end; e++) {
                final int unit = cells.entryUnit(e);
                final int p = SlotDescriptor.practitionerOf(unit);
                if (!cells.acceptsExtraPatients(p) || cells.profession(p) != profession
                    || excludedStamp[p] == generation) {
                    continue;
                }
                final double d = Geo.distanceKm(q.lat, q.lon, cells.entryLat(e), cells.entryLon(e));
                final Practitioner entry = directory.get(p);
                if (d > extraKm || (ownRadius && d > homeRadiusKm(entry))) {
                    continue;
                }
                final int c = cells.cptsIndex(p);
                if (c >= 0 && excludedContactStamp[c] == generation) {
                    continue; // the case's declined structure: its row is left out (not its members' slots)
                }
                // A structure closed now by its hours still gives its row, after the open ones of
                // its group (tier = 2 * group rank + closed; group ranks are at most 3).
                final int closed = c >= 0 && !cells.openAt(c, minuteOfWeek(cells, c, now)) ? 1 : 0;
                final int tier = 2 * Math.min(3, protocol.secondLevelRank(dep, groupOf(cells, entry, c))) + closed;
                // One row per doctor (their site nearest the patient) or per structure (its
                // nearest member): offer keeps the best of each.
                offer(keyOf(tier, d, 0, entry.rpps(), seed, p), p, unit, 0, d, c, wanted);
            }
            if (topCount == wanted) {
                stopKm = stopKm(topKey[topCount - 1], extraKm);
            }
        }
        for (int i = 0; i < topCount; i++) {
            final int s = topSlot[i];
            final int c = topCpts[s];
            if (c < 0) {
                out.site(out.add(ResultKind.SURNUMERAIRE, topPractitioner[s], -1, topDistance[s]),
                    SlotDescriptor.siteOf(topUnit[s]));
            } else {
                final Structure st = cells.structure(c);
                final ResultKind kind = st == null || st.kind() == StructureKind.CPTS
                    ? ResultKind.CPTS : ResultKind.STRUCTURE;
                final int row = out.add(kind, -1, c, topDistance[s]);
                // A directory structure's hours decide its reachableFrom (an inline CPTS has none).
                out.structure[row] = st;
            }
        }
    }

    /**
     * The second-level group of a surnuméraire doctor: their structure's kind when they registered
     * through one (an inline CPTS is a CPTS), else their participation.
     */
    private static ProtocolConfig.SecondLevel groupOf(final CellTable cells, final Practitioner p, final int c) {
        if (c >= 0) {
            final Structure st = cells.structure(c);
            if (st == null) {
                return ProtocolConfig.SecondLevel.CPTS;
            }
            return switch (st.kind()) {
                case CPTS -> ProtocolConfig.SecondLevel.CPTS;
                case SOS_MEDECINS -> ProtocolConfig.SecondLevel.SOS_MEDECINS;
                case CDS, MSP, MMG -> ProtocolConfig.SecondLevel.STRUCTURES;
            };
        }
        return switch (p.participation()) {
            case SOS_MEDECINS -> ProtocolConfig.SecondLevel.SOS_MEDECINS;
            case MSP, CDS -> ProtocolConfig.SecondLevel.STRUCTURES;
            default -> ProtocolConfig.SecondLevel.INDIVIDUALS;
        };
    }

    /**
     * Local minute of the week (Monday 00:00 = 0) of {@code now} in the zone of contact {@code c}
     * (Europe/Paris for an inline CPTS). The zone's offset is computed once per hour and territory.
     */
    private int minuteOfWeek(final CellTable cells, final int c, final int now) {
        final Structure st = cells.structure(c);
        final Territory t = st == null ? Territory.METROPOLE : st.territory();
        final int hour = now / 60 + 1; // + 1: 0 marks "never computed"
        if (offsetHour[t.ordinal()] != hour) {
            offsetMinutes[t.ordinal()] = t.zone().getRules().getOffset(Minutes.toInstant(now - now % 60))
                .getTotalSeconds() / 60;
            offsetHour[t.ordinal()] = hour;
        }
        final int local = now + offsetMinutes[t.ordinal()];
        // Minute 0 is 2020-01-01T00:00, a Wednesday: day 2 of a week that starts on Monday.
        return ((local / 1440 + 2) % 7) * 1440 + local % 1440;
    }

    /**
     * The largest home-visit travel radius of the current directory (at least the configuration's
     * default), recomputed when the directory changes: O(directory) then, nothing per query.
     */
    private double homeWalkKm() {
        final Directory d = cursorDirectory;
        if (d != homeRadiusDirectory) {
            double max = config.homeVisitRadiusKm();
            for (int i = 0; i < d.capacity(); i++) {
                final Practitioner p = d.get(i);
                if (p != null && !Double.isNaN(p.homeVisitRadiusKm())) {
                    max = Math.max(max, p.homeVisitRadiusKm());
                }
            }
            homeRadiusDirectory = d;
            homeWalkKmCache = max;
        }
        return homeWalkKmCache;
    }

    /** A practitioner's own home-visit travel radius (from each of their sites), else the configuration's. */
    private double homeRadiusKm(final Practitioner p) {
        return Double.isNaN(p.homeVisitRadiusKm()) ? config.homeVisitRadiusKm() : p.homeVisitRadiusKm();
    }

    /**
     * The PDSA second level, when nothing is free in the PDSA channel: the effector (or structure)
     * on duty now in the patient's sector, then the MMGs open now, nearest first, then SOS Médecins
     * open now within {@link ProtocolConfig#pdsaStructureMaxKm()}; the structures are the
     * directory's ({@code structures.json}). No surnuméraire, CPTS nor daytime structure row.
     * Allocates (JTS point-in-polygon, the short lists of structures): this path runs only at night,
     * on weekends and holidays when the window holds no free slot, never on the slot path.
     */
    private void pdsaLevel(final RegulatorQuery q, final SearchResults out, final CellTable cells,
                           final Directory directory, final int now) {
        final Instant at = Minutes.toInstant(now);
        final PdsaLayer layer = protocol.pdsa();
        final Sector sector = layer.sectorAt(q.lat, q.lon);
        final Shift shift = sector == null ? null : layer.onDuty(sector.id(), at);
        String onDutyStructure = null;
        if (shift != null && out.size < q.limit) {
            if (shift.rpps() != 0) {
                final int p = directory.indexOf(shift.rpps());
                final int sites = p < 0 ? 0 : cells.siteCount(p);
                if (sites > 0 && excludedStamp[p] != generation) {
                    // The effector's site nearest the patient.
                    int nearest = 0;
                    double nearestKm = Double.MAX_VALUE;
                    for (int site = 0; site < sites; site++) {
                        final int unit = SlotDescriptor.unit(p, site);
                        final double km = Geo.distanceKm(q.lat, q.lon, cells.lat(unit), cells.lon(unit));
                        if (km < nearestKm) {
                            nearestKm = km;
                            nearest = site;
                        }
                    }
                    final int row = out.add(ResultKind.PDSA, p, -1, nearestKm);
                    out.site(row, nearest);
                    out.phoneOverride[row] = shift.phone();
                }
            } else {
                final Structure s = directory.structure(shift.structure());
                if (s != null) {
                    onDutyStructure = s.id();
                    out.addStructure(s, Geo.distanceKm(q.lat, q.lon, s.lat(), s.lon()), shift.phone());
                }
            }
        }
        for (final StructureKind kind : PDSA_STRUCTURES) {
            final List<Structure> open = new ArrayList<>();
            for (final Structure s : directory.structures()) {
                if (s.kind() == kind && !s.id().equals(onDutyStructure)
                    && Geo.distanceKm(q.lat, q.lon, s.lat(), s.lon()) <= protocol.pdsaStructureMaxKm()
                    && Opening.openAt(s.hours(), at, s.territory().zone())) {
                    open.add(s);
                }
            }
            open.sort(Comparator.<Structure>comparingDouble(s -> Geo.distanceKm(q.lat, q.lon, s.lat(), s.lon()))
                .thenComparing(Structure::id));
            for (final Structure s : open) {
                if (out.size >= q.limit) {
                    return;
                }
                out.addStructure(s, Geo.distanceKm(q.lat, q.lon, s.lat(), s.lon()), null);
            }
        }
    }

    /**
     * The channel at {@code now}; SAS (the protocol as before the hours were known) where the
     * holiday data end (the bundled table covers 2006-2031; the index accepts times to 2100).
     */
    private static CareChannel channelAt(final CareHours hours, final int now) {
        try {
            return hours.channelAtEpochSecond(Minutes.EPOCH_SECOND + 60L * now);
        } catch (final HolidayRangeException e) {
            return CareChannel.SAS;
        }
    }

    /** The PDSA structures, in the protocol's order after the effector on duty. */
    private static final StructureKind[] PDSA_STRUCTURES = {StructureKind.MMG, StructureKind.SOS_MEDECINS};

    private double maxDistance(final RegulatorQuery q, final int dep) {
        if (!Double.isNaN(q.maxDistanceKm)) {
            return q.maxDistanceKm;
        }
        if (q.modality == Modality.TELECONSULTATION) {
            return config.teleconsultationMaxKm();
        }
        if (q.modality == Modality.HOME_VISIT) {
            // The walk's bound: the farthest anyone of the directory travels; each practitioner's
            // own radius then decides (scanSlots, secondLevel).
            return homeWalkKm();
        }
        final double table = dep >= 0 && protocol.departementRadii() ? protocol.departements().radiusKm(dep) : Double.NaN;
        return Double.isNaN(table) ? config.officeMaxKm() : table;
    }

    /** Marks the refused practitioners, the MT (never listed twice) and the declined structures, for this generation. */
    private void stampExcluded(final RegulatorQuery q, final Directory directory, final CellTable cells) {
        for (int i = 0; i < q.excludedCount; i++) {
            final int p = directory.indexOf(q.excluded[i]);
            if (p >= 0 && p < excludedStamp.length) {
                excludedStamp[p] = generation;
                stamped++;
            }
        }
        if (listedMt >= 0) {
            excludedStamp[listedMt] = generation;
            stamped++;
        }
        for (int i = 0; i < q.excludedStructureCount; i++) {
            final int c = cells.contactIndexOf(q.excludedStructures[i]);
            if (c >= 0 && c < excludedContactStamp.length) {
                excludedContactStamp[c] = generation;
            }
        }
    }

    /**
     * The MT's row: their earliest free slot of the modality in the window over all their sites
     * (ties: the lower site), at that site's distance; without one, a contact row at the site
     * nearest the patient.
     */
    private void earliestSlotOf(final int mt, final CellTable cells, final RegulatorQuery q, final int now,
                                final int to, final int modality, final SearchResults out) {
        int best = -1;
        int bestStartMinute = Integer.MAX_VALUE;
        int end = 0;
        int source = 0;
        int bestSite = -1;
        int nearest = 0;
        double nearestKm = Double.MAX_VALUE;
        final int sites = cells.siteCount(mt);
        for (int site = 0; site < sites; site++) {
            final int unit = SlotDescriptor.unit(mt, site);
            final double km = Geo.distanceKm(q.lat, q.lon, cells.lat(unit), cells.lon(unit));
            if (km < nearestKm) {
                nearestKm = km;
                nearest = site;
            }
            // Only the hours the site's summary has, earliest first: the first that holds a free
            // fitting slot holds the site's earliest (a stale bit costs one chain).
            final int e = cells.entryOf(unit);
            final int firstBucket = Minutes.bucket(now);
            final int span = Math.max(0, Math.min(SlotIndex.PAST_BUCKETS + SlotIndex.FUTURE_BUCKETS,
                Minutes.bucket(to - 1) - firstBucket + 1));
            final int shift = firstBucket % UnitSummary.RING;
            final long w = e < 0 ? 0 : cells.summary().word(e, Integer.numberOfTrailingZeros(modality));
            long hours = ((w >>> shift) | (w << (UnitSummary.RING - shift))) & ((1L << span) - 1);
            boolean found = false;
            while (hours != 0 && !found) {
                final int bucket = firstBucket + Long.numberOfTrailingZeros(hours);
                hours &= hours - 1;
                cursor.open(cells.cellOf(unit), Math.max(now, bucket * Minutes.BUCKET_MINUTES),
                    Math.min(to, (bucket + 1) * Minutes.BUCKET_MINUTES), now);
                while (cursor.next()) {
                    if (cursor.unit() == unit && cursor.state() == SlotDescriptor.STATE_FREE
                        && (cursor.modalities() & modality) != 0) {
                        found = true;
                        if (cursor.startMinute() < bestStartMinute) {
                            best = cursor.record();
                            bestStartMinute = cursor.startMinute();
                            end = cursor.endMinute();
                            source = cursor.source();
                            bestSite = site;
                        }
                    }
                }
            }
        }
        final int site = best >= 0 ? bestSite : nearest;
        final int unit = SlotDescriptor.unit(mt, site);
        final int row = out.add(ResultKind.MEDECIN_TRAITANT, mt, -1,
            Geo.distanceKm(q.lat, q.lon, cells.lat(unit), cells.lon(unit)));
        out.site(row, site);
        if (best >= 0) {
            out.slot(row, best, bestStartMinute, end, source, methodBySource[source]);
        }
    }

    private long bandOf(final double km) {
        return band(km, config.distanceBandKm());
    }

    /** 1 / {@link RankingConfig#distanceBandKm()}: a product where the query path would divide. */
    private final double perBandKm;
    /** Relative margin covering the difference between {@code km * perBandKm} and {@code km / bandKm} (a few ulps). */
    private static final double BAND_MARGIN = 1e-12;

    /**
     * No more than {@code bandOf(x)} for any {@code x ≥ km}, by a product instead of a division
     * (the division was 4% of a Paris query's samples): the margin puts {@code km} below any
     * rounding of the two. If {@code lowerBand(lo) == upperBand(hi)}, every {@code x} in
     * {@code [lo, hi]} has that {@link #bandOf}.
     */
    private long lowerBand(final double km) {
        return Math.min(BAND_MASK, (long) (km * (1 - BAND_MARGIN) * perBandKm));
    }

    /** No less than {@code bandOf(x)} for any {@code x ≤ km} (see {@link #lowerBand}). */
    private long upperBand(final double km) {
        return Math.min(BAND_MASK, (long) (km * (1 + BAND_MARGIN) * perBandKm));
    }

    private long keyOf(final int tier, final double km, final int hour, final long rpps, final int seed, final int p) {
        return rankKey(tier, km, hour, rpps, seed, config.distanceBandKm(), exposure.proposed(p));
    }

    /**
     * How far the walk must still go once the rows are full and {@code worst} is the last row's key:
     * to the end of its band when it is of tier 0 (no farther candidate can beat it), else to
     * {@code maxKm} (a lower-tier candidate may be anywhere within the limit).
     */
    private double stopKm(final long worst, final double maxKm) {
        return (worst >>> TIER_SHIFT) != 0 ? maxKm
            : Math.min(maxKm, (((worst >>> 40) & BAND_MASK) + 1) * config.distanceBandKm());
    }

    /** Band field of a {@link #rankKey}: 20 bits from bit 40 (the tier sits above it). */
    public static final long BAND_MASK = (1L << 20) - 1;

    /** First bit of the tier field of a {@link #rankKey} (3 bits, below the sign bit). */
    public static final int TIER_SHIFT = 60;

    /** Distance band of {@code km} for bands {@code bandKm} wide (20 bits, clamped). */
    public static long band(final double km, final double bandKm) {
        return Math.min(BAND_MASK, (long) (km / bandKm));
    }

    /**
     * Step-2 tier of a practitioner: 0 for one registered with the SAS (participation other than
     * NONE), 1 for one whose slots arrive only because vendors send them by default; always 0 when
     * participants do not come first ({@link ProtocolConfig#participantsFirst()}). The national
     * platform's {@code sortCardsByFirstSlot} (ansforge/SAS-moteur-recherche, Search.model.js)
     * lists the cards with a slot of SAS participants before the others in the same way.
     */
    public static int participationTier(final Participation participation, final boolean participantsFirst) {
        return participantsFirst && participation == Participation.NONE ? 1 : 0;
    }

    /**
     * The order of rows, ascending (ties by directory index), as laid out in the class comment:
     * tier (3 bits, bits 60-62), distance band (20 bits, 40-59), hour of the earliest slot from now
     * (8 bits, clamped to 0..255, 32-39), then the fairness {@link #rotation(long, int, int)} (32
     * bits: times proposed, then the period's hash). Public so that a host, or a baseline, can
     * reproduce Créneau's order exactly.
     *
     * @param tier     0..7, lower first: in step 2 the {@link #participationTier}; in the
     *                 nothing-free step twice the rank of the row's group in the département's
     *                 second-level order, plus one for a structure closed now
     * @param km       great-circle distance from the patient to the row's site
     * @param hour     whole hours from "now" to the earliest slot (0 for rows without slot)
     * @param rpps     the practitioner
     * @param seed     the rotation period: "now" in minutes divided by {@link RankingConfig#rotationMinutes()}
     * @param bandKm   {@link RankingConfig#distanceBandKm()}
     * @param proposed times the practitioner was proposed ({@link Exposure}); 0 without counts
     */
    public static long rankKey(final int tier, final double km, final int hour, final long rpps, final int seed,
                               final double bandKm, final int proposed) {
        final long h = Math.max(0, Math.min(255, hour));
        return ((long) (tier & 7) << TIER_SHIFT) | (band(km, bandKm) << 40) | (h << 32)
            | (rotation(rpps, seed, proposed) & 0xFFFF_FFFFL);
    }

    /** {@link #rankKey(int, double, int, long, int, double, int)} of a practitioner never proposed. */
    public static long rankKey(final int tier, final double km, final int hour, final long rpps, final int seed,
                               final double bandKm) {
        return rankKey(tier, km, hour, rpps, seed, bandKm, 0);
    }

    /** {@link #rankKey(int, double, int, long, int, double, int)} at tier 0. */
    public static long rankKey(final double km, final int hour, final long rpps, final int seed, final double bandKm,
                               final int proposed) {
        return rankKey(0, km, hour, rpps, seed, bandKm, proposed);
    }

    /** {@link #rankKey(int, double, int, long, int, double, int)} at tier 0, never proposed. */
    public static long rankKey(final double km, final int hour, final long rpps, final int seed, final double bandKm) {
        return rankKey(0, km, hour, rpps, seed, bandKm, 0);
    }

    /**
     * The rotation component of the rank key (32 bits, compared unsigned): the times proposed,
     * saturated at 65535, in the high 16 bits, so that the least proposed come first; the high 16
     * bits of the period's {@link #rotation(long, int) hash} in the low 16, so that equally proposed
     * practitioners still take turns from one period to the next (two that also share those 16
     * bits fall to the directory order, as every tie does). Public for the same reason as
     * {@link #rankKey}.
     */
    public static int rotation(final long rpps, final int seed, final int proposed) {
        return (Math.min(Math.max(proposed, 0), 0xFFFF) << 16) | (rotation(rpps, seed) >>> 16);
    }

    /**
     * The fairness rotation: MurmurHash3's 64-bit finaliser over the RPPS and the period, a fixed,
     * well-mixed order per period. Public for the same reason as {@link #rankKey}.
     */
    public static int rotation(final long rpps, final int seed) {
        long z = rpps ^ (seed * 0x9E37_79B9_7F4A_7C15L);
        z = (z ^ (z >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return (int) ((z ^ (z >>> 33)) >>> 32);
    }

    /**
     * Inserts a candidate into the sorted top list when it improves it. A practitioner (or, for a
     * contact row, a structure: {@code cpts >= 0}) holds one row: a candidate for one already
     * listed replaces it only when it orders before it, which is how a practitioner's row is the
     * best of their sites and a structure's row its nearest member. Ties: practitioner index, then
     * the earlier start, then the lower site.
     */
    private void offer(final long key, final int p, final int unit, final int start, final double km,
                       final int cpts, final int wanted) {
        if (topCount == wanted && !less(key, p, start, unit, topCount - 1)) {
            return; // also worse than any row of its own already listed
        }
        // The slots in use are 0..topCount-1 in some order: the practitioner's (or structure's)
        // own row, if listed, is found by a scan of the slots, not of the sorted rows.
        int slot = -1;
        for (int s = 0; s < topCount; s++) {
            if (cpts >= 0 ? topCpts[s] == cpts : topCpts[s] < 0 && topPractitioner[s] == p) {
                slot = s;
                break;
            }
        }
        if (slot >= 0) {
            int at = 0;
            while (topSlot[at] != slot) {
                at++;
            }
            if (!less(key, p, start, unit, at)) {
                return;
            }
            final int tail = topCount - at - 1; // its row leaves; its slot takes the new one
            System.arraycopy(topKey, at + 1, topKey, at, tail);
            System.arraycopy(topSlot, at + 1, topSlot, at, tail);
            topCount--;
        }
        final int i0;
        if (topCount == wanted) {
            i0 = topCount - 1; // the last row leaves: its slot takes the new one
            slot = topSlot[i0];
        } else {
            i0 = topCount++;
            if (slot < 0) {
                slot = i0; // the slots in use were 0..i0-1
            }
        }
        int i = i0;
        while (i > 0 && less(key, p, start, unit, i - 1)) {
            topKey[i] = topKey[i - 1];
            topSlot[i] = topSlot[i - 1];
            i--;
        }
        topKey[i] = key;
        topSlot[i] = slot;
        topPractitioner[slot] = p;
        topCpts[slot] = cpts;
        topUnit[slot] = unit;
        topRecord[slot] = offerRecord;
        topEnd[slot] = offerEnd;
        topSource[slot] = offerSource;
        topStart[slot] = start;
        topDistance[slot] = km;
        topEntry[slot] = offerEntry;
    }

    /** {@code true} when the candidate orders before top row {@code i}. */
    private boolean less(final long key, final int p, final int start, final int unit, final int i) {
        if (key != topKey[i]) {
            return key < topKey[i];
        }
        final int s = topSlot[i];
        if (p != topPractitioner[s]) {
            return p < topPractitioner[s];
        }
        if (start != topStart[s]) {
            return start < topStart[s];
        }
        return SlotDescriptor.siteOf(unit) < SlotDescriptor.siteOf(topUnit[s]);
    }

    private RingTable ringTable(final double lat, final double lon, final CellTable cells) {
        return rings.get(lat, lon, cells);
    }

    /** Sizes the per-unit and per-practitioner scratch to the directory and starts a new generation. */
    private void prepare(final CellTable cells) {
        if (excludedStamp.length < cells.practitionerCapacity()) {
            excludedStamp = new int[Math.max(cells.practitionerCapacity(), excludedStamp.length * 2)];
            generation = 0;
        }
        if (excludedContactStamp.length < cells.cptsCount()) {
            excludedContactStamp = new int[Math.max(cells.cptsCount(), excludedContactStamp.length * 2)];
            generation = 0;
        }
        stamped = 0;
        if (generation == 0 || ++generation == 0) {
            // New arrays, or the stamp wrapped: no stale stamp may equal a future generation.
            Arrays.fill(excludedStamp, 0);
            Arrays.fill(excludedContactStamp, 0);
            generation = 1;
        }
    }
}
