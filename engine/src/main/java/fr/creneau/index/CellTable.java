package fr.creneau.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.uber.h3core.util.LatLng;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.Long2LongHashMap;

import fr.creneau.directory.Cpts;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Site;
import fr.creneau.directory.Structure;
import fr.creneau.directory.WeeklyHours;

/**
 * The H3 cells that hold practitioners' sites, each with a dense {@code int} id, its centre and
 * circumradius, and the units (practitioner, site) in it; and, per unit, its cell and position as
 * primitives for the query path.
 *
 * <p><b>Units.</b> A practitioner with several sites has one unit per site, named by a unit word
 * ({@link SlotDescriptor#unit}: the site ordinal above the directory index, so the main site's
 * word is the practitioner's index). The per-unit arrays are indexed by a dense unit index: a main
 * site's is its practitioner's index (so a single-site directory costs what it did before sites:
 * 20 B per practitioner); the other sites follow, from {@code practitionerCapacity()}, those of the
 * {@code k}-th multi-site practitioner ({@code multiSite}, sorted) at
 * {@code capacity + extraBase[k] .. capacity + extraBase[k+1]-1}, found by a binary search over the
 * multi-site practitioners only (allocation-free; about one in ten GPs). Methods taking a "unit"
 * accept a bare practitioner index for its main site, which is how every single-site caller keeps
 * working.
 *
 * <p><b>Cells and groups: resolution 7, finer where dense.</b> Practitioner density in the INSEE
 * and ameli data spans three orders of magnitude: Paris has ~9,000 inhabitants/km² and one GP per
 * ~1,100 inhabitants (≈ 8 GPs/km², three times that counting nurses), Lozère ~15 inhabitants/km².
 * A rural 30 km search wants coarse cells (resolution 7, 5.2 km², edge 1.4 km: ~13 rings, most of
 * them empty and so absent from this table); a Paris search wants fine ones, because every unit of
 * the patient's cell is examined and every (cell, hour) chain it resolves mixes all of that cell's
 * practitioners: at 5M slots a Paris resolution-7 cell holds ~1,000 units, ten rows need a few
 * dozen. So the <em>cells</em> of this table (the {@code int} ids, what the {@link SlotIndex}
 * chains, the entries and the summary are keyed by) are of mixed resolution: the sites of a
 * resolution-7 area with more than {@link #LEAF_UNITS} units are keyed at resolution 8, 9 or 10,
 * the coarsest at which that area has about {@code LEAF_UNITS} units a cell ({@link #leafResolution}).
 * Every cell belongs to one <em>group</em>: its resolution-7 parent ({@code cellToParent}), with a
 * centre and a radius that covers its cells (children can stick out of their parent's hexagon).
 * Groups are what the per-patient ring tables list (resolution 7 as before); a search expands a
 * group into its cells and visits them by their own lower bounds. The resolution of an area is
 * kept across directory changes unless its units a cell move a factor of eight out of the range
 * the choice gives (hysteresis: a reload does not move slots between cells for a few practitioners
 * more or less; an area that fills or empties by that much is re-keyed, its slots moving with
 * its practitioners as for a move: {@code AreaResolutionTest}).
 *
 * <p><b>Stable ids.</b> A table built from a previous one keeps every cell's id, so the slot chains
 * of the {@link SlotIndex}, indexed by cell id, stay valid across directory reloads.
 *
 * <p><b>Contacts.</b> The second level of the protocol (nothing free) gives one row per structure a
 * practitioner registered through: the directory {@link Structure} its entry names (any kind), or
 * else the inline {@link Cpts} of a {@code CPTS} participant. Each distinct one has a dense contact
 * index ({@link #cptsIndex}); a structure's opening hours are kept as a bitmap of the minutes of
 * the week, so the query path tests them without allocating.
 *
 * <p>Thread-safe. Immutable but for the {@link UnitSummary} and the office hints ({@link #hint}),
 * which the index keeps up to date atomically; the index publishes a new table on each
 * directory change.
 */
public final class CellTable {
    /** H3 resolution of the groups (what ring tables list) and of the cells of sparse areas. */
    public static final int RESOLUTION = 7;
    /** Finest resolution a dense area's cells are keyed at (res 10: 0.015 km², edge 76 m). */
    public static final int MAX_RESOLUTION = 10;
    /**
     * Units a cell of a dense area should hold, about: an area (resolution-7 cell) with more is
     * keyed at the coarsest resolution where its units divided by 7 per level fall to this. Chosen
     * by measurement (QueryAnatomy, Paris, bench/results/query-limit-notes.md): 32, 64 and 96 give
     * about the same query times at 5M and 20M slots (smaller cells cost the walk more bounds and
     * chain heads, larger ones make a query examine and resolve more units than its rows need),
     * and each halving of the cells' size adds their heads (208 B a cell) to the memory: 64 keeps
     * 20M slots under 28 B a slot. {@code -Dcreneau.leafUnits=N} sets another, to measure.
     */
    public static final int LEAF_UNITS = Integer.getInteger("creneau.leafUnits", 64);
    private static final long MISSING = -1L;
    /** In the id map while building: a cell no earlier table had, its id given once all are known. */
    private static final long NEW = -2L;
    private static final int MINUTES_PER_WEEK = 7 * 24 * 60;

