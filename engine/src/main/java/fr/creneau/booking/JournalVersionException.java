package fr.creneau.booking;

import java.nio.file.Path;

/** The journal file is not a Créneau journal, or was written in a format version this build cannot read. */
public final class JournalVersionException extends JournalException {
    private static final long serialVersionUID = 1L;

    public JournalVersionException(final Path file, final String why) {
        super(file, why);
    }
}
