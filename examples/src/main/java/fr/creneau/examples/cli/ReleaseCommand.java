package fr.creneau.examples.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
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

    @Mixin
    SlotCommandOptions options;

    @Override
    public Integer call() {
        final SlotId id = options.slotId();
        final Instant at = options.at();
        final Progress progress = Progress.forConsole(spec.commandLine().getErr());
        final PrintWriter out = spec.commandLine().getOut();
        try (Creneau creneau = options.open(at, progress)) {
            final HoldToken token = creneau.bookings().tokenHeldBy(id, options.operator);
            if (token == null) {
                throw new Refused("slot " + id + ": nothing held or booked by " + options.operator + " to release");
            }
            // Read before: a released booking is no longer standing, and its phone is needed after.
            final Booking booking = creneau.bookings().booking(id);
            final ReleaseResult released = creneau.bookings().release(token);
            if (!released.released()) {
                throw new Refused("slot " + id + ": " + released.refusal()
                    + (released.detail() == null ? "" : " (" + Text.field(released.detail()) + ")"));
            }
            out.printf("released %s for %s: %s%n", Text.clean(id.toString()), options.operator,
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
