package fr.creneau.booking;

/**
 * Told of every journal write or force failure (a full disk, an I/O error): the host's alarm,
 * since a failure seen only by the operator whose hold failed is easily missed. Called on the
 * thread that met the failure, once per failure; must be thread-safe and quick; an exception it
 * throws is counted ({@link BookingStats#listenerFailures()}) and ignored.
 */
@FunctionalInterface
public interface JournalFailureListener {
    /** {@link JournalWriteException#journalStopped()} says whether the journal still takes records. */
    void onJournalFailure(JournalWriteException failure);
}
