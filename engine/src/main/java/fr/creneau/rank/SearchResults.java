package fr.creneau.rank;

import java.time.Instant;

import fr.creneau.calendar.CareChannel;
import fr.creneau.calendar.CareHours;
import fr.creneau.directory.Address;
import fr.creneau.directory.Cpts;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Opening;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Site;
import fr.creneau.directory.Structure;
import fr.creneau.feed.Modality;
import fr.creneau.index.CellTable;
import fr.creneau.slot.Minutes;

/**
 * The rows of one search, in rank order: a reusable holder of parallel primitive arrays, filled by
 * {@link Searcher#search} without allocating. Rows are read by index, {@code 0..size()-1}. The
 * accessors returning text ({@link #name}, {@link #phone}) hand out the directory's own strings;
 * {@link #start(int)} and {@link #end(int)} create an {@link Instant} and are for the host side.
 *
 * <p>Not thread-safe: one per searching thread, valid until the next search into it.
 */
public final class SearchResults {
    /** Most rows a search may ask for. */
    public static final int MAX_ROWS = 100;

    final ResultKind[] kind = new ResultKind[MAX_ROWS];
    final BookingMethod[] booking = new BookingMethod[MAX_ROWS];
    final int[] practitioner = new int[MAX_ROWS];
    final int[] cpts = new int[MAX_ROWS];
    /** Site ordinal in the practitioner's sites, or -1 on a structure row. */
    final int[] site = new int[MAX_ROWS];
    final int[] record = new int[MAX_ROWS];
    final int[] startMinute = new int[MAX_ROWS];
    final int[] endMinute = new int[MAX_ROWS];
    final int[] source = new int[MAX_ROWS];
    final double[] distanceKm = new double[MAX_ROWS];
    /**
     * The directory structure a CPTS, STRUCTURE or PDSA row proposes (its opening hours decide
     * {@link #reachableFrom}), else {@code null}; an inline CPTS has none (reached in the SAS hours).
     */
    final Structure[] structure = new Structure[MAX_ROWS];
    /** A PDSA shift's own phone, else {@code null}. */
    final String[] phoneOverride = new String[MAX_ROWS];
    CareChannel channel = CareChannel.SAS;
    CareHours hours;
    String departement;
    int nowMinute;
    Modality modality;
    Directory directory;
    CellTable cells;
    int size;
    boolean mtUnknown;

    void clear(final Directory directory, final CellTable cells, final Modality modality) {
        this.directory = directory;
        this.cells = cells;
        this.modality = modality;
        this.size = 0;
        this.mtUnknown = false;
    }

    void context(final CareChannel channel, final CareHours hours, final String departement, final int nowMinute) {
        this.channel = channel;
        this.hours = hours;
        this.departement = departement;
        this.nowMinute = nowMinute;
    }

    int addStructure(final Structure s, final double km, final String phone) {
        final int i = add(ResultKind.PDSA, -1, -1, km);
        structure[i] = s;
        phoneOverride[i] = phone;
        return i;
    }

    int add(final ResultKind k, final int p, final int cptsIndex, final double km) {
        final int i = size++;
        kind[i] = k;
        practitioner[i] = p;
        cpts[i] = cptsIndex;
        site[i] = p < 0 ? -1 : 0;
        distanceKm[i] = km;
        record[i] = -1;
        startMinute[i] = 0;
        endMinute[i] = 0;
        source[i] = -1;
        booking[i] = BookingMethod.PHONE;
        structure[i] = null;
        phoneOverride[i] = null;
        return i;
    }

    void site(final int i, final int siteOrdinal) {
        site[i] = siteOrdinal;
    }

    void slot(final int i, final int rec, final int start, final int end, final int src, final BookingMethod method) {
        record[i] = rec;
        startMinute[i] = start;
        endMinute[i] = end;
        source[i] = src;
        booking[i] = method;
    }

    /** Number of rows. */
    public int size() {
        return size;
    }

    /** {@code true} when the query named a médecin traitant who is not in the directory. */
    public boolean medecinTraitantUnknown() {
        return mtUnknown;
    }

    public ResultKind kind(final int row) {
        return kind[row];
    }

    public BookingMethod booking(final int row) {
        return booking[row];
    }

    /** The modality the search asked for. */
    public Modality modality() {
        return modality;
    }

    /** Directory index of the practitioner, or -1 for a CPTS, STRUCTURE or structure PDSA row. */
    public int practitioner(final int row) {
        return practitioner[row];
    }

    /** RPPS of the practitioner, or -1 for a CPTS row. */
    public long rpps(final int row) {
        final int p = practitioner[row];
        return p < 0 ? -1 : directory.get(p).rpps();
    }

    /** The practitioner of the row, or {@code null} for a CPTS row. */
    public Practitioner practitionerEntry(final int row) {
        final int p = practitioner[row];
        return p < 0 ? null : directory.get(p);
    }

    /**
     * The contact of a CPTS or STRUCTURE row as id, name and phone (a directory structure's own),
     * or {@code null} on a practitioner's row.
     */
    public Cpts cpts(final int row) {
        return cpts[row] < 0 ? null : cells.cpts(cpts[row]);
    }

    /**
     * The directory structure of a CPTS, STRUCTURE or PDSA row, or {@code null} (a practitioner's
     * row, an inline CPTS).
     */
    public Structure structure(final int row) {
        if (structure[row] != null) {
            return structure[row];
        }
        return cpts[row] < 0 ? null : cells.structure(cpts[row]);
    }

