package fr.creneau.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import fr.creneau.Creneau;
import fr.creneau.booking.Booking;
import fr.creneau.booking.ConfirmResult;
import fr.creneau.booking.HoldResult;
import fr.creneau.booking.Operator;
import fr.creneau.index.SlotId;
import fr.creneau.rank.BookingMethod;

/**
 * {@code creneau book}: holds and confirms one slot for an operator, journaled in
 * {@code DIR/journal/} before it is reported. Exit 1 when the slot is already booked, held by
 * someone else, or gone.
 */
@Command(name = "book", description = "Book a slot (hold, then confirm) for an operator.", mixinStandardHelpOptions = true)
final class BookCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: the embedded sample).")
    Path data;

    @Option(names = "--slot", paramLabel = "SLOT_ID", required = true,
        description = "Slot id from a search, e.g. doctolib.10000000017.20261123T1300Z.")
    String slot;

    @Option(names = "--operator", paramLabel = "NAME", required = true, description = "Who books (the OSNP).")
    String operator;

    @Option(names = "--now", paramLabel = "ISO-8601", converter = Options.NowConverter.class,
        description = "The instant of the booking (default: now).")
    Instant now;

    @Override
    public Integer call() {
        Options.checkOperator(operator);
        final SlotId id = SlotId.parse(slot);
        final Instant at = now != null ? now : Instant.now();
        final Progress progress = Progress.forConsole(spec.commandLine().getErr());
        final PrintWriter out = spec.commandLine().getOut();
        try (Creneau creneau = DataSet.open(DataSet.directory(data, at, progress), at, progress)) {
            // The CLI knows only a name; the RS-SAS-RDV message wants more, which a real LRM has.
            final Operator who = new Operator(operator, operator, "", "");
            final HoldResult hold = creneau.bookings().hold(id, who);
            if (!hold.isHeld()) {
                throw new Refused("slot " + id + ": " + hold.refusal());
            }
            final ConfirmResult confirmed = creneau.bookings().confirm(hold.token());
            if (!confirmed.isBooked()) {
                throw new Refused("slot " + id + ": " + confirmed.refusal()
                    + (confirmed.detail() == null ? "" : " (" + confirmed.detail() + ")"));
            }
            final Booking b = confirmed.booking();
            out.printf("booked %s for %s, %s%n", Text.clean(b.slot().toString()), operator,
                SearchCommand.LOCAL_TIME.format(b.start().atZone(SearchCommand.PARIS)));
            // Name, number and script come from the data, the reference from the vendor: cleaned.
            if (b.method() == BookingMethod.ONLINE) {
                out.println("ONLINE: confirmed by the vendor, reference " + Text.field(b.vendorReference()));
            } else {
                out.println("PHONE: call " + Text.field(b.phone().practitionerName()) + " at "
                    + Text.field(b.phone().number()));
                // The script quotes the name: cut there as it is everywhere else.
                final String name = b.phone().practitionerName();
                final String script = b.phone().scriptFr();
                out.println("  " + Text.line(name == null || name.isEmpty() ? script : script.replace(name, Text.field(name))));
            }
        }
        out.flush();
        return 0;
    }
}
