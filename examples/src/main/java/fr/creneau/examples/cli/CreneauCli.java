package fr.creneau.examples.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import fr.creneau.error.CreneauException;

/**
 * {@code creneau}: the example command line. Exit status 0 on success, 1 when a valid request was
 * refused (slot already booked, held or gone), 2 on bad usage or unreadable input; always a
 * one-line reason on stderr, never a stack trace for a user error (set {@code CRENEAU_DEBUG=1} to
 * see one for an unexpected failure).
 */
@Command(name = "creneau", mixinStandardHelpOptions = true, version = "creneau 0.1.0",
    description = "Find and book a GP slot within 48 hours (SAS).",
    subcommands = {SearchCommand.class, BookCommand.class, ReleaseCommand.class, IngestCommand.class,
        GenerateCommand.class, JournalCommand.class, VendorSimCommand.class, PullCommand.class,
        StoreCommand.class})
public final class CreneauCli implements Runnable {
    /** Exit status of a refused request. */
    public static final int REFUSED = 1;
    /** Exit status of bad usage or unreadable input. */
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "missing command: search, book, release, ingest, generate, journal, vendor-sim, pull or store");
    }

    public static void main(final String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line with the given streams and returns the exit status. */
    public static int execute(final String[] args, final PrintWriter out, final PrintWriter err) {
        final CommandLine cli = new CommandLine(new CreneauCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            final Throwable cause = e instanceof java.io.UncheckedIOException && e.getCause() != null ? e.getCause() : e;
            if (e instanceof Refused) {
                err.println("refused: " + IngestCommand.oneLine(e.getMessage()));
                return REFUSED;
            }
            if (e instanceof UserError || e instanceof CreneauException || e instanceof IllegalArgumentException) {
                err.println("error: " + IngestCommand.oneLine(e.getMessage()));
                return USAGE;
            }
            if (System.getenv("CRENEAU_DEBUG") != null) {
                e.printStackTrace(err);
            }
            err.println("error: " + IngestCommand.oneLine(String.valueOf(cause.getMessage())));
            return USAGE;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("error: " + IngestCommand.oneLine(e.getMessage()));
            err.println("usage: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            return USAGE;
        });
        return cli.execute(args);
    }
}
