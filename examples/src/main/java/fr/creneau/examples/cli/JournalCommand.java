package fr.creneau.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import fr.creneau.booking.JournalLockedException;
import fr.creneau.booking.JournalRepair;

/**
 * {@code creneau journal repair [--data DIR]}: after a command refused a damaged journal
 * ("corrupt journal record at byte N"), moves the damaged tail aside into a file kept beside the
 * journal ({@code bookings.journal.repaired-N-MILLIS}) and prints what it held, record by record,
 * so the bookings it recorded can be checked with the vendors and entered again. Nothing is
 * erased. Exit 0 (repaired, or nothing to repair), 1 when another command is using the journal,
 * 2 when there is no journal or it cannot be read.
 */
@Command(name = "journal", description = "Booking journal maintenance.", mixinStandardHelpOptions = true,
    subcommands = {JournalCommand.Repair.class})
final class JournalCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: repair");
    }

    @Command(name = "repair", description = "Move a damaged journal tail aside (kept, not erased) and say what it held.",
        mixinStandardHelpOptions = true)
    static final class Repair implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: the embedded sample).")
        Path data;

        @Override
        public Integer call() {
            final Progress progress = Progress.forConsole(spec.commandLine().getErr());
            final Path dir = DataSet.directory(data, Instant.now(), progress).resolve(DataSet.JOURNAL);
            final JournalRepair.Report report;
            try {
                report = JournalRepair.repair(dir);
            } catch (final JournalLockedException e) {
                throw new Refused(e.getMessage());
            }
            final PrintWriter out = spec.commandLine().getOut();
            if (!report.repaired()) {
                out.printf("%s: %d records read back, nothing to repair%n", report.journal(), report.goodRecords());
            } else {
                out.printf("%s: moved %d bytes from byte %d to %s; %d good records kept before it%n", report.journal(),
                    report.bytesMoved(), report.offset(), report.movedTo(), report.goodRecords());
                out.println("they held (check these with the vendor or the practitioner, and enter again what stands):");
                for (final String line : report.held()) {
                    out.println("  " + IngestCommand.oneLine(line));
                }
            }
            out.flush();
            return 0;
        }
    }
}
