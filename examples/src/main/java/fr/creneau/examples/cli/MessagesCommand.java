package fr.creneau.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import fr.creneau.Creneau;
import fr.creneau.booking.outbox.OutboxMessage;

/**
 * {@code creneau messages}: the outbox as JSON Lines, one wrapped message (the EDXL-DE envelope,
 * RC-DE header, RS-SAS-RDV appointment, exactly as it would be delivered) per line, oldest first:
 * every message the journal still holds, or with {@code --pending} only those no host has
 * acknowledged. Reads the journal without its lock and writes nothing.
 */
@Command(name = "messages", description = "List the outbox of RS-SAS-RDV messages for the LRM (JSON Lines).",
    mixinStandardHelpOptions = true)
final class MessagesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: the embedded sample).")
    Path data;

    @Option(names = "--pending", description = "Only the messages not yet acknowledged.")
    boolean pending;

    @picocli.CommandLine.Mixin
    StoreOption store;

    @Override
    public Integer call() {
        final Instant at = Instant.now();
        final Progress progress = Progress.forConsole(spec.commandLine().getErr());
        final PrintWriter out = spec.commandLine().getOut();
        // With --store: this host's messages not yet acknowledged (the database keeps the others).
        try (Creneau creneau = DataSet.openToRead(DataSet.directory(data, at, progress), at, progress,
            store.orNull(false))) {
            final Set<UUID> unacked = creneau.bookings().pendingMessages().stream().map(OutboxMessage::id)
                .collect(Collectors.toSet());
            for (final OutboxMessage m : creneau.bookings().journaledMessages()) {
                if (!pending || unacked.contains(m.id())) {
                    out.println(m.json()); // written by Jackson at the change: one line, valid JSON
                }
            }
        }
        out.flush();
        return 0;
    }
}
