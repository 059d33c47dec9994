package fr.creneau.index;

/**
 * Layout of one slot record: 20 bytes, little-endian, in a direct {@link java.nio.ByteBuffer} page
 * of {@link #RECORDS_PER_PAGE} records.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-----------------------------------------------------------+---+
 *  |            Version (29 bits, +1 per transition)         |U|St |  0  state word (CAS)
 *  +---------------------------------------------------------+-+---+
 *  |  Site (8 bits) |      Practitioner (directory index, 24 bits)  |  4  unit word
 *  +---------------------------------------------------------------+
 *  |           Start (minutes since 2020-01-01T00:00Z)             |  8
 *  +-------------------------------+---------------+---------------+
 *  |     Duration (minutes)        |P| Modalities  |    Source     | 12
 *  +-------------------------------+---------------+---------------+
 *  |   Next record in the same (bucket, cell) chain, or -1         | 16
 *  +---------------------------------------------------------------+
 *  St: 0 FREE, 1 HELD, 2 BOOKED, 3 GONE.   P: 1 = PROFESSIONAL visibility, 0 = PUBLIC.
 *  Class: chain class (profession and participation, see CLASS_SHIFT), in flags bits 4-6.
 *  U: unlisted: held or booked, and the vendor's latest snapshot no longer lists it (it must go,
 *     not become free, when its hold ends).   A GONE word holds the removal sequence as version.
 *  Modalities: bit 0 OFFICE, bit 1 TELECONSULTATION, bit 2 HOME_VISIT.   Source: vendor id, 0 manual.
 *  Site: ordinal of the slot's site in its practitioner's sites (0 the main one).
 * </pre>
 * <b>The unit is the site.</b> The word at offset 4 names a (practitioner, site) pair, the
 * index's unit: it is keyed by the unit's cell and ranked by the distance to the unit's site. The
 * main site's unit word is the practitioner's directory index itself (site 0), so single-site
 * directories read exactly as before; the site costs no byte (24 bits hold 16M practitioners, the
 * directory checks it) and the record stays 20 bytes.
 * Every field but the state word and the link is written once, before the record is published
 * by a release store (of its chain head, or of its predecessor's link: SlotIndex, "Chain
 * order"), and never again while the record's bucket lives: readers cannot see a torn record.
 * The link changes when the writer links a later record after this one, by a release store that
 * readers match with an acquire read of it.
 *
 * <p><b>A location's next life.</b> When a bucket expires its pages are written again for another
 * hour, with plain stores. Readers take no lock, so what keeps a reader from mixing two lives of a
 * record is that a freed page is not written again until (a) no cursor between
 * {@link SlotCursor#begin} and {@link SlotCursor#end} announces an epoch older than the page's,
 * and (b) {@link SlotIndex#GRACE_MINUTES} have passed on the index's clock. Every query of the
 * {@link fr.creneau.rank.Searcher} is begun and ended, so (a) protects it whatever the clock does;
 * a cursor used with {@link SlotCursor#open} alone relies on (b): <em>its walk must not last an
 * hour</em>. A cursor's window is also clamped to the live hours, so it never walks a ring
 * position of a bucket the writer does not hold. Nothing of a previous life but the version
 * reaches the next one: the unlisted flag is cleared when a record is written.
 *
 * <p>The state word changes only by compare-and-set, its version rising by one at each
 * transition, so a hold token that carries the version cannot act on a later life of the slot.
 *
 * <p>There is no link between the records of one practitioner: the writer finds them by walking
 * the practitioner's cell (see {@link SlotIndex}), which saves 4 bytes a slot and a map entry per
 * (practitioner, source).
 */
public final class SlotDescriptor {
    /** Bytes per record. */
    public static final int LENGTH = 20;
    /** Records per page: 1024 × 20 B = 20 KiB pages, small enough that the 51 partly filled pages of the live buckets waste little; a record index is {@code page << 10 | slot}. */
    public static final int RECORDS_PER_PAGE_SHIFT = 10;
    public static final int RECORDS_PER_PAGE = 1 << RECORDS_PER_PAGE_SHIFT;
    public static final int PAGE_BYTES = RECORDS_PER_PAGE * LENGTH;

    public static final int STATE_WORD_OFFSET = 0;
    public static final int PRACTITIONER_OFFSET = 4;
    public static final int START_OFFSET = 8;
    /** Duration (low 16 bits), flags (next 8 bits: modalities and visibility), source (high 8 bits). */
    public static final int PACKED_OFFSET = 12;
    public static final int NEXT_IN_CELL_OFFSET = 16;