    private final Directory directory;
    /**
     * Groups ({@link #RESOLUTION} parents of the occupied cells), ascending by H3 address: a
     * group's id is its position here. Cells of group {@code g}: {@code groupCell[groupFirst[g] ..
     * groupFirst[g + 1] - 1]}. Rebuilt with each table (ring tables are rebuilt with it anyway).
     */
    private final long[] groupAddress;
    private final int[] groupFirst;
    private final int[] groupCell;
    private final double[] groupLat;
    private final double[] groupLon;
    /** No point of any cell of the group is farther than this from the group's centre, km. */
    private final double[] groupRadiusKm;
    /** Group id of each cell, or -1 for a cell no unit is in any more (kept for its stable id). */
    private final int[] cellGroup;
    /**
     * What a walk reads of a group, in one block of {@code walkData} per group (group order), so
     * that expanding a group and visiting its cells costs one or two cache lines, not one in each
     * of half a dozen arrays indexed by cell id (rural groups are one cell each, and a rural query
     * expands fifty of them):
     * <pre>
     *   block of group g, at walkOffset(g):  [count of its records]
     *   then per record, WALK_LONGS longs:    [centre lat bits, centre lon bits, cos(lat) bits,
     *                                          circumradius km bits, cell id, entry range,
     *                                          profession splits, participation splits]
     *   (a sub-block record, see buildWalk:    ..., -1 - cell count, offset of its cell records, 0, 0)
     * </pre>
     * A cell's entries are ordered by profession (stable within one): its entries of profession
     * {@code k} run from split {@code k - 1} to split {@code k}, split {@code -1} being the range's
     * first entry and split 2 its end; the splits word holds splits 0 (low half) and 1 (high half),
     * so that a search reads its profession's entries alone, with no test (a mispredicted branch
     * half the time: GPs are about half of the units) per entry of another profession. Within a
     * profession, the SAS participants come first: the participation word holds, for profession
     * {@code k}, in bits {@code 21k .. 21k + 20}, how many entries of its run are participants, so
     * that a search whose rows are full of participants (non-participants then cannot enter) stops
     * at the first non-participant (about two GPs in three are not registered).
     * Immutable like the rest of the table.
     */
    public static final int WALK_LONGS = 8;
    /** Bits per profession in the participation word (WALK_LONGS), and their mask. */
    public static final int PARTICIPANTS_BITS = 21;
    public static final long PARTICIPANTS_MASK = (1L << PARTICIPANTS_BITS) - 1;
    /** Professions a cell's entries are split by (the splits word holds two splits). */
    private static final int PROFESSIONS = 3;
    static {
        if (fr.creneau.directory.Profession.values().length != PROFESSIONS) {
            throw new ExceptionInInitializerError("the walk's splits word holds " + (PROFESSIONS - 1) + " splits");
        }
    }
    private final long[] walkData;
    /** Offset of each group's block. */
    private final int[] groupWalk;
    /** Offset of each cell's record in its group's block, or -1 for a cell no unit is in. */
    private final int[] cellWalk;
    /** The resolution-7 areas whose cell resolution is decided, ascending, and that resolution. */
    private final long[] decidedArea;
    private final byte[] decidedResolution;
    /** Cell ids sorted by H3 address, for {@link #idOf} by binary search: 4 B per cell, not a hash map's ~40. */
    private final int[] idsByAddress;
    private final long[] cells;
    private final double[] centerLat;
    private final double[] centerLon;
    private final double[] radiusKm;
    /** Practitioners with more than one site, ascending. */
    private final int[] multiSite;
    /** Per multi-site practitioner (+1): first of its other sites' dense indices, from {@code capacity}. */
    private final int[] extraBase;
    private final int capacity;
    /**
     * The query path's view of the units, <b>in group order</b>, one record of
     * {@link #ENTRY_LONGS} longs an entry in {@code entryData} (array of structures, not
     * structure of arrays: a rural cell's two or three units are one or two cache lines, not one
     * line in each of six arrays):
     * <pre>
     *   [0] unit word (bits 0-31) | profession ordinal (32-33) | participation NONE (bit 34) | cell id (35-63)
     *   [1] RPPS (bits 0-36) | office hint: its record + 1, 0 for none (37-63)
     *   [2] latitude of the site (raw double bits)
     *   [3] longitude
     * </pre>
     * The units of cell {@code c} are the entries {@code first .. end - 1} of its {@code cellRange}
     * word ({@code first | end << 32}); the {@link UnitSummary} is indexed by entry too. 32 B an
     * entry besides the summary's 24, 8 B a cell.
     *
     * <p><b>The office hint</b> ({@link #hint}) rides in the RPPS word's high bits, which no
     * practitioner key uses (an RPPS is below 10<sup>11</sup>, an ADELI key below
     * 1.01 × 10<sup>11</sup>, both under 2<sup>37</sup>): no byte is added, and a search reads it
     * in the line it already read for the rotation. A table whose directory has a key that does
     * not fit keeps whole keys and no hint ({@link #hint} always -1).
     */
    static final int ENTRY_LONGS = 4;
    /** First bit of the office hint in word [1] of an entry. */
    static final int HINT_SHIFT = 37;
    /** The practitioner key's bits of word [1] when hints are kept. */
    static final long KEY_MASK = (1L << HINT_SHIFT) - 1;
    /** Largest record a hint can name (27 bits, 0 meaning none): 2.7 GB of records. */
    static final int MAX_HINTED_RECORD = (1 << (Long.SIZE - HINT_SHIFT)) - 2;
    private static final VarHandle ENTRY_WORD = MethodHandles.arrayElementVarHandle(long[].class);
    /** Bit of word [0] of an entry set for a practitioner who does not participate in the SAS. */
    private static final int NON_PARTICIPANT_BIT = 34;
    /**
     * First bit of the cell id in word [0] of an entry: a unit's cell is read from its entry
     * (4 B a unit less than an array of cells by unit: 7 MB at 20M slots).
     */
    private static final int CELL_SHIFT = 35;
    private final long[] cellRange;
    private final long[] entryData;
    /** {@link #KEY_MASK} when every key fits below the hint, else -1 (no hints). */
    private final long keyMask;
    /** Entry of each dense unit index (-1 for a hole). */
    private final int[] entryOf;
    private final byte[] profession;
    private final boolean[] acceptsExtraPatients;
    private final int[] cptsIndex;
    private final Cpts[] cpts;
    /** Per contact: the directory structure, or {@code null} for an inline CPTS. */
    private final Structure[] structures;
    /** Contact index by the structure's (or inline CPTS's) id: a case's declined structures. */
    private final Map<String, Integer> contactById;
    /** Per contact: open minutes of the week (local time, Monday 00:00 = 0), or {@code null}: always open. */
    private final long[][] openMinutes;
    /**
     * Per unit and modality, the hours that may hold a free slot (see {@link UnitSummary}): built
     * empty with the table, filled by the {@link SlotIndex} that publishes it; mutable (atomically)
     * while the rest of the table is not.
     */
    private final UnitSummary summary;

