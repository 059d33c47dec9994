package fr.creneau.examples.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import fr.creneau.store.postgres.Migrations;
import fr.creneau.store.postgres.StoreUnavailableException;

/**
 * {@code creneau store migrate --store URL}: creates or upgrades the PostgreSQL store's schema
 * (also done on first use by any command given {@code --store}). Exit 0 when the schema is at
 * this Créneau's version, 1 when the database cannot be reached, 2 on a malformed URL or a schema
 * this Créneau cannot use (newer, or an applied migration altered).
 */
@Command(name = "store", description = "PostgreSQL store maintenance.", mixinStandardHelpOptions = true,
    subcommands = {StoreCommand.Migrate.class})
final class StoreCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: migrate");
    }

    @Command(name = "migrate", description = "Create or upgrade the store's schema.", mixinStandardHelpOptions = true)
    static final class Migrate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--store", paramLabel = "URL", required = true,
            description = "postgresql://host:port/db?user=... (password: PGPASSWORD or ?password=...)")
        String store;

        @Override
        public Integer call() {
            final Migrations.Result r;
            try {
                r = Migrations.migrate(store);
            } catch (final StoreUnavailableException e) {
                throw new Refused(e.getMessage());
            }
            final PrintWriter out = spec.commandLine().getOut();
            out.printf("schema at version %d (%d migration%s applied now)%n", r.version(), r.applied(),
                r.applied() == 1 ? "" : "s");
            out.flush();
            return 0;
        }
    }
}
