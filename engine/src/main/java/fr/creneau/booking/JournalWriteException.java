package fr.creneau.booking;

import java.nio.file.Path;

/**
 * A journal write or force failed (a full disk, an I/O error). The exception says what became of
 * the operation that needed the record, so that nobody is told "failed" about an operation a
 * restart would bring back:
 * <ul>
 *   <li>{@link #recorded()} {@code false} (the usual case): the file was cut back to its last good
 *       record and forced; the operation did not happen, now or after a restart;</li>
 *   <li>{@link #outcomeKnown()} {@code false}: even the cut failed; the records may or may not be
 *       on the device, and a restart's replay decides.</li>
 * </ul>
 * {@link #journalStopped()} says whether the journal takes more records: after a failed write
 * that was cut back it does (space may come back); after a failed force, a failed cut or a failed
 * compaction it does not, and every later hold, confirm or release throws until a restart.
 */
public final class JournalWriteException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final boolean outcomeKnown;
    private final boolean journalStopped;

    public JournalWriteException(final Path file, final String what, final Throwable cause, final boolean outcomeKnown,
                                 final boolean journalStopped) {
        super(file, what + (outcomeKnown ? ": not recorded (the journal was cut back to its last good record)"
            : ": outcome unknown (cutting the journal back to its last good record failed too)")
            + (journalStopped ? "; the journal takes no more records: restart to replay" : ""), cause);
        this.outcomeKnown = outcomeKnown;
        this.journalStopped = journalStopped;
    }

    /** {@code true} when the operation is certainly not in the journal. */
    public boolean outcomeKnown() {
        return outcomeKnown;
    }

    /** {@code false} when the operation is certainly not in the journal (it did not happen). */
    public boolean recorded() {
        return !outcomeKnown;
    }

    /** {@code true} when the journal refuses every later record until a restart. */
    public boolean journalStopped() {
        return journalStopped;
    }
}
