package fr.creneau.booking;

import java.nio.file.Path;

/**
 * The journal holds a record that is damaged and is not a torn write (a checksum or a length that
 * does not match with good data after it, or, under ALWAYS and GROUP, a complete last record whose
 * checksum fails), or records that contradict each other. Replay stops: nothing is guessed, since
 * dropping the record could forget a booking. The file is left untouched; an operator runs
 * {@link JournalRepair#repair} (CLI: {@code creneau journal repair}), which moves the tail from
 * {@link #offset()} aside into a kept file and says what it held.
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
