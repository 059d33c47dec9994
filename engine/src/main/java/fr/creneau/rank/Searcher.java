package fr.creneau.rank;

import java.util.Arrays;
import java.util.Objects;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Integration;
import fr.creneau.directory.Vendor;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.Modality;
import fr.creneau.index.CellTable;
import fr.creneau.index.Geo;
import fr.creneau.index.H3;
import fr.creneau.slot.Minutes;
import fr.creneau.index.SlotCursor;
import fr.creneau.index.SlotDescriptor;
import fr.creneau.index.SlotIndex;

/**
 * Answers regulator queries with the SAS ranking protocol. One per thread: not thread-safe, and
 * allocation-free once the shared {@link RingTables} know the patient's cell (a miss builds that
 * cell's {@link RingTable}; nothing else allocates).
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li><b>Médecin traitant first.</b> If the query names one who is in the directory (and not
 *       excluded), row 0 is the MT: with their earliest free slot of the modality in the window,
 *       whatever the distance or profession, or as a phone contact when none is displayed.</li>
 *   <li><b>Nearest free slots.</b> Then practitioners of the profession with a free, visible slot
 *       of the modality starting in the window and not yet ended, within the modality's maximum
 *       distance, one row each with their earliest such slot. Order: distance band first
 *       ({@link RankingConfig#distanceBandKm()}, nearest band first); inside a band, the hour of the
 *       earliest slot (earliest first: "ties by earliest slot"); inside that, a rotation.</li>
 *   <li><b>Nothing free</b> (no row from step 2): practitioners of the profession who accept extra
 *       patients, within {@link RankingConfig#surnumeraireMaxKm()}, by band then rotation; one row
 *       per structure for those registered through one (a directory structure of any kind, or an
 *       inline CPTS: the structure's phone; {@link ResultKind#CPTS} for a CPTS,
 *       {@link ResultKind#STRUCTURE} otherwise; a structure closed at "now" by its opening hours
 *       gives no row), one per doctor otherwise.</li>
 *   <li>Every row says how to book: ONLINE for a slot of an END_TO_END vendor, PHONE otherwise.</li>
 *   <li><b>Fairness.</b> The rotation inside a band puts the practitioners least proposed to
 *       operators first ({@link Exposure}: rows shown), then orders by a hash of the RPPS with the
 *       current {@link RankingConfig#rotationMinutes()} period: deterministic given the counts and
 *       the hour, different from one period to the next, so that practitioners at the same
 *       distance take turns at the top of the list, and one never proposed rises to it.</li>
 * </ol>
 * Excluded practitioners (refused by the patient) never appear, the MT included.
 *
 * <h2>Sites</h2>
 * The index's unit is the site (a practitioner's place of work, see {@link CellTable}): a slot's
 * distance is the distance to its site, found in that site's cell. A practitioner still has one row:
 * every site is a candidate under the same ranking key, and the row is the best of them (ties: the
 * earlier slot, then the lower site ordinal). Contact rows (MT without slot, surnuméraire) use the
 * site nearest the patient. This changes what is compared, not the protocol: the key
 * ({@link #rankKey}) is the same function of (distance, hour, RPPS).
 *
 * <h2>Stopping early</h2>
 * Cells are visited outward ({@link CellWalk}); once the row limit is reached, no cell whose
 * nearest point lies beyond the band of the last row can hold a better candidate, and the walk
 * stops there. Inside a cell the hour buckets are read in time order and ranked bucket by bucket,
 * so a cell whose nearest band is the last row's band is read only up to the last row's hour: in
 * a dense city most of the 48 h window is never touched.
 */
public final class Searcher {
    private final SlotIndex index;
    private final RankingConfig config;
    private final BookingMethod[] methodBySource = new BookingMethod[256];
    private final SlotCursor cursor;
    private final RingTables rings;
    private final CellWalk walk = new CellWalk();
    /** Rows shown per practitioner (issue 17): read, never written, on the query path. */
    private final Exposure exposure;

