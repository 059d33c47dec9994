package fr.creneau.slot;

/**
 * What a host may do with the slot index: read a slot's record by its identity, its state and
 * fields, and the index's statistics. The writer's methods (snapshot replacement, directory
 * changes, expiry) and the state transitions are not here: the first go through the
 * {@link fr.creneau.Creneau} facade, whose lock keeps the index to one writer, the second through
 * its booking service, which journals them. The implementation lives in the engine's internal
 * {@code fr.creneau.index} package, which its module does not export.
 *
 * <p>Records are {@code int} handles valid while their hour is live. Thread-safety: every method
 * may be called from any thread, lock-free.
 */
public interface IndexView {
    /** State of a free slot (see {@link #state}). */
    int FREE = 0;
    /** State of a slot held by an operator. */
    int HELD = 1;
    /** State of a booked slot. */
    int BOOKED = 2;
    /** State of a record that no longer is a slot (removed by its vendor, or expired). */
    int GONE = 3;

    /**
     * The record of a slot that is not gone, by identity, or -1.
     *
     * @param practitioner directory index ({@link fr.creneau.directory.Directory#indexOf})
     * @param source       vendor id ({@link fr.creneau.directory.Vendor#id()}), 0 for manual slots
     * @param startMinute  start, minutes since 2020-01-01T00:00Z ({@link Minutes})
     */
    int findSlot(int practitioner, int source, int startMinute);

    /** The state word of a record: state in the low 2 bits, then flags and version. */
    int stateWord(int record);

    /** {@link #FREE}, {@link #HELD}, {@link #BOOKED} or {@link #GONE}. */
    default int state(final int record) {
        return stateWord(record) & 0b11;
    }

    /** Start minute of a record. */
    int startMinute(int record);

    /** Practitioner (directory index) of a record. */
    int practitioner(int record);

    /** Memory and content. */
    IndexStats stats();
}