    private CellTable(final Directory directory, final int[] idsByAddress, final long[] cells, final double[] centerLat,
                      final double[] centerLon, final double[] radiusKm, final int[][] unitsByCell,
                      final int[] multiSite, final int[] extraBase, final int capacity, final int[] unitCell,
                      final double[] lat, final double[] lon,
                      final byte[] profession, final boolean[] acceptsExtraPatients, final int[] cptsIndex,
                      final Cpts[] cpts, final Structure[] structures, final long[][] openMinutes,
                      final Groups groups) {
        this.directory = directory;
        this.groupAddress = groups.address;
        this.groupFirst = groups.first;
        this.groupCell = groups.cell;
        this.groupLat = groups.lat;
        this.groupLon = groups.lon;
        this.groupRadiusKm = groups.radiusKm;
        this.cellGroup = groups.cellGroup;
        this.decidedArea = groups.decidedArea;
        this.decidedResolution = groups.decidedResolution;
        this.idsByAddress = idsByAddress;
        this.cells = cells;
        this.centerLat = centerLat;
        this.centerLon = centerLon;
        this.radiusKm = radiusKm;
        this.multiSite = multiSite;
        this.extraBase = extraBase;
        this.capacity = capacity;
        // Entries in group order (groups by H3 address, a group's cells as listed, each cell's
        // units by profession, then as unitsByCell lists them): the cells a walk visits one after
        // the other are neighbours, and so are their entries and summary words in memory. Cells
        // nobody is in have no entry.
        final int units = unitCell.length;
        this.cellRange = new long[unitsByCell.length];
        this.entryOf = new int[units];
        Arrays.fill(entryOf, -1);
        int total = 0;
        for (final int c : groups.cell) {
            final int first = total;
            total += unitsByCell[c].length;
            cellRange[c] = first | (long) total << 32;
        }
        if (unitsByCell.length > 1 << (64 - CELL_SHIFT)) { // entries hold the cell id in 29 bits
            throw new IllegalArgumentException("more than " + (1 << (64 - CELL_SHIFT)) + " occupied cells");
        }
        this.entryData = new long[Math.multiplyExact(total, ENTRY_LONGS)];
        final long[] cellSplits = new long[unitsByCell.length];
        final long[] cellParticipants = new long[unitsByCell.length];
        // Each practitioner's place in a cell's order, once: 2 × profession, plus 1 for a
        // non-participant (the passes below then read a byte, not the directory, per unit).
        final byte[] order = new byte[profession.length];
        for (int p = 0; p < order.length; p++) {
            final Practitioner entry = directory.get(p);
            order[p] = (byte) (entry == null ? -1 : chainClassOf(profession[p], entry.participation() == Participation.NONE));
        }
        int e = 0;
        boolean keysFit = true;
        for (final int c : groups.cell) {
            // The cell's units by profession, and in each participants first (see WALK_LONGS).
            for (int k = 0; k < PROFESSIONS; k++) {
                if (k > 0) {
                    cellSplits[c] |= (long) e << (32 * (k - 1));
                }
                final int runFirst = e;
                for (int pass = 0; pass < 2; pass++) {
                    if (pass == 1) {
                        if (e - runFirst > PARTICIPANTS_MASK) {
                            throw new IllegalArgumentException("more than " + PARTICIPANTS_MASK
                                + " units of one profession at one place (an H3 cell of resolution " + MAX_RESOLUTION
                                + "): the index keys at most that many");
                        }
                        cellParticipants[c] |= (long) (e - runFirst) << (PARTICIPANTS_BITS * k);
                    }
                    for (final int unit : unitsByCell[c]) {
                        final int p = SlotDescriptor.practitionerOf(unit);
                        if (order[p] != chainClassOf(k, pass == 1)) {
                            continue;
                        }
                        final Practitioner entry = directory.get(p);
                        final int u = unitIndexIn(unit, capacity, unitCell, multiSite, extraBase);
                        entryOf[u] = e;
                        final int at = e * ENTRY_LONGS;
                        entryData[at] = (unit & 0xFFFF_FFFFL) | (long) (profession[p] & 0b11) << 32
                            | (long) (pass == 1 ? 1 : 0) << NON_PARTICIPANT_BIT | (long) c << CELL_SHIFT;
                        entryData[at + 1] = entry.rpps();
                        keysFit &= (entry.rpps() & ~KEY_MASK) == 0;
                        entryData[at + 2] = Double.doubleToRawLongBits(lat[u]);
                        entryData[at + 3] = Double.doubleToRawLongBits(lon[u]);
                        e++;
                    }
                }
            }
        }
        this.keyMask = keysFit ? KEY_MASK : -1L;
        this.groupWalk = new int[groupAddress.length];
        this.cellWalk = new int[unitsByCell.length];
        Arrays.fill(cellWalk, -1);
        this.walkData = buildWalk(groupFirst, groupCell, cells, centerLat, centerLon, radiusKm, cellRange, cellSplits,
            cellParticipants, groupWalk, cellWalk);
        this.profession = profession;
        this.acceptsExtraPatients = acceptsExtraPatients;
        this.cptsIndex = cptsIndex;
        this.cpts = cpts;
        this.structures = structures;
        final Map<String, Integer> byId = new HashMap<>();
        for (int c = 0; c < cpts.length; c++) {
            byId.putIfAbsent(structures[c] != null ? structures[c].id() : cpts[c].id(), c);
        }
        this.contactById = byId;
        this.openMinutes = openMinutes;
        this.summary = new UnitSummary(total, unitsByCell.length, groups.cellGroup, groups.address.length);
    }

    /** The free-hours summary of this table's units ({@link UnitSummary}). Any thread. */
    public UnitSummary summary() {
        return summary;
    }

    /** An empty table. */
    static CellTable empty() {
        return build(Directory.builder().build(), null);
    }