    /**
     * The practitioner's site of the row: the slot's, or for a row without slot the one nearest the
     * patient; {@code null} on a structure row.
     */
    public Site site(final int row) {
        return site[row] < 0 ? null : directory.get(practitioner[row]).sites().get(site[row]);
    }

    /** Postal address of the row's site or structure, or {@code null} when unknown. */
    public Address address(final int row) {
        final Site s = site(row);
        if (s != null) {
            return s.address();
        }
        final Structure st = structure(row);
        return st == null ? null : st.address();
    }

    /**
     * {@code true} when the row's position is its commune's, not its own (a site or structure known
     * by address only): its distance is approximate too.
     */
    public boolean approximate(final int row) {
        final Site s = site(row);
        if (s != null) {
            return s.approximate();
        }
        final Structure st = structure(row);
        return st != null && st.approximate();
    }

    /** Practitioner, CPTS or structure name. */
    public String name(final int row) {
        if (structure[row] != null) {
            return structure[row].name();
        }
        return practitioner[row] < 0 ? cells.cpts(cpts[row]).name() : directory.get(practitioner[row]).name();
    }

    /**
     * Number to call: the shift's when the roster gave one; the structure's on a STRUCTURE or PDSA
     * structure row; the CPTS's on a CPTS row; for the médecin traitant the phone they reserved for
     * the regulation when there is one; else the row's site's (the practitioner's when the site has
     * none of its own).
     */
    public String phone(final int row) {
        if (phoneOverride[row] != null) {
            return phoneOverride[row];
        }
        if (structure[row] != null) {
            return structure[row].phone();
        }
        if (practitioner[row] < 0) {
            return cells.cpts(cpts[row]).phone();
        }
        final Practitioner p = directory.get(practitioner[row]);
        return kind[row] == ResultKind.MEDECIN_TRAITANT && p.regulationPhone() != null ? p.regulationPhone() : site(row).phone();
    }

    /** The channel open at the query's "now" (SAS daytime or PDSA). */
    public CareChannel channel() {
        return channel;
    }

    /** The département the query was resolved to, or {@code null}. */
    public String departement() {
        return departement;
    }

    /** When the channel changes next (the PDSA hands over at 08:00), or {@code null}. Allocates. */
    public Instant channelUntil() {
        try {
            return hours == null ? null : hours.nextChangeAfter(Minutes.toInstant(nowMinute)).orElse(null);
        } catch (final fr.creneau.calendar.HolidayRangeException e) {
            return null; // beyond the holiday data: unknown
        }
    }

    /**
     * From when the row's contact can be reached: {@code null} when now, or when the row is a slot;
     * else the instant. A practitioner without slot (the MT, a surnuméraire doctor) and a CPTS are
     * reached in the SAS daytime hours of the patient's territory; a STRUCTURE row in its structure's
     * opening hours (a closed one is still proposed, after the open ones of its group); a PDSA row is
     * on duty or open now. Allocates (host side).
     */
    public Instant reachableFrom(final int row) {
        if (record[row] >= 0 || kind[row] == ResultKind.PDSA || hours == null) {
            return null;
        }
        final Instant now = Minutes.toInstant(nowMinute);
        if (structure[row] != null) {
            final Instant opens = Opening.nextOpening(structure[row].hours(), now, structure[row].territory().zone());
            return now.equals(opens) ? null : opens;
        }
        if (channel == CareChannel.SAS) {
            return null;
        }
        try {
            return hours.nextChangeAfter(now).orElse(null);
        } catch (final fr.creneau.calendar.HolidayRangeException e) {
            return null; // beyond the holiday data: unknown, shown as reachable
        }
    }

    /** Great-circle distance from the patient, km: to the row's site (to the nearest member's site for a structure row). */
    public double distanceKm(final int row) {
        return distanceKm[row];
    }

    /** {@code true} when the row carries a slot. */
    public boolean hasSlot(final int row) {
        return record[row] >= 0;
    }

    /** Index record of the slot (for booking), or -1. */
    public int record(final int row) {
        return record[row];
    }

    /** Slot start, minutes since 2020-01-01T00:00Z (0 without slot). */
    public int startMinute(final int row) {
        return startMinute[row];
    }

    /** Slot end, minutes since 2020-01-01T00:00Z (0 without slot). */
    public int endMinute(final int row) {
        return endMinute[row];
    }

    /** Slot source: vendor id, 0 manual, -1 without slot. */
    public int source(final int row) {
        return source[row];
    }

    /** The public id of the row's slot, or {@code null} without slot. Allocates. */
    public fr.creneau.slot.SlotId slotId(final int row, final fr.creneau.directory.VendorRegistry vendors) {
        return record[row] < 0 ? null
            : fr.creneau.slot.SlotId.of(vendors, source[row], directory.get(practitioner[row]).rpps(), startMinute[row]);
    }

    /** Slot start, or {@code null} without slot. Allocates. */
    public Instant start(final int row) {
        return record[row] < 0 ? null : Minutes.toInstant(startMinute[row]);
    }

    /** Slot end, or {@code null} without slot. Allocates. */
    public Instant end(final int row) {
        return record[row] < 0 ? null : Minutes.toInstant(endMinute[row]);
    }
}
