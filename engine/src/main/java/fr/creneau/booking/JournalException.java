package fr.creneau.booking;

import java.nio.file.Path;

import fr.creneau.error.CreneauException;

/**
 * The booking journal could not be read or written; the message names the cause (e.g. "No space
 * left on device"). A failed append is a {@link JournalWriteException}, which says whether the
 * operation is recorded and whether the journal still takes records.
 */
public class JournalException extends CreneauException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public JournalException(final Path file, final String message, final Throwable cause) {
        super(file + ": " + message + because(message, cause), cause);
        this.file = file;
    }

    /**
     * The cause in the message, since hosts and the CLI print only the message: "No space left on
     * device" hidden behind "write failed" sends an operator looking in the wrong place.
     */
    private static String because(final String message, final Throwable cause) {
        if (cause == null || cause instanceof JournalException) {
            return "";
        }
        final String text = cause.getMessage();
        final String named = cause.getClass() == java.io.IOException.class || text == null
            ? String.valueOf(text) : cause.getClass().getSimpleName() + ": " + text;
        if (text != null && message.contains(text)) {
            return "";
        }
        final String full = text != null && text.contains("No space left on device") ? " (" + named + ": the disk is full)"
            : " (" + named + ")";
        return text == null ? " (" + cause.getClass().getSimpleName() + ")" : full;
    }

    public JournalException(final Path file, final String message) {
        super(file + ": " + message);
        this.file = file;
    }

    /** The journal file or directory concerned. */
    public Path file() {
        return file;
    }
}
