package fr.creneau.booking;

import java.nio.file.Path;

/**
 * The journal holds a record that is damaged and is not its torn last one (a checksum or a length
 * that does not match, with good data after it), or records that contradict each other. Replay
 * stops: nothing is guessed, since dropping the record could forget a booking. An operator must
 * look at the file (the offset is given); it is left untouched.
 */
public final class JournalCorruptException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    public JournalCorruptException(final Path file, final long offset, final String why) {
        super(file, "corrupt journal record at byte " + offset + ": " + why);
        this.offset = offset;
    }

    /** Byte offset of the damaged record in the file. */
    public long offset() {
        return offset;
    }
}
