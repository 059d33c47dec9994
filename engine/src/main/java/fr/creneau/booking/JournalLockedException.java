package fr.creneau.booking;

import java.nio.file.Path;

/**
 * Another process, or another {@code Creneau} in this one, owns the journal directory. Two owners
 * would each hand out the same slots; start one, or give each its own directory.
 */
public final class JournalLockedException extends JournalException {
    private static final long serialVersionUID = 1L;

    public JournalLockedException(final Path dir, final String owner) {
        super(dir, "journal directory is in use by " + owner + "; only one Créneau may own it");
    }
}
