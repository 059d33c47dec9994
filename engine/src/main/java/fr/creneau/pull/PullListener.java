package fr.creneau.pull;

/**
 * Told of each batch's outcome and each cycle's end. Called from the vendor's own threads, several
 * vendors at once: an implementation must be thread-safe, and quick (a slow listener delays that
 * vendor's next batch, never another vendor's). An exception it throws is logged and ignored.
 */
public interface PullListener {
    /** A batch was answered and applied. */
    default void onAnswer(final PulledAnswer answer) {
    }

    /** A batch failed; nothing indexed changed for it. */
    default void onFailure(final PullFailure failure) {
    }

    /** A vendor's cycle ended. */
    default void onCycle(final VendorReport report) {
    }
}
