package fr.creneau.booking;

import java.util.function.Consumer;

/**
 * The default {@link BookingStore}: the journal in {@link BookingConfig#journalDir()} (one
 * process, under the directory's lock), or nothing at all without a directory (memory only), or
 * a read-only replay beside another owner ({@link BookingConfig#readOnly()}: every write is a
 * no-op, as a reader changes nothing durable). Every write is {@link BookingStore.Outcome#DONE}
 * once appended and forced per the {@link FsyncPolicy}; a failure throws
 * {@link JournalWriteException} (the change did not happen unless it says so). There are no
 * other processes, so nothing is told to the claim listener. Thread-safe (the journal is).
 */
final class JournalStore implements BookingStore {
    /** {@code null}: memory only, or read-only. */
    private final Journal journal;
    private final Replayed replayed;
    private final String label;

    private JournalStore(final Journal journal, final Replayed replayed, final String label) {
        this.journal = journal;
        this.replayed = replayed;
        this.label = label;
    }

    /** The opener of the journal {@code config} names, through {@code io}; {@code failures} hears every write failure. */
    static Opener opener(final BookingConfig config, final JournalIo io, final Consumer<JournalWriteException> failures) {
        return (replayer, others) -> {
            if (config.journalDir() == null) {
                return new JournalStore(null, Replayed.NONE, "memory");
            }
            final Journal.Replayer into = replayer::replayed;
            if (config.readOnly()) {
                final Journal.Replay read = Journal.replayReadOnly(config.journalDir(), config.fsync(), into, io);
                return new JournalStore(null, read == null ? Replayed.NONE
                    : new Replayed(read.records(), read.tornBytes(), read.keptIn()),
                    "journal " + config.journalDir() + " (read-only)");
            }
            final Journal j = Journal.open(config.journalDir(), config.fsync(), into, io, config.lockWait());
            j.onFailure(failures);
            final Journal.Replay r = j.replay();
            return new JournalStore(j, new Replayed(r.records(), r.tornBytes(), r.keptIn()),
                "journal " + config.journalDir());
        };
    }

    @Override
    public Answer write(final BookingRecord r) {
        if (journal != null) {
            journal.append(r);
        }
        return Answer.recorded();
    }

    @Override
    public Replayed replayed() {
        return replayed;
    }

    @Override
    public void sweep(final int horizonMinute, final long compactAboveBytes) {
        if (journal != null && journal.wantsCompaction(compactAboveBytes)) {
            journal.compact(horizonMinute);
        }
    }

    @Override
    public String describe() {
        return label;
    }

    @Override
    public long appends() {
        return journal == null ? 0 : journal.appends();
    }

    @Override
    public long forces() {
        return journal == null ? 0 : journal.forces();
    }

    @Override
    public long size() {
        return journal == null ? 0 : journal.size();
    }

    @Override
    public long compactions() {
        return journal == null ? 0 : journal.compactions();
    }

    @Override
    public long writeFailures() {
        return journal == null ? 0 : journal.writeFailures();
    }

    @Override
    public boolean stopped() {
        return journal != null && journal.stopped();
    }

    @Override
    public void close() {
        if (journal != null) {
            journal.close();
        }
    }
}
