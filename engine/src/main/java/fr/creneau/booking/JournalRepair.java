package fr.creneau.booking;

import java.nio.file.Path;
import java.util.List;

/**
 * The operator's way out of a {@link JournalCorruptException}: moves the damaged tail of a
 * journal (from the first record that does not read back to the end) into a file kept beside it,
 * truncates the journal there, and says what the moved bytes held, so that what they recorded
 * (a booking, perhaps) can be checked and entered again. Nothing is erased. The directory's owner
 * must be stopped first. Stateless and thread-safe.
 */
public final class JournalRepair {
    private JournalRepair() {
    }

    /**
     * What a repair did.
     *
     * @param journal     the journal file
     * @param offset      where the damage starts (the journal's new length); its length when sound
     * @param bytesMoved  bytes moved aside (0 when the journal was sound)
     * @param movedTo     the file that keeps them, or {@code null} when nothing was moved
     * @param goodRecords records before the damage, kept in the journal
     * @param held        what the moved bytes held, one line per record they still frame, with
     *                    offset, type, token, slot and operator where readable; no patient data
     *                    (the journal has none)
     */
    public record Report(Path journal, long offset, long bytesMoved, Path movedTo, long goodRecords, List<String> held) {
        public Report {
            held = List.copyOf(held);
        }

        /** {@code true} when something was moved aside. */
        public boolean repaired() {
            return movedTo != null;
        }
    }

    /**
     * Repairs the journal in {@code dir} (see the class comment); a sound journal is left as it is.
     *
     * @throws JournalLockedException  another process owns the directory
     * @throws JournalVersionException the file header is damaged or of another version
     * @throws JournalException        there is no journal, or it cannot be read or written
     */
    public static Report repair(final Path dir) {
        return Journal.repair(dir, JournalIo.REAL);
    }
}
