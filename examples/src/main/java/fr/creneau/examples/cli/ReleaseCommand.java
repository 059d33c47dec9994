package fr.creneau.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import fr.creneau.Creneau;
import fr.creneau.booking.Booking;
import fr.creneau.booking.HoldToken;
import fr.creneau.booking.ReleaseResult;
import fr.creneau.slot.SlotId;
import fr.creneau.rank.BookingMethod;

/**
 * {@code creneau release}: ends the operator's hold on a slot, or cancels their booking (at the
 * vendor for an ONLINE one), journaled in {@code DIR/journal/} before it is reported; the slot is
 * proposed again. The command line keeps no token between commands, so the slot and the operator
 * name what to release: only the operator who holds or booked it can. Exit 1 when that operator
 * holds nothing there (never held, held or booked by someone else, already released or expired),
 * or when the vendor refuses or fails the cancellation (the booking then stands).
 */
@Command(name = "release", description = "Release an operator's hold or booking of a slot.", mixinStandardHelpOptions = true)
final class ReleaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: the embedded sample).")
    Path data;

    @Option(names = "--slot", paramLabel = "SLOT_ID", required = true,
        description = "Slot id, e.g. doctolib.10000000017.20261123T1300Z.")
    String slot;

    @Option(names = "--operator", paramLabel = "NAME", required = true,
        description = "Who holds or booked it (the OSNP), as given to book.")
    String operator;

    @Option(names = "--now", paramLabel = "ISO-8601", converter = Options.NowConverter.class,
        description = "The instant of the release (default: now).")
    Instant now;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "10s",
        converter = BookCommand.LockWaitConverter.class,
        description = "How long to wait for another command using the journal, e.g. 500ms, 10s, 1m (default: ${DEFAULT-VALUE}).")
    Duration lockWait;

    @Override
    public Integer call() {
        Options.checkOperator(operator);
        final SlotId id = SlotId.parse(slot);
        final Instant at = now != null ? now : Instant.now();
        final Progress progress = Progress.forConsole(spec.commandLine().getErr());
        final PrintWriter out = spec.commandLine().getOut();
        try (Creneau creneau = DataSet.open(DataSet.directory(data, at, progress), at, progress, lockWait)) {
            final HoldToken token = creneau.bookings().tokenHeldBy(id, operator);
            if (token == null) {
                throw new Refused("slot " + id + ": nothing held or booked by " + operator + " to release");
            }
            // Read before: a released booking is no longer standing, and its phone is needed after.
            final Booking booking = creneau.bookings().booking(id);
            final ReleaseResult released = creneau.bookings().release(token);
            if (!released.released()) {
                throw new Refused("slot " + id + ": " + released.refusal()
                    + (released.detail() == null ? "" : " (" + Text.field(released.detail()) + ")"));
            }
            out.printf("released %s for %s: %s%n", Text.clean(id.toString()), operator,
                released.cancelled() ? "booking cancelled" : "hold ended");
            if (released.cancelled() && booking != null) {
                if (booking.method() == BookingMethod.ONLINE) {
                    out.println("ONLINE: cancelled at the vendor, reference " + Text.field(booking.vendorReference()));
                } else {
                    // Créneau cannot reach the practice: the operator who phoned to book phones to cancel.
                    out.println("PHONE: call " + Text.field(booking.phone().practitionerName()) + " at "
                        + Text.field(booking.phone().number()) + " to cancel");
                }
            }
        }
        out.flush();
        return 0;
    }
}
