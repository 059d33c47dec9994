package fr.creneau.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import fr.creneau.Creneau;
import fr.creneau.booking.AppointmentResult;
import fr.creneau.directory.Practitioner;
import fr.creneau.feed.FhirAppointmentParser;

/**
 * {@code creneau appointment}: applies a FHIR Appointment a vendor reported (the ANS guide's flux
 * INT_R03, profile FrAppointmentSAS) to the data set: {@code booked} confirms the hold on that
 * slot, or books it; {@code cancelled} frees it; journaled in {@code DIR/journal/} like
 * {@code book}. The vendor is the practitioner's in the directory unless {@code --vendor} names
 * it. Exit 0 applied, 1 when it matches no slot (or the journal is busy past {@code --lock-wait}),
 * 2 on bad usage or an unreadable Appointment.
 */
@Command(name = "appointment", mixinStandardHelpOptions = true,
    description = "Apply a vendor's FHIR Appointment (ANS guide, INT_R03): book or free its slot, and report.")
final class AppointmentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: the embedded sample).")
    Path data;

    @Option(names = "--vendor", paramLabel = "NAME",
        description = "The vendor that sent it (default: the practitioner's vendor in the directory).")
    String vendor;

    @Option(names = "--now", paramLabel = "ISO-8601", converter = Options.NowConverter.class,
        description = "The instant of the command (default: now).")
    Instant now;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "10s",
        converter = BookCommand.LockWaitConverter.class,
        description = "How long to wait for another command using the journal (default: ${DEFAULT-VALUE}).")
    Duration lockWait;

    @Parameters(paramLabel = "FILE", arity = "1", description = "The Appointment (FHIR JSON).")
    Path file;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserError("no such file (or a symbolic link): " + Text.line(file.toString()));
        }
        final Instant at = now != null ? now : Instant.now();
        final Progress progress = Progress.forConsole(spec.commandLine().getErr());
        final PrintWriter out = spec.commandLine().getOut();
        // Read first: a bad file is a usage error before any journal is taken.
        final FhirAppointmentParser.ParsedAppointment parsed = new FhirAppointmentParser().parse(file);
        try (Creneau creneau = DataSet.open(DataSet.directory(data, at, progress), at, progress, lockWait)) {
            String from = vendor;
            if (from == null) {
                final Practitioner p = creneau.directory().byRpps(parsed.rpps());
                if (p == null || p.vendor() == null) {
                    throw new Refused(Text.line(file.toString()) + ": practitioner " + parsed.rpps()
                        + " has no vendor in the directory: matches no slot (give --vendor)");
                }
                from = creneau.vendors().require(p.vendor()).displayName();
            }
            final AppointmentResult r = creneau.ingestAppointment(from, file);
            if (r.outcome().isRejection()) {
                throw new Refused(Text.line(file.toString()) + ": " + parsed.status() + " " + r.slot() + " of "
                    + Text.field(from) + ": " + r.outcome() + " (no such slot indexed or booked here)");
            }
            out.printf("appointment %s: %s %s of %s: %s%s%n", Text.line(file.getFileName().toString()), parsed.status(),
                r.slot(), Text.field(from), r.outcome(),
                r.booking() == null ? "" : ", operator " + Text.field(r.booking().operator().id())
                    + (r.booking().vendorReference() == null ? "" : ", reference " + Text.field(r.booking().vendorReference())));
        }
        out.flush();
        return 0;
    }
}
