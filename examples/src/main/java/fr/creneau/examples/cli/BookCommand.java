package fr.creneau.examples.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import fr.creneau.Creneau;
import fr.creneau.booking.Booking;
import fr.creneau.booking.CaseRef;
import fr.creneau.feed.Modality;
import fr.creneau.booking.ConfirmResult;
import fr.creneau.booking.HoldResult;
import fr.creneau.booking.Operator;
import fr.creneau.booking.ReplayReport;
import fr.creneau.slot.SlotId;
import fr.creneau.rank.BookingMethod;

/**
 * {@code creneau book}: holds and confirms one slot for an operator, journaled in
 * {@code DIR/journal/} before it is reported. Exit 1 when the slot is already booked, held by
 * someone else, or gone, or when another command kept the journal longer than {@code --lock-wait}
 * (so the loser of a race between two bookings is refused, not a usage error).
 */
@Command(name = "book", description = "Book a slot (hold, then confirm) for an operator.", mixinStandardHelpOptions = true)
final class BookCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SlotCommandOptions options;

    @Option(names = "--case", paramLabel = "ID", description = "The LRM case the booking is for (journaled and audited).")
    String caseId;

    @Option(names = "--modality", defaultValue = "office", converter = Options.ModalityConverter.class,
        description = "The modality chosen for the case: office, teleconsultation or home-visit (default: ${DEFAULT-VALUE}).")
    Modality modality;

    @Option(names = "--mt", paramLabel = "RPPS", converter = Options.RppsConverter.class,
        description = "The patient's médecin traitant (the booking is then the MT's when the slot is theirs).")
    Long mt;

    @Override
    public Integer call() {
        final SlotId id = options.slotId();
        final CaseRef caseRef = caseId == null ? null
            : new CaseRef(Options.checkCase(caseId), modality, mt != null && mt == id.rpps());
        final Instant at = options.at();
        final Progress progress = Progress.forConsole(spec.commandLine().getErr());
        final PrintWriter out = spec.commandLine().getOut();
        try (Creneau creneau = options.open(at, progress)) {
            final ReplayReport replay = creneau.bookings().replayReport();
            if (replay.droppedTailKeptIn() != null) {
                // Never silent: the dropped bytes may have been an operation someone is waiting on.
                spec.commandLine().getErr().printf("note: journal: a torn last record (%d bytes) was dropped, kept in %s%n",
                    replay.tornBytesDropped(), replay.droppedTailKeptIn());
            }
            // The CLI knows only a name; the RS-SAS-RDV message wants more, which a real LRM has.
            final Operator who = new Operator(options.operator, options.operator, "", "");
            final HoldResult hold = creneau.bookings().hold(id, who, caseRef);
            if (!hold.isHeld()) {
                throw new Refused("slot " + id + ": " + hold.refusal());
            }
            final ConfirmResult confirmed = creneau.bookings().confirm(hold.token());
            if (!confirmed.isBooked()) {
                throw new Refused("slot " + id + ": " + confirmed.refusal()
                    + (confirmed.detail() == null ? "" : " (" + confirmed.detail() + ")"));
            }
            final Booking b = confirmed.booking();
            out.printf("booked %s for %s, %s%n", Text.clean(b.slot().toString()), options.operator,
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

    /** {@code 500ms}, {@code 10s}, {@code 1m}, or {@code 0}: from zero to 10 minutes. */
    static final class LockWaitConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(final String value) {
            final String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            final Duration d;
            try {
                if (v.equals("0")) {
                    d = Duration.ZERO;
                } else if (v.endsWith("ms")) {
                    d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                } else if (v.endsWith("s")) {
                    d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
                } else if (v.endsWith("m")) {
                    d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
                } else {
                    throw new NumberFormatException();
                }
            } catch (final NumberFormatException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a duration like 500ms, 10s or 1m");
            }
            if (d.isNegative() || d.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new picocli.CommandLine.TypeConversionException("--lock-wait must be between 0 and 10m, got " + value);
            }
            return d;
        }
    }
}