    /**
     * The table for {@code directory}, keeping the cell ids of {@code previous} (may be {@code null}).
     * Calls h3 once per site and per new cell: a directory-load cost, never a query cost.
     *
     * @throws IllegalArgumentException when the directory has more than
     *                                  {@link SlotDescriptor#MAX_PRACTITIONERS} positions, or more
     *                                  than {@link #PARTICIPANTS_MASK} units of one profession in one cell
     */
    static CellTable build(final Directory directory, final CellTable previous) {
        final int practitioners = directory.capacity();
        if (practitioners > SlotDescriptor.MAX_PRACTITIONERS) {
            throw new IllegalArgumentException("a directory of " + practitioners + " positions: the index keys at most "
                + SlotDescriptor.MAX_PRACTITIONERS);
        }
        final IntArrayList multi = new IntArrayList();
        final IntArrayList extra0 = new IntArrayList();
        int extraUnits = 0;
        for (int i = 0; i < practitioners; i++) {
            final Practitioner p = directory.get(i);
            if (p != null && p.sites().size() > 1) {
                multi.addInt(i);
                extra0.addInt(extraUnits);
                extraUnits += p.sites().size() - 1;
            }
        }
        extra0.addInt(extraUnits);
        final int[] multiSite = multi.toIntArray();
        final int[] extraBase = extra0.toIntArray();
        final int units = practitioners + extraUnits;
        final int[] unitCell = new int[units];
        Arrays.fill(unitCell, -1); // holes
        int nextMulti = 0;
        final double[] lat = new double[units];
        final double[] lon = new double[units];
        final byte[] profession = new byte[practitioners];
        final boolean[] extra = new boolean[practitioners];
        final int[] cptsIndex = new int[practitioners];
        final Map<String, Integer> contactIds = new HashMap<>();
        final List<Cpts> cptsList = new ArrayList<>();
        final List<Structure> structureList = new ArrayList<>();
        Arrays.fill(cptsIndex, -1);

        // Each site's area (its resolution-7 cell) and the units per area, to decide the
        // resolution its sites are keyed at (see the class comment).
        final long[] areaOf = new long[units];
        final Long2LongHashMap unitsPerArea = new Long2LongHashMap(0);
        for (int i = 0, multiK = 0; i < practitioners; i++) {
            final Practitioner p = directory.get(i);
            if (p == null) {
                continue;
            }
            final int extraFirst = p.sites().size() > 1 ? practitioners + extraBase[multiK++] - 1 : 0;
            for (int s = 0; s < p.sites().size(); s++) {
                final Site site = p.sites().get(s);
                final long area = H3.CORE.latLngToCell(site.lat(), site.lon(), RESOLUTION);
                areaOf[s == 0 ? i : extraFirst + s] = area;
                unitsPerArea.put(area, unitsPerArea.get(area) + 1);
            }
        }
        final Long2LongHashMap resolutionOfArea = new Long2LongHashMap(MISSING);
        if (previous != null) {
            for (int k = 0; k < previous.decidedArea.length; k++) {
                resolutionOfArea.put(previous.decidedArea[k], previous.decidedResolution[k]);
            }
        }
        final Long2LongHashMap.KeyIterator areas = unitsPerArea.keySet().iterator();
        while (areas.hasNext()) {
            final long area = areas.nextValue();
            final int n = (int) unitsPerArea.get(area);
            final long kept = resolutionOfArea.get(area);
            if (kept == MISSING || !keeps((int) kept, n)) {
                resolutionOfArea.put(area, leafResolution(n));
            }
        }
        final Long2LongHashMap idByCell = new Long2LongHashMap(MISSING);
        final IntArrayList order = new IntArrayList(); // unit words, in directory then site order
        long[] cells = new long[16];
        int count = 0;
        if (previous != null) {
            cells = Arrays.copyOf(previous.cells, Math.max(16, previous.cells.length));
            count = previous.cells.length;
            for (int id = 0; id < count; id++) {
                idByCell.put(cells[id], id);
            }
        }
        final long[] leafOf = new long[units];
        // Cells no earlier table had, as (area, cell) pairs: their ids are given below in that
        // order, so that on a first load the cells a walk visits one after the other (one area's,
        // then a neighbouring area's) have neighbouring ids, and neighbouring slices in every array
        // indexed by cell id (the index's chain heads, the summary's cell words, the geometry).
        final LongArrayList fresh = new LongArrayList();
        for (int i = 0; i < practitioners; i++) {
            final Practitioner p = directory.get(i);
            if (p == null) {
                continue;
            }
            final int extraFirst = p.sites().size() > 1 ? practitioners + extraBase[nextMulti++] - 1 : 0;
            for (int s = 0; s < p.sites().size(); s++) {
                final Site site = p.sites().get(s);
                final int u0 = s == 0 ? i : extraFirst + s;
                final int resolution = (int) resolutionOfArea.get(areaOf[u0]);
                final long cell = resolution == RESOLUTION ? areaOf[u0]
                    : H3.CORE.latLngToCell(site.lat(), site.lon(), resolution);
                if (idByCell.get(cell) == MISSING) {
                    idByCell.put(cell, NEW);
                    fresh.addLong(resolution == RESOLUTION ? cell : H3.CORE.cellToParent(cell, RESOLUTION));
                    fresh.addLong(cell);
                }
                final int u = s == 0 ? i : extraFirst + s;
                leafOf[u] = cell;
                lat[u] = site.lat();
                lon[u] = site.lon();
                order.addInt(SlotDescriptor.unit(i, s));
                order.addInt(u);
            }
            profession[i] = (byte) p.profession().ordinal();
            extra[i] = p.acceptsExtraPatients();
            final Structure structure = p.structure() == null ? null : directory.structure(p.structure());
            if (structure != null) {
                // Registered through a structure of the directory: it is the contact, whatever its kind.
                cptsIndex[i] = contactIds.computeIfAbsent("structure:" + structure.id(), k -> {
                    cptsList.add(new Cpts(structure.id(), structure.name(), structure.phone()));
                    structureList.add(structure);
                    return cptsList.size() - 1;
                });
            } else if (p.participation() == Participation.CPTS && p.cpts() != null) {
                // The CPTS is the contact only for those who registered through it.
                cptsIndex[i] = contactIds.computeIfAbsent("cpts:" + p.cpts().id(), k -> {
                    cptsList.add(p.cpts());
                    structureList.add(null);
                    return cptsList.size() - 1;
                });
            }
        }
        final int[] byPlace = new int[fresh.size() / 2];
        {
            // Sort the new cells by (area, cell) through an index permutation.
            final Integer[] perm = new Integer[byPlace.length];
            for (int k = 0; k < perm.length; k++) {
                perm[k] = k;
            }
            Arrays.sort(perm, (a, b) -> {
                final int c = Long.compare(fresh.getLong(2 * a), fresh.getLong(2 * b));
                return c != 0 ? c : Long.compare(fresh.getLong(2 * a + 1), fresh.getLong(2 * b + 1));
            });
            for (int k = 0; k < perm.length; k++) {
                byPlace[k] = perm[k];
            }
        }
        if (count + byPlace.length > cells.length) {
            cells = Arrays.copyOf(cells, count + byPlace.length);
        }
        for (final int k : byPlace) {
            final long cell = fresh.getLong(2 * k + 1);
            cells[count] = cell;
            idByCell.put(cell, count++);
        }
        for (int u = 0; u < units; u++) {
            if (leafOf[u] != 0) {
                unitCell[u] = (int) idByCell.get(leafOf[u]);
            }
        }
        cells = Arrays.copyOf(cells, count);
        final double[] centerLat = new double[count];
        final double[] centerLon = new double[count];
        final double[] radiusKm = new double[count];
        final int known = previous == null ? 0 : previous.cells.length;
        if (previous != null) {
            System.arraycopy(previous.centerLat, 0, centerLat, 0, known);
            System.arraycopy(previous.centerLon, 0, centerLon, 0, known);
            System.arraycopy(previous.radiusKm, 0, radiusKm, 0, known);
        }
        for (int id = known; id < count; id++) {
            final LatLng c = H3.CORE.cellToLatLng(cells[id]);
            centerLat[id] = c.lat;
            centerLon[id] = c.lng;
            radiusKm[id] = circumradiusKm(cells[id], c);
        }
        final int[] sizes = new int[count];
        for (int k = 1; k < order.size(); k += 2) {
            sizes[unitCell[order.getInt(k)]]++;
        }
        final int[][] byCell = new int[count][];
        for (int id = 0; id < count; id++) {
            byCell[id] = new int[sizes[id]];
            sizes[id] = 0;
        }
        for (int k = 0; k < order.size(); k += 2) {
            final int id = unitCell[order.getInt(k + 1)];
            byCell[id][sizes[id]++] = order.getInt(k);
        }
        final long[] sorted = cells.clone();
        Arrays.sort(sorted);
        final int[] idsByAddress = new int[count];
        for (int i = 0; i < count; i++) {
            idsByAddress[i] = (int) idByCell.get(sorted[i]);
        }
        final Groups groups = Groups.of(cells, centerLat, centerLon, radiusKm, byCell, resolutionOfArea);
        final Structure[] structures = structureList.toArray(new Structure[0]);
        final long[][] open = new long[structures.length][];
        for (int c = 0; c < structures.length; c++) {
            open[c] = structures[c] == null || structures[c].alwaysOpen() ? null : openMinutes(structures[c].hours());
        }
        return new CellTable(directory, idsByAddress, cells, centerLat, centerLon, radiusKm, byCell, multiSite, extraBase, practitioners,
            unitCell,
            lat, lon, profession, extra, cptsIndex, cptsList.toArray(new Cpts[0]), structures, open, groups);
    }

