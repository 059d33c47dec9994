package fr.creneau.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import fr.creneau.Creneau;
import fr.creneau.booking.Operator;
import fr.creneau.directory.Rpps;
import fr.creneau.outcome.Outcome;
import fr.creneau.outcome.OutcomeResult;
import fr.creneau.outcome.RowRef;
import fr.creneau.slot.SlotId;

/**
 * {@code creneau outcome}: records what came of a row shown for a case (a slot, a doctor by RPPS, a
 * structure such as a CPTS) or of a booking, journaled in {@code DIR/journal/} and audited in
 * {@code DIR/audit/}. A {@code declined} or {@code patient-refused} row is left out of the case's
 * next {@code search --case}; {@code fulfilled} and {@code no-show} put an RS-SAS-RDV
 * {@code UpdateAppointment} in the outbox ({@code creneau messages}). Exit 0 recorded, 1 refused
 * (e.g. {@code fulfilled} for a slot never booked for the case), 2 bad usage.
 */
@Command(name = "outcome", description = "Record the outcome of a search row or of a booking for a case.",
    mixinStandardHelpOptions = true)
final class OutcomeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: the embedded sample).")
    Path data;

    @picocli.CommandLine.Mixin
    StoreOption store;

    @Option(names = "--case", paramLabel = "ID", required = true, description = "The LRM case.")
    String caseId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Row row;

    /** Exactly one of the three ways to name a row. */
    static final class Row {
        @Option(names = "--slot", paramLabel = "SLOT_ID", required = true, description = "A slot row (or a booking).")
        String slot;

        @Option(names = "--rpps", paramLabel = "RPPS", required = true, converter = Options.RppsConverter.class,
            description = "A doctor's row: the MT, a surnuméraire or PDSA doctor.")
        Long rpps;

        @Option(names = "--structure", paramLabel = "ID", required = true,
            description = "A structure's row (a CPTS, an MSP, a CDS).")
        String structure;
    }

    @Option(names = "--result", required = true, paramLabel = "RESULT",
        description = "accepted, declined, no-answer, patient-refused, fulfilled or no-show.")
    String result;

    @Option(names = "--operator", paramLabel = "NAME", required = true, description = "The operator who records it.")
    String operator;

    @Option(names = "--now", paramLabel = "ISO-8601", converter = Options.NowConverter.class,
        description = "The instant of the outcome (default: now).")
    Instant now;

    @Override
    public Integer call() {
        Options.checkCase(caseId);
        Options.checkOperator(operator);
        final Outcome outcome = Outcome.parseCli(result);
        if (outcome == null) {
            throw new UserError("--result must be accepted, declined, no-answer, patient-refused, fulfilled or no-show: "
                + Text.field(result));
        }
        final RowRef ref;
        try {
            ref = row.slot != null ? RowRef.slot(SlotId.parse(row.slot))
                : row.rpps != null ? RowRef.rpps(row.rpps) : RowRef.structure(row.structure);
        } catch (final IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        final Instant at = now != null ? now : Instant.now();
        final Progress progress = Progress.forConsole(spec.commandLine().getErr());
        final PrintWriter out = spec.commandLine().getOut();
        try (Creneau creneau = DataSet.open(DataSet.directory(data, at, progress), at, progress,
            Duration.ofSeconds(10), store.orNull(now != null))) {
            final OutcomeResult r = creneau.bookings().outcome(caseId, ref,
                outcome, new Operator(operator, operator, "", ""));
            if (!r.isRecorded()) {
                throw new Refused(r.refusal() + ": " + Text.field(r.detail()));
            }
            out.printf("recorded %s for case %s, %s %s%n", outcome.cliName(), caseId,
                ref.kind().name().toLowerCase(java.util.Locale.ROOT),
                ref.kind() == RowRef.Kind.RPPS ? Rpps.format(ref.practitioner()) : Text.clean(ref.id()));
            if (r.messageId() != null) {
                out.println("message " + r.messageId() + " queued for the LRM");
            }
        }
        out.flush();
        return 0;
    }
}
