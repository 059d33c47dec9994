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
 * that was cut back it does (space may come back); after a failed force, a failed cut or a compaction
 * whose rename or reopen failed it does not (a compaction that could not write its new file leaves
 * the journal unchanged, and it goes on), and every later hold, confirm or release throws until a restart.
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

    /**
     * A compaction failed. No caller's record was at stake: {@code journalStopped} {@code false}
     * when its new file could not be written (the journal is unchanged and goes on), {@code true}
     * when the rename or the reopen failed (which file is in place is for a restart to see).
     */
    static JournalWriteException compaction(final Path file, final Throwable cause, final boolean journalStopped) {
        return new JournalWriteException(file, journalStopped
            ? "compaction's rename or reopen failed; the journal takes no more records: restart to replay"
            : "compaction failed; the journal is unchanged and still takes records", cause, journalStopped);
    }

    private JournalWriteException(final Path file, final String message, final Throwable cause,
                                  final boolean journalStopped) {
        super(file, message, cause);
        this.outcomeKnown = true;
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