    /**
     * The resolution the sites of an area with {@code units} units are keyed at: the coarsest from
     * {@link #RESOLUTION} to {@link #MAX_RESOLUTION} where {@code units / 7^(r - 7)} is at most
     * {@link #LEAF_UNITS} (a finer level has seven times as many cells, each a seventh as full).
     */
    static int leafResolution(final int units) {
        int r = RESOLUTION;
        for (double n = units; n > LEAF_UNITS && r < MAX_RESOLUTION; n /= 7) {
            r++;
        }
        return r;
    }

    /**
     * Whether an area keyed at {@code resolution} stays so with {@code units} units: while its
     * units a cell stay within a factor of eight of the range {@link #leafResolution} picks from
     * ({@code LEAF_UNITS / 7 .. LEAF_UNITS}), or it cannot go coarser or finer; so that a reload
     * moves no slots for a few practitioners more or less (AreaResolutionTest).
     */
    private static boolean keeps(final int resolution, final int units) {
        final double perCell = units / Math.pow(7, resolution - RESOLUTION);
        return (perCell <= 8.0 * LEAF_UNITS || resolution == MAX_RESOLUTION)
            && (perCell * 7 * 8 > LEAF_UNITS || resolution == RESOLUTION);
    }

    /**
     * The walk's blocks (see {@link #WALK_LONGS}). A group whose cells are finer than resolution 8
     * lists, besides its coarser cells, one <em>sub-block</em> record per resolution-8 parent of
     * the others (centre, cosine, a radius covering them, {@code -1 - count} in place of the id,
     * the offset of their cell records in place of the range), their records following the
     * group's: a walk bounds a sub-block's cells only once the sub-block's own bound is reached,
     * so a Paris group of 300 resolution-10 cells costs a few dozen bounds, not 300.
     */
    private static long[] buildWalk(final int[] groupFirst, final int[] groupCell, final long[] cells,
                                    final double[] centerLat, final double[] centerLon, final double[] radiusKm,
                                    final long[] cellRange, final long[] cellSplits,
                                    final long[] cellParticipants, final int[] groupWalk, final int[] cellWalk) {
        final LongArrayList data = new LongArrayList();
        final int groups = groupFirst.length - 1;
        for (int g = 0; g < groups; g++) {
            groupWalk[g] = data.size();
            final int first = groupFirst[g];
            final int n = groupFirst[g + 1] - first;
            // Each cell's resolution-8 parent when it is finer than 8 (in a group of more than seven
            // cells only: smaller ones are bounded cell by cell), else 0; the distinct parents,
            // ascending, are the group's sub-blocks.
            final long[] parentOf = new long[n];
            int fine = 0;
            if (n > 7) {
                for (int i = 0; i < n; i++) {
                    final long cell = cells[groupCell[first + i]];
                    if (H3.CORE.getResolution(cell) > 8) {
                        parentOf[i] = H3.CORE.cellToParent(cell, 8);
                        fine++;
                    }
                }
            }
            final long[] parents = new long[fine];
            for (int i = 0, k = 0; i < n; i++) {
                if (parentOf[i] != 0) {
                    parents[k++] = parentOf[i];
                }
            }
            Arrays.sort(parents);
            int distinct = 0;
            for (int k = 0; k < parents.length; k++) {
                if (k == 0 || parents[k] != parents[k - 1]) {
                    parents[distinct++] = parents[k];
                }
            }
            // The group's records: its coarser cells, then one per sub-block; then each
            // sub-block's cell records, contiguous, in the order of its parent.
            final int records = n - fine + distinct;
            data.addLong(records);
            final int head = data.size();
            final int cellsAt = head + records * WALK_LONGS;
            for (int k = 0; k < (records + fine) * WALK_LONGS; k++) {
                data.addLong(0);
            }
            final int[] subFirst = new int[distinct + 1];
            for (int i = 0; i < n; i++) {
                if (parentOf[i] != 0) {
                    subFirst[Arrays.binarySearch(parents, 0, distinct, parentOf[i]) + 1]++;
                }
            }
            for (int k = 0; k < distinct; k++) {
                subFirst[k + 1] += subFirst[k];
            }
            final int[] filled = Arrays.copyOf(subFirst, distinct);
            final double[] subRadius = new double[distinct];
            final LatLng[] subCenter = new LatLng[distinct];
            int at = head;
            for (int i = 0; i < n; i++) {
                final int id = groupCell[first + i];
                if (parentOf[i] == 0) {
                    cellRecord(data, at, id, centerLat, centerLon, radiusKm, cellRange, cellSplits, cellParticipants,
                        cellWalk);
                    at += WALK_LONGS;
                    continue;
                }
                final int k = Arrays.binarySearch(parents, 0, distinct, parentOf[i]);
                if (subCenter[k] == null) {
                    subCenter[k] = H3.CORE.cellToLatLng(parents[k]);
                }
                cellRecord(data, cellsAt + filled[k]++ * WALK_LONGS, id, centerLat, centerLon, radiusKm, cellRange,
                    cellSplits, cellParticipants, cellWalk);
                subRadius[k] = Math.max(subRadius[k],
                    Geo.distanceKm(subCenter[k].lat, subCenter[k].lng, centerLat[id], centerLon[id]) + radiusKm[id]);
            }
            for (int k = 0; k < distinct; k++) {
                final LatLng c = subCenter[k];
                data.setLong(at, Double.doubleToRawLongBits(c.lat));
                data.setLong(at + 1, Double.doubleToRawLongBits(c.lng));
                data.setLong(at + 2, Double.doubleToRawLongBits(Math.cos(Math.toRadians(c.lat))));
                data.setLong(at + 3, Double.doubleToRawLongBits(subRadius[k]));
                data.setLong(at + 4, -1 - (subFirst[k + 1] - subFirst[k]));
                data.setLong(at + 5, cellsAt + subFirst[k] * WALK_LONGS);
                at += WALK_LONGS;
            }
        }
        return data.toLongArray();
    }

