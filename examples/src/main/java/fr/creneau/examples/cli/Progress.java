package fr.creneau.examples.cli;

import java.io.PrintWriter;

/**
 * One overwriting line of progress on stderr when it is a terminal, nothing otherwise (so that
 * scripts and tests see only results). Not thread-safe.
 */
final class Progress {
    private final PrintWriter err;
    private final boolean terminal;
    private int width;

    Progress(final PrintWriter err, final boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    static Progress forConsole(final PrintWriter err) {
        return new Progress(err, System.console() != null);
    }

    void show(final String message) {
        if (!terminal) {
            return;
        }
        final String line = Text.cut(Text.clean(message), 100); // file names from the data directory
        err.print('\r' + line + " ".repeat(Math.max(0, width - line.length())));
        err.flush();
        width = line.length();
    }

    /**
     * A warning line on stderr, terminal or not (unlike progress, a script must see it), never
     * mixed into a progress line.
     */
    void warn(final String message) {
        done();
        err.println("warning: " + IngestCommand.oneLine(message));
        err.flush();
    }

    void done() {
        if (terminal && width > 0) {
            err.print('\r' + " ".repeat(width) + '\r');
            err.flush();
            width = 0;
        }
    }
}
