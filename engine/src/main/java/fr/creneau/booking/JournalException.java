package fr.creneau.booking;

import java.nio.file.Path;

import fr.creneau.CreneauException;

/**
 * The booking journal could not be read or written. After a write or force failure the journal
 * stops accepting records (what the disk holds is then unknown): every later hold, confirm or
 * release throws this too, and the host must restart, which replays what reached the disk.
 */
public class JournalException extends CreneauException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public JournalException(final Path file, final String message, final Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
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