    private static void cellRecord(final LongArrayList data, final int at, final int id, final double[] centerLat,
                                   final double[] centerLon, final double[] radiusKm, final long[] cellRange,
                                   final long[] cellSplits, final long[] cellParticipants, final int[] cellWalk) {
        cellWalk[id] = at;
        data.setLong(at, Double.doubleToRawLongBits(centerLat[id]));
        data.setLong(at + 1, Double.doubleToRawLongBits(centerLon[id]));
        data.setLong(at + 2, Double.doubleToRawLongBits(Math.cos(Math.toRadians(centerLat[id]))));
        data.setLong(at + 3, Double.doubleToRawLongBits(radiusKm[id]));
        data.setLong(at + 4, id);
        data.setLong(at + 5, cellRange[id]);
        data.setLong(at + 6, cellSplits[id]);
        data.setLong(at + 7, cellParticipants[id]);
    }

    /** The groups of a table being built, and its decided areas (see the fields they fill). */
    private static final class Groups {
        long[] address;
        int[] first;
        int[] cell;
        double[] lat;
        double[] lon;
        double[] radiusKm;
        int[] cellGroup;
        long[] decidedArea;
        byte[] decidedResolution;

        static Groups of(final long[] cells, final double[] centerLat, final double[] centerLon, final double[] radiusKm,
                         final int[][] byCell, final Long2LongHashMap resolutionOfArea) {
            final Groups g = new Groups();
            final int count = cells.length;
            // A cell's group: its resolution-7 parent (itself at 7); cells nobody is in are left out.
            final long[] parent = new long[count];
            for (int id = 0; id < count; id++) {
                parent[id] = H3.CORE.getResolution(cells[id]) == RESOLUTION ? cells[id]
                    : H3.CORE.cellToParent(cells[id], RESOLUTION);
            }
            int occupied = 0;
            for (int id = 0; id < count; id++) {
                if (byCell[id].length > 0) {
                    occupied++;
                }
            }
            final long[] distinct = new long[occupied];
            for (int id = 0, k = 0; id < count; id++) {
                if (byCell[id].length > 0) {
                    distinct[k++] = parent[id];
                }
            }
            Arrays.sort(distinct);
            int groups = 0;
            for (int k = 0; k < distinct.length; k++) {
                if (k == 0 || distinct[k] != distinct[k - 1]) {
                    distinct[groups++] = distinct[k];
                }
            }
            g.address = Arrays.copyOf(distinct, groups);
            g.cellGroup = new int[count];
            g.first = new int[groups + 1];
            for (int id = 0; id < count; id++) {
                g.cellGroup[id] = byCell[id].length > 0 ? Arrays.binarySearch(g.address, parent[id]) : -1;
                if (g.cellGroup[id] >= 0) {
                    g.first[g.cellGroup[id] + 1]++;
                }
            }
            for (int k = 0; k < groups; k++) {
                g.first[k + 1] += g.first[k];
            }
            g.cell = new int[occupied];
            final int[] fill = Arrays.copyOf(g.first, groups);
            for (int id = 0; id < count; id++) {
                if (g.cellGroup[id] >= 0) {
                    g.cell[fill[g.cellGroup[id]]++] = id;
                }
            }
            g.lat = new double[groups];
            g.lon = new double[groups];
            g.radiusKm = new double[groups];
            for (int k = 0; k < groups; k++) {
                final LatLng c = H3.CORE.cellToLatLng(g.address[k]);
                g.lat[k] = c.lat;
                g.lon[k] = c.lng;
                double r = 0;
                for (int i = g.first[k]; i < g.first[k + 1]; i++) {
                    final int id = g.cell[i];
                    r = Math.max(r, Geo.distanceKm(c.lat, c.lng, centerLat[id], centerLon[id]) + radiusKm[id]);
                }
                g.radiusKm[k] = r;
            }
            g.decidedArea = new long[resolutionOfArea.size()];
            final Long2LongHashMap.KeyIterator it = resolutionOfArea.keySet().iterator();
            for (int k = 0; it.hasNext(); k++) {
                g.decidedArea[k] = it.nextValue();
            }
            Arrays.sort(g.decidedArea);
            g.decidedResolution = new byte[g.decidedArea.length];
            for (int k = 0; k < g.decidedArea.length; k++) {
                g.decidedResolution[k] = (byte) resolutionOfArea.get(g.decidedArea[k]);
            }
            return g;
        }
    }

    /** The minutes of the week (Monday 00:00 = 0) the periods cover, as a bitmap; overnight ones run into the next day. */
    static long[] openMinutes(final List<WeeklyHours> hours) {
        final long[] bits = new long[(MINUTES_PER_WEEK + 63) / 64];
        for (final WeeklyHours h : hours) {
            final int from = h.from().toSecondOfDay() / 60;
            final int to = h.overnight() ? h.to().toSecondOfDay() / 60 + 24 * 60 : h.to().toSecondOfDay() / 60;
            for (final DayOfWeek day : h.days()) {
                final int base = (day.getValue() - 1) * 24 * 60;
                for (int m = from; m < to; m++) {
                    final int w = (base + m) % MINUTES_PER_WEEK;
                    bits[w >>> 6] |= 1L << w;
                }
            }
        }
        return bits;
    }

