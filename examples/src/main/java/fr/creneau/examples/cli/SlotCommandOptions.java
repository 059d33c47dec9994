package fr.creneau.examples.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import picocli.CommandLine.Option;

import fr.creneau.Creneau;
import fr.creneau.slot.SlotId;

/**
 * The options of the commands that act on one slot for one operator and own the journal while
 * they do ({@code book}, {@code release}): a picocli mixin, so both read them the same way.
 */
final class SlotCommandOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: the embedded sample).")
    Path data;

    @Option(names = "--slot", paramLabel = "SLOT_ID", required = true,
        description = "Slot id from a search, e.g. doctolib.10000000017.20261123T1300Z.")
    String slot;

    @Option(names = "--operator", paramLabel = "NAME", required = true,
        description = "The operator (OSNP) who books, or who holds or booked the slot.")
    String operator;

    @Option(names = "--now", paramLabel = "ISO-8601", converter = Options.NowConverter.class,
        description = "The instant of the command (default: now).")
    Instant now;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "10s",
        converter = BookCommand.LockWaitConverter.class,
        description = "How long to wait for another command using the journal, e.g. 500ms, 10s, 1m (default: ${DEFAULT-VALUE}).")
    Duration lockWait;

    @picocli.CommandLine.Mixin
    StoreOption store;

    /** The slot, after the operator's name is checked (both are usage errors when bad). */
    SlotId slotId() {
        Options.checkOperator(operator);
        return SlotId.parse(slot);
    }

    /** {@code --now}, or the system clock's instant, read once per command. */
    Instant at() {
        return now != null ? now : Instant.now();
    }

    /** The data set at {@code at}, owning its journal (waiting up to {@code --lock-wait} for it). */
    Creneau open(final Instant at, final Progress progress) {
        return DataSet.open(DataSet.directory(data, at, progress), at, progress, lockWait, store.orNull(now != null));
    }
}
