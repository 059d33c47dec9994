package fr.creneau.index;

/**
 * What a host may do with the slot index: read it. Cursors, the cell table, a slot by identity, a
 * record's fields and state, statistics. The writer's methods ({@code replace},
 * {@code updateDirectory}, {@code advance}) and the state transitions ({@code casState},
 * {@code retire}) are not here: the first must go through the {@link fr.creneau.Creneau} facade,
 * whose lock keeps the index to one writer, the second through its booking service, which
 * journals them. A final class rather than an interface, so it cannot be cast back to
 * {@link SlotIndex}.
 *
 * <p>Thread-safety: every method may be called from any thread, as on {@link SlotIndex}.
 */
public final class IndexView {
    private final SlotIndex index;

    IndexView(final SlotIndex index) {
        this.index = index;
    }

    /** The current cell table. */
    public CellTable cells() {
        return index.cells();
    }

    /** A new cursor for the calling thread (reuse it: it allocates nothing once created). */
    public SlotCursor cursor() {
        return index.cursor();
    }

    /** See {@link SlotIndex#findSlot}. */
    public int findSlot(final int practitioner, final int source, final int startMinute) {
        return index.findSlot(practitioner, source, startMinute);
    }

    /** See {@link SlotIndex#stateWord}. */
    public int stateWord(final int record) {
        return index.stateWord(record);
    }

    /** Start minute of a record. */
    public int startMinute(final int record) {
        return index.startMinute(record);
    }

    /** Practitioner of a record. */
    public int practitioner(final int record) {
        return index.practitioner(record);
    }

    /** Packed duration, modalities and source of a record (see {@link SlotDescriptor}). */
    public int packed(final int record) {
        return index.packed(record);
    }

    /** Memory and content. */
    public IndexStats stats() {
        return index.stats();
    }
}