    /** Distance from the centre to the farthest vertex: no point of the cell is farther. */
    static double circumradiusKm(final long cell, final LatLng center) {
        final List<LatLng> boundary = H3.CORE.cellToBoundary(cell);
        double max = 0;
        for (final LatLng v : boundary) {
            max = Math.max(max, Geo.distanceKm(center.lat, center.lng, v.lat, v.lng));
        }
        return max;
    }

    /** The directory this table was built from: the one every index reader should resolve against. */
    public Directory directory() {
        return directory;
    }

    /** Number of cells (ids are {@code 0..cellCount()-1}). */
    public int cellCount() {
        return cells.length;
    }

    /** Id of an H3 cell, or -1 when no practitioner is in it. Allocation-free. */
    public int idOf(final long cell) {
        int lo = 0;
        int hi = idsByAddress.length - 1;
        while (lo <= hi) {
            final int mid = (lo + hi) >>> 1;
            final long c = cells[idsByAddress[mid]];
            if (c < cell) {
                lo = mid + 1;
            } else if (c > cell) {
                hi = mid - 1;
            } else {
                return idsByAddress[mid];
            }
        }
        return -1;
    }

    /** The H3 cell of an id. */
    public long cell(final int id) {
        return cells[id];
    }

    public double centerLat(final int id) {
        return centerLat[id];
    }

    public double centerLon(final int id) {
        return centerLon[id];
    }


    /** No point of the cell is farther than this from its centre, km. */
    public double radiusKm(final int id) {
        return radiusKm[id];
    }

    /** Dense index of a unit word (0..{@link #unitCount()}-1), or -1 for a hole, an unknown index or site. */
    public int unitIndex(final int unit) {
        return unitIndexIn(unit, capacity, entryOf, multiSite, extraBase);
    }

    /** {@link #unitIndex} with {@code placed[p] < 0} for a hole: the unit's cell while building, its entry after. */
    private static int unitIndexIn(final int unit, final int capacity, final int[] placed, final int[] multiSite,
                                   final int[] extraBase) {
        final int p = SlotDescriptor.practitionerOf(unit);
        if (p >= capacity || placed[p] < 0) {
            return -1;
        }
        final int site = SlotDescriptor.siteOf(unit);
        if (site == 0) {
            return p;
        }
        final int k = Arrays.binarySearch(multiSite, p);
        return k >= 0 && site <= extraBase[k + 1] - extraBase[k] ? capacity + extraBase[k] + site - 1 : -1;
    }

    /**
     * Entry of a unit word (its position in cell order: the index of its {@link UnitSummary}
     * words and of the per-entry accessors), or -1. A main site costs one array read.
     */
    public int entryOf(final int unit) {
        final int u = unit == SlotDescriptor.practitionerOf(unit) && unit < capacity ? unit : unitIndex(unit);
        return u < 0 ? -1 : entryOf[u];
    }

    /** First entry of cell {@code id}; its entries end before {@link #endEntry}. */
    public int firstEntry(final int id) {
        return (int) cellRange[id];
    }

    /** One past the last entry of cell {@code id}. */
    public int endEntry(final int id) {
        return (int) (cellRange[id] >>> 32);
    }

    /** Unit word of an entry. */
    public int entryUnit(final int e) {
        return (int) entryData[e * ENTRY_LONGS];
    }

    /** {@code true} when the entry's practitioner does not participate in the SAS (participation NONE). */
    public boolean entryNonParticipant(final int e) {
        return (entryData[e * ENTRY_LONGS] & (1L << NON_PARTICIPANT_BIT)) != 0;
    }

    /**
     * The order class of a unit in the slot chains (SlotIndex, "Chain order"): profession ordinal
     * × 2, plus 1 for a non-participant, the order of a cell's entries (0 for GP participants);
     * 7 for a unit not in this table.
     */
    public int chainClass(final int unit) {
        final int e = entryOf(unit);
        if (e < 0) {
            return SlotDescriptor.CLASS_MASK;
        }
        final long w = entryData[e * ENTRY_LONGS];
        return chainClassOf((int) ((w >>> 32) & 0b11), (w & (1L << NON_PARTICIPANT_BIT)) != 0);
    }

    /** A cell's order of entries, and the chains': by profession, participants first. */
    private static int chainClassOf(final int profession, final boolean nonParticipant) {
        return 2 * profession + (nonParticipant ? 1 : 0);
    }

    /**
     * RPPS of an entry's practitioner. A plain read of a word the writer may be storing a hint
     * into: the key's bits are the same in every value the word takes, so even a read torn
     * between two of them (the JLS allows it for plain longs) gives the key.
     */
    public long entryRpps(final int e) {
        return entryData[e * ENTRY_LONGS + 1] & keyMask;
    }

    /**
     * The entry's office hint: a record of its unit whose modalities include office, not GONE
     * and not begun by the writer's clock when it was set, that no other such record of the unit
     * in its cell's chains starts before or at the same minute; or -1 (none, or no longer known). What a search may take, once it
     * has checked the record is still that unit's, free and in the hour it wants, for the unit's
     * earliest free office slot of that hour without walking the chain (see {@link SlotIndex},
     * "Office hints"). Any thread; acquire, so that the record named is seen whole.
     */
    public int hint(final int e) {
        // ~keyMask is 0 in a table without hints: -1 whatever the key's high bits.
        return (int) ((((long) ENTRY_WORD.getAcquire(entryData, e * ENTRY_LONGS + 1) & ~keyMask) >>> HINT_SHIFT) - 1);
    }

    /** {@code true} when this table keeps hints (every practitioner key fits below them). */
    boolean keepsHints() {
        return keyMask == KEY_MASK;
    }

    /**
     * Sets the entry's office hint to {@code record}, or to none for -1 or a record beyond
     * {@link #MAX_HINTED_RECORD}. Writer thread only (a release store of the whole word, whose
     * key bits never change).
     */
    void hint(final int e, final int record) {
        if (keyMask != KEY_MASK) {
            return;
        }
        final int at = e * ENTRY_LONGS + 1;
        final long key = entryData[at] & KEY_MASK;
        final long h = record < 0 || record > MAX_HINTED_RECORD ? 0 : record + 1L;
        ENTRY_WORD.setRelease(entryData, at, key | h << HINT_SHIFT);
    }

    /** Entries (units placed in a cell). */
    int entryCount() {
        return entryData.length / ENTRY_LONGS;
    }

    /** Latitude of an entry's site. */
    public double entryLat(final int e) {
        return Double.longBitsToDouble(entryData[e * ENTRY_LONGS + 2]);
    }