    /** Unit word: the site ordinal above the practitioner's 24 bits. */
    public static final int SITE_SHIFT = 24;
    /** Most practitioners a directory the index keys may have (their indices fit 24 bits). */
    public static final int MAX_PRACTITIONERS = 1 << SITE_SHIFT;
    static final int PRACTITIONER_MASK = MAX_PRACTITIONERS - 1;

    public static final int STATE_FREE = 0;
    public static final int STATE_HELD = 1;
    public static final int STATE_BOOKED = 2;
    public static final int STATE_GONE = 3;
    static final int STATE_MASK = 0b11;
    /** Set on a held or booked record that the latest snapshot of its source no longer lists. */
    public static final int UNLISTED_FLAG = 0b100;
    private static final int VERSION_SHIFT = 3;

    static final int PROFESSIONAL_FLAG = 1 << 3;
    static final int MODALITY_MASK = 0b111;

    /** End of a chain. */
    public static final int NIL = -1;

    private SlotDescriptor() {
    }

    /** State (0..3) of a state word. */
    public static int state(final int stateWord) {
        return stateWord & STATE_MASK;
    }

    /** Version of a state word (for a GONE word: the removal sequence). */
    public static int version(final int stateWord) {
        return stateWord >>> VERSION_SHIFT;
    }

    /** {@code true} when the unlisted flag is set. */
    public static boolean unlisted(final int stateWord) {
        return (stateWord & UNLISTED_FLAG) != 0;
    }

    /**
     * The state word after a transition to {@code state}: version + 1 (wrapping in 29 bits), the
     * unlisted flag kept.
     */
    public static int transition(final int stateWord, final int state) {
        return ((stateWord & ~STATE_MASK) + (1 << VERSION_SHIFT)) | state;
    }

    /** A GONE state word for removal {@code sequence}. */
    static int gone(final int sequence) {
        return (sequence << VERSION_SHIFT) | STATE_GONE;
    }

    /**
     * The chain class, bits 20-22 (flags bits 4-6): {@link CellTable#chainClass} of the record's
     * unit when it was written, the key a unit's first record in a chain is placed by (SlotIndex,
     * "Chain order"). Part of the packed word, so a snapshot that finds a slot's class changed
     * (the practitioner joined or left the SAS) writes it anew, in its new place, as it does any
     * changed slot: a held or booked one keeps its record, marked unlisted, so it goes when its
     * hold ends and the next snapshot lists it anew.
     */
    static final int CLASS_SHIFT = 20;
    static final int CLASS_MASK = 0b111;

    /** Chain class of a packed word. */
    static int chainClass(final int packed) {
        return (packed >>> CLASS_SHIFT) & CLASS_MASK;
    }

    /** {@code packed} with chain class {@code chainClass} (0..7). */
    static int withClass(final int packed, final int chainClass) {
        return (packed & ~(CLASS_MASK << CLASS_SHIFT)) | ((chainClass & CLASS_MASK) << CLASS_SHIFT);
    }

    static int pack(final int durationMinutes, final int modalities, final boolean professional, final int source) {
        return (durationMinutes & 0xFFFF) | ((modalities | (professional ? PROFESSIONAL_FLAG : 0)) << 16)
            | (source << 24);
    }

    /** Duration in minutes of a packed word ({@link SlotIndex#packed}). */
    public static int duration(final int packed) {
        return packed & 0xFFFF;
    }

    /** Modality set ({@link fr.creneau.feed.Modality#bit()}) of a packed word. */
    public static int modalities(final int packed) {
        return (packed >>> 16) & MODALITY_MASK;
    }

    static boolean professional(final int packed) {
        return ((packed >>> 16) & PROFESSIONAL_FLAG) != 0;
    }

    /** Source (vendor id, 0 manual) of a packed word. */
    public static int source(final int packed) {
        return packed >>> 24;
    }

    /** The unit word of a practitioner's site: equal to {@code practitioner} for the main site (0). */
    public static int unit(final int practitioner, final int site) {
        return (site << SITE_SHIFT) | practitioner;
    }

    /** Practitioner (directory index) of a unit word. */
    public static int practitionerOf(final int unit) {
        return unit & PRACTITIONER_MASK;
    }

    /** Site ordinal of a unit word. */
    public static int siteOf(final int unit) {
        return unit >>> SITE_SHIFT;
    }

    static int page(final int record) {
        return record >>> RECORDS_PER_PAGE_SHIFT;
    }

    static int offset(final int record) {
        return (record & (RECORDS_PER_PAGE - 1)) * LENGTH;
    }
}