    // Per-unit scratch (dense unit index, see CellTable), valid where stamp == generation: reset
    // in O(1) per query. excludedStamp is per practitioner.
    private int generation;
    private int[] stamp = new int[0];
    private int[] excludedStamp = new int[0];
    private double[] distance = new double[0];
    private int[] bestRecord = new int[0];
    private int[] bestStart = new int[0];
    private int[] bestEnd = new int[0];
    private int[] bestSource = new int[0];
    /** Unit words first seen in the current bucket. */
    private int[] touched = new int[64];
    private int touchedCount;

    // Top rows so far, ascending (key, practitioner, start, site); at most one per practitioner
    // (or per contact for contact rows).
    private final long[] topKey = new long[SearchResults.MAX_ROWS];
    private final int[] topPractitioner = new int[SearchResults.MAX_ROWS];
    private final int[] topCpts = new int[SearchResults.MAX_ROWS];
    private final int[] topUnit = new int[SearchResults.MAX_ROWS];
    private final int[] topStart = new int[SearchResults.MAX_ROWS];
    private final double[] topDistance = new double[SearchResults.MAX_ROWS];
    private int topCount;

    // The UTC offset of each territory's zone for the hour it was last computed (structures'
    // opening hours are local): recomputed once an hour, so a query allocates nothing.
    private final int[] offsetHour = new int[fr.creneau.directory.Territory.values().length];
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
        this(index, vendors, config, rings, Exposure.NONE);
    }

    /** A searcher whose rotation reads {@code exposure} (what {@link fr.creneau.Creneau} does). */
    public Searcher(final SlotIndex index, final VendorRegistry vendors, final RankingConfig config,
                    final RingTables rings, final Exposure exposure) {
        this.exposure = Objects.requireNonNull(exposure, "exposure");
        this.index = Objects.requireNonNull(index, "index");
        this.rings = Objects.requireNonNull(rings, "rings");
        this.config = Objects.requireNonNull(config, "config");
        Arrays.fill(methodBySource, BookingMethod.PHONE);
        for (final Vendor v : vendors.vendors()) {
            methodBySource[v.id()] = v.integration() == Integration.END_TO_END ? BookingMethod.ONLINE : BookingMethod.PHONE;
        }
        this.cursor = index.cursor();
    }

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
        out.clear(directory, cells, q.modality);
        prepare(cells);
        for (int i = 0; i < q.excludedCount; i++) {
            final int p = directory.indexOf(q.excluded[i]);
            if (p >= 0 && p < excludedStamp.length) {
                excludedStamp[p] = generation;
            }
        }
        final int now = q.nowMinute;
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
                earliestSlotOf(mt, cells, q, now, to, modality, out);
            }
        }
        if (out.size >= q.limit) {
            return out.size;
        }
        final RingTable table = ringTable(q.lat, q.lon, cells);

        // 2. The nearest free slots.
        final double maxKm = maxDistance(q);
        final int wanted = q.limit - out.size;
        final int seed = now / config.rotationMinutes();
        topCount = 0;
        walk.start(q.lat, q.lon, table);
        double stopKm = maxKm;
        int cell;
        final int lastBucket = Minutes.bucket(to - 1);
        while ((cell = walk.next(stopKm)) >= 0) {
            // No practitioner of this cell is nearer than its lower bound: their band is at least this.
            final long cellBand = bandOf(Math.max(0, walk.lowerBoundKm(cell)));
            for (int bucket = Minutes.bucket(now); bucket <= lastBucket; bucket++) {
                final int from = Math.max(now, bucket * Minutes.BUCKET_MINUTES);
                if (topCount == wanted) {
                    // Rows order by (band, hour of the earliest slot, rotation): once the rows are
                    // full, a practitioner first seen from here on enters only with a smaller
                    // band, or the same band and an hour not after the last row's.
                    final long worst = topKey[topCount - 1];
                    final long worstBand = worst >>> 40;
                    if (cellBand > worstBand
                        || (cellBand == worstBand && (from - now) / 60 > ((worst >>> 32) & 0xFF))) {
                        break;
                    }
                }
                scanSlots(cell, cells, q, now, from, Math.min(to, (bucket + 1) * Minutes.BUCKET_MINUTES), modality,
                    profession, maxKm);
                // Buckets come in time order: a practitioner first seen in this one has their
                // earliest fitting slot in it, so they can be ranked now.
                for (int i = 0; i < touchedCount; i++) {
                    final int unit = touched[i];
                    final int u = cells.unitIndex(unit);
                    final int p = SlotDescriptor.practitionerOf(unit);
                    offer(keyOf(distance[u], (bestStart[u] - now) / 60, directory.get(p).rpps(), seed, p), p, unit, u,
                        bestStart[u], distance[u], -1, wanted);
                }
                if (topCount == wanted) {
                    stopKm = Math.min(maxKm, bandCeilingKm(topKey[topCount - 1]));
                }
            }
        }
        for (int i = 0; i < topCount; i++) {
            final int u = cells.unitIndex(topUnit[i]);
            final int row = out.add(ResultKind.SLOT, topPractitioner[i], -1, topDistance[i]);
            out.site(row, SlotDescriptor.siteOf(topUnit[i]));
            out.slot(row, bestRecord[u], bestStart[u], bestEnd[u], bestSource[u], methodBySource[bestSource[u]]);
        }
        if (topCount > 0) {
            return out.size;
        }

        // 3. Nothing free: surnuméraire doctors, or their CPTS.
        final double extraKm = config.surnumeraireMaxKm();
        walk.start(q.lat, q.lon, table);
        stopKm = extraKm;
        while ((cell = walk.next(stopKm)) >= 0) {
            for (final int unit : cells.practitionersIn(cell)) {
                final int p = SlotDescriptor.practitionerOf(unit);
                if (!cells.acceptsExtraPatients(p) || cells.profession(p) != profession
                    || excludedStamp[p] == generation) {
                    continue;
                }
                final double d = Geo.distanceKm(q.lat, q.lon, cells.lat(unit), cells.lon(unit));
                if (d > extraKm) {
                    continue;
                }
                final int c = cells.cptsIndex(p);
                if (c >= 0 && !cells.openAt(c, minuteOfWeek(cells, c, now))) {
                    continue; // reached through its structure, closed now
                }
                // One row per doctor (their site nearest the patient) or per structure (its
                // nearest member): offer keeps the best of each.
                offer(keyOf(d, 0, directory.get(p).rpps(), seed, p), p, unit, -1, 0, d, c, wanted);
            }
            if (topCount == wanted) {
                stopKm = Math.min(extraKm, bandCeilingKm(topKey[topCount - 1]));
            }
        }
        for (int i = 0; i < topCount; i++) {
            final int c = topCpts[i];
            if (c < 0) {
                out.site(out.add(ResultKind.SURNUMERAIRE, topPractitioner[i], -1, topDistance[i]),
                    SlotDescriptor.siteOf(topUnit[i]));
            } else {
                final fr.creneau.directory.Structure st = cells.structure(c);
                final ResultKind kind = st == null || st.kind() == fr.creneau.directory.StructureKind.CPTS
                    ? ResultKind.CPTS : ResultKind.STRUCTURE;
                out.add(kind, -1, c, topDistance[i]);
            }
        }
        return out.size;
    }

    /**
     * Local minute of the week (Monday 00:00 = 0) of {@code now} in the zone of contact {@code c}
     * (Europe/Paris for an inline CPTS). The zone's offset is computed once per hour and territory.
     */
    private int minuteOfWeek(final CellTable cells, final int c, final int now) {
        final fr.creneau.directory.Structure st = cells.structure(c);
        final fr.creneau.directory.Territory t = st == null ? fr.creneau.directory.Territory.METROPOLE : st.territory();
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

    private double maxDistance(final RegulatorQuery q) {
        if (!Double.isNaN(q.maxDistanceKm)) {
            return q.maxDistanceKm;
        }
        if (q.modality == Modality.TELECONSULTATION) {
            return config.teleconsultationMaxKm();
        }
        return q.modality == Modality.HOME_VISIT ? config.homeVisitRadiusKm() : config.officeMaxKm();
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
            cursor.open(cells.cellOf(unit), now, to, now);
            while (cursor.next()) {
                if (cursor.unit() == unit && cursor.state() == SlotDescriptor.STATE_FREE
                    && (cursor.modalities() & modality) != 0 && cursor.startMinute() < bestStartMinute) {
                    best = cursor.record();
                    bestStartMinute = cursor.startMinute();
                    end = cursor.endMinute();
                    source = cursor.source();
                    bestSite = site;
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

    /**
     * Collects the earliest fitting free slot of each unit (practitioner at one site) of the cell
     * first seen in {@code [from, to)} (one bucket); fills {@code touched} with them. Units seen in
     * an earlier bucket already have their earliest slot and are passed over.
     */
    private void scanSlots(final int cell, final CellTable cells, final RegulatorQuery q, final int now, final int from,
                           final int to, final int modality, final int profession, final double maxKm) {
        touchedCount = 0;
        cursor.open(cell, from, to, now);
        while (cursor.next()) {
            if (cursor.state() != SlotDescriptor.STATE_FREE || (cursor.modalities() & modality) == 0) {
                continue;
            }
            final int unit = cursor.unit();
            final int u = cells.unitIndex(unit);
            if (u < 0) {
                continue; // a practitioner or site newer than this query's directory
            }
            if (stamp[u] != generation) {
                stamp[u] = generation;
                distance[u] = -1;
                final int p = SlotDescriptor.practitionerOf(unit);
                if (cells.profession(p) != profession || excludedStamp[p] == generation) {
                    continue;
                }
                final double d = Geo.distanceKm(q.lat, q.lon, cells.latOfIndex(u), cells.lonOfIndex(u));
                if (d > maxKm) {
                    continue;
                }
                distance[u] = d;
                bestStart[u] = Integer.MAX_VALUE;
                if (touchedCount == touched.length) {
                    touched = Arrays.copyOf(touched, touchedCount * 2);
                }
                touched[touchedCount++] = unit;
            } else if (distance[u] < 0 || bestStart[u] < from) {
                continue; // not eligible, or already ranked from an earlier bucket
            }
            if (cursor.startMinute() < bestStart[u]) {
                bestStart[u] = cursor.startMinute();
                bestEnd[u] = cursor.endMinute();
                bestRecord[u] = cursor.record();
                bestSource[u] = cursor.source();
            }
        }
    }

    private long bandOf(final double km) {
        return band(km, config.distanceBandKm());
    }

    private long keyOf(final double km, final int hour, final long rpps, final int seed, final int p) {
        return rankKey(km, hour, rpps, seed, config.distanceBandKm(), exposure.proposed(p));
    }

    private double bandCeilingKm(final long key) {
        return ((key >>> 40) + 1) * config.distanceBandKm();
    }

    /** Distance band of {@code km} for bands {@code bandKm} wide (23 bits, clamped). */
    public static long band(final double km, final double bandKm) {
        return Math.min((1L << 23) - 1, (long) (km / bandKm));
    }

    /**
     * The order of rows, ascending (ties by directory index): distance band (23 bits), then hour of
     * the earliest slot from now (8 bits, clamped to 0..255), then the fairness {@link #rotation}.
     * Public so that a host, or a baseline, can reproduce Créneau's order exactly.
     *
     * @param km     great-circle distance from the patient
     * @param hour   whole hours from "now" to the earliest slot (0 for rows without slot)
     * @param rpps   the practitioner
     * @param seed   the rotation period: "now" in minutes divided by {@link RankingConfig#rotationMinutes()}
     * @param bandKm {@link RankingConfig#distanceBandKm()}
     */
    public static long rankKey(final double km, final int hour, final long rpps, final int seed, final double bandKm) {
        return rankKey(km, hour, rpps, seed, bandKm, 0);
    }

    /**
     * {@link #rankKey(double, int, long, int, double)} for a practitioner proposed {@code proposed}
     * times ({@link Exposure}): only the rotation component differs ({@link #rotation(long, int, int)}).
     */
    public static long rankKey(final double km, final int hour, final long rpps, final int seed, final double bandKm,
                               final int proposed) {
        final long h = Math.max(0, Math.min(255, hour));
        return (band(km, bandKm) << 40) | (h << 32) | (rotation(rpps, seed, proposed) & 0xFFFF_FFFFL);
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
    private void offer(final long key, final int p, final int unit, final int u, final int start, final double km,
                       final int cpts, final int wanted) {
        if (topCount == wanted && !less(key, p, start, unit, topCount - 1)) {
            return; // also worse than any row of its own already listed
        }
        for (int i = 0; i < topCount; i++) {
            if (cpts >= 0 ? topCpts[i] == cpts : topCpts[i] < 0 && topPractitioner[i] == p) {
                if (!less(key, p, start, unit, i)) {
                    return;
                }
                final int tail = topCount - i - 1;
                System.arraycopy(topKey, i + 1, topKey, i, tail);
                System.arraycopy(topPractitioner, i + 1, topPractitioner, i, tail);
                System.arraycopy(topCpts, i + 1, topCpts, i, tail);
                System.arraycopy(topUnit, i + 1, topUnit, i, tail);
                System.arraycopy(topStart, i + 1, topStart, i, tail);
                System.arraycopy(topDistance, i + 1, topDistance, i, tail);
                topCount--;
                break;
            }
        }
        int i = topCount == wanted ? topCount - 1 : topCount++;
        while (i > 0 && less(key, p, start, unit, i - 1)) {
            topKey[i] = topKey[i - 1];
            topPractitioner[i] = topPractitioner[i - 1];
            topCpts[i] = topCpts[i - 1];
            topUnit[i] = topUnit[i - 1];
            topStart[i] = topStart[i - 1];
            topDistance[i] = topDistance[i - 1];
            i--;
        }
        topKey[i] = key;
        topPractitioner[i] = p;
        topCpts[i] = cpts;
        topUnit[i] = unit;
        topStart[i] = start;
        topDistance[i] = km;
    }

    /** {@code true} when the candidate orders before top row {@code i}. */
    private boolean less(final long key, final int p, final int start, final int unit, final int i) {
        if (key != topKey[i]) {
            return key < topKey[i];
        }
        if (p != topPractitioner[i]) {
            return p < topPractitioner[i];
        }
        if (start != topStart[i]) {
            return start < topStart[i];
        }
        return SlotDescriptor.siteOf(unit) < SlotDescriptor.siteOf(topUnit[i]);
    }

    private RingTable ringTable(final double lat, final double lon, final CellTable cells) {
        return rings.get(H3.CORE.latLngToCell(lat, lon, CellTable.RESOLUTION), cells);
    }

    /** Sizes the per-unit and per-practitioner scratch to the directory and starts a new generation. */
    private void prepare(final CellTable cells) {
        final int n = cells.unitCount();
        if (stamp.length < n) {
            final int size = Math.max(n, stamp.length * 2);
            stamp = new int[size];
            distance = new double[size];
            bestRecord = new int[size];
            bestStart = new int[size];
            bestEnd = new int[size];
            bestSource = new int[size];
            generation = 0;
        }
        if (excludedStamp.length < cells.practitionerCapacity()) {
            excludedStamp = new int[Math.max(cells.practitionerCapacity(), excludedStamp.length * 2)];
            generation = 0;
        }
        if (generation == 0 || ++generation == 0) {
            // New arrays, or the stamp wrapped: no stale stamp may equal a future generation.
            Arrays.fill(stamp, 0);
            Arrays.fill(excludedStamp, 0);
            generation = 1;
        }
    }
}