    /** Longitude of an entry's site. */
    public double entryLon(final int e) {
        return Double.longBitsToDouble(entryData[e * ENTRY_LONGS + 3]);
    }

    /** Number of units (sites of every practitioner). */
    public int unitCount() {
        return entryOf.length;
    }

    /** Number of sites of a practitioner (0 for a hole or an unknown index). */
    public int siteCount(final int practitioner) {
        if (practitioner < 0 || practitioner >= capacity || entryOf[practitioner] < 0) {
            return 0;
        }
        final int k = Arrays.binarySearch(multiSite, practitioner);
        return k < 0 ? 1 : 1 + extraBase[k + 1] - extraBase[k];
    }

    /** Cell id of a unit (a bare practitioner index: its main site), or -1 for a hole or an unknown index. */
    public int cellOf(final int unit) {
        final int u = unitIndex(unit);
        final int e = u < 0 ? -1 : entryOf[u];
        return e < 0 ? -1 : (int) (entryData[e * ENTRY_LONGS] >>> CELL_SHIFT);
    }

    /** Number of practitioner positions (the directory's capacity when built). */
    public int practitionerCapacity() {
        return capacity;
    }

    /** Latitude of a unit's site (a bare practitioner index: the main site). */
    public double lat(final int unit) {
        return entryLat(entryOf[unitIndex(unit)]);
    }

    /** Longitude of a unit's site. */
    public double lon(final int unit) {
        return entryLon(entryOf[unitIndex(unit)]);
    }

    /** Latitude of the unit with dense index {@code u}. */
    public double latOfIndex(final int u) {
        return entryLat(entryOf[u]);
    }

    /** Longitude of the unit with dense index {@code u}. */
    public double lonOfIndex(final int u) {
        return entryLon(entryOf[u]);
    }

    /** {@link fr.creneau.directory.Profession} ordinal of a practitioner. */
    public int profession(final int practitioner) {
        return profession[practitioner];
    }

    /** Accepts patients on top of their appointments (surnuméraire). */
    public boolean acceptsExtraPatients(final int practitioner) {
        return acceptsExtraPatients[practitioner];
    }

    /**
     * Dense index of the contact a practitioner registered through (a directory structure of any
     * kind, or an inline CPTS), or -1.
     */
    public int cptsIndex(final int practitioner) {
        return cptsIndex[practitioner];
    }

    /** Dense index of the contact with that structure or CPTS id, or -1. Allocation-free. */
    public int contactIndexOf(final String id) {
        final Integer c = contactById.get(id);
        return c == null ? -1 : c;
    }

    /** The contact with that dense index, as id, name and phone (a structure's own). */
    public Cpts cpts(final int index) {
        return cpts[index];
    }

    /** The directory structure of a contact, or {@code null} for an inline CPTS. */
    public Structure structure(final int index) {
        return structures[index];
    }

    /** Number of distinct contacts (structures and inline CPTS) practitioners registered through. */
    public int cptsCount() {
        return cpts.length;
    }

    /**
     * {@code true} when the contact is open at {@code minuteOfWeek} (local time of its territory,
     * Monday 00:00 = 0). Allocation-free.
     */
    public boolean openAt(final int contact, final int minuteOfWeek) {
        final long[] bits = openMinutes[contact];
        return bits == null || (bits[minuteOfWeek >>> 6] & (1L << minuteOfWeek)) != 0;
    }

    /** Number of groups (ids {@code 0..groupCount()-1}, ascending by H3 address). */
    public int groupCount() {
        return groupAddress.length;
    }

    /** Id of the group of a resolution-7 H3 cell, or -1 when no unit is in any of its cells. Allocation-free. */
    public int groupIdOf(final long area) {
        final int g = Arrays.binarySearch(groupAddress, area);
        return g < 0 ? -1 : g;
    }

    /** First index of a group's cells in {@link #groupCell}; they end at {@code groupFirstCell(group + 1)}. */
    public int groupFirstCell(final int group) {
        return groupFirst[group];
    }

    /** The cell id at position {@code i} of the groups' cell list. */
    public int groupCell(final int i) {
        return groupCell[i];
    }

    /** The walk's blocks (see {@link #WALK_LONGS}); must not be modified. */
    public long[] walkData() {
        return walkData;
    }

    /** Offset of a group's block in {@link #walkData()}: its cell count, then its cells' records. */
    public int groupWalkOffset(final int group) {
        return groupWalk[group];
    }

    /** Offset of a cell's record in {@link #walkData()}, or -1 for a cell no unit is in. */
    public int cellWalkOffset(final int cell) {
        return cellWalk[cell];
    }

    public double groupCenterLat(final int group) {
        return groupLat[group];
    }

    public double groupCenterLon(final int group) {
        return groupLon[group];
    }

    /** No point of any cell of the group is farther than this from the group's centre, km. */
    public double groupRadiusKm(final int group) {
        return groupRadiusKm[group];
    }

    /** The group of a cell, or -1 when no unit is in it. */
    public int groupOf(final int cell) {
        return cellGroup[cell];
    }

    /** The resolution the cells of a resolution-7 area are keyed at, or -1 when not decided (no unit was ever there). */
    public int resolutionOfArea(final long area) {
        final int k = Arrays.binarySearch(decidedArea, area);
        return k < 0 ? -1 : decidedResolution[k];
    }

    /**
     * The H3 cell this table keys a site at that position in: its resolution-7 area's cell at the
     * area's decided resolution ({@link #RESOLUTION} for an area no unit was ever in). Calls h3.
     */
    public long cellAt(final double lat, final double lon) {
        final long area = H3.CORE.latLngToCell(lat, lon, RESOLUTION);
        final int r = resolutionOfArea(area);
        return r <= RESOLUTION ? area : H3.CORE.latLngToCell(lat, lon, r);
    }

    /** Heap bytes of the primitive arrays, for the stats. */
    long heapBytes() {
        long bytes = cells.length * (8L + 8 + 8 + 8 + 16) + capacity * (1L + 1 + 4) + (multiSite.length + extraBase.length) * 4L
            + entryData.length * 8L + entryOf.length * 4L + cellRange.length * 8L;
        bytes += groupAddress.length * (8L + 4 + 8 + 8 + 8) + groupCell.length * 4L + walkData.length * 8L
            + groupWalk.length * 4L + cellWalk.length * 4L + cellGroup.length * 4L
            + decidedArea.length * 9L;
        return bytes + idsByAddress.length * 4L + summary.heapBytes();
    }
}
