package fr.creneau.booking;

import java.time.Instant;
import java.util.List;

import fr.creneau.audit.AuditEvent;
import fr.creneau.audit.AuditLog;
import fr.creneau.booking.outbox.OutboxMessage;
import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.outcome.Outcome;
import fr.creneau.outcome.OutcomeResult;
import fr.creneau.outcome.RowRef;
import fr.creneau.slot.SlotId;

/**
 * Records outcomes for {@link BookingService#outcome}: journal first (one OUTCOME record, with the
 * LRM's message for a booking's outcome), then the case's exclusions, the audit line, the outbox
 * and the listeners. An outcome of a booking ({@code FULFILLED}, {@code NO_SHOW}) is checked under
 * the claim's monitor, so it cannot race the booking's release: either the booking stands and the
 * outcome is recorded, or it is refused {@link OutcomeResult.Refusal#NOT_BOOKED}.
 *
 * <p>The kind of row an outcome is filed under ({@code shownAs}, for the indicators): a slot row
 * is {@code SLOT} ({@code MT} when it was booked as the patient's MT); an RPPS row is
 * {@code SURNUMERAIRE} for a practitioner who accepts extra patients, else {@code MT}; a structure
 * row is {@code CPTS} for a CPTS (of {@code structures.json} or inline), {@code PDSA} for a maison
 * médicale de garde, else {@code STRUCTURE} (CDS, MSP, SOS Médecins). A declined structure's row is
 * left out of the case's next searches (not its members' own slots).
 *
 * <p>Thread-safety: as {@link BookingService}; state is in {@link Cases}.
 */
final class Outcomes {
    private final BookingService owner;
    private final JournalOutbox outbox;
    private final AuditLog audit;
    private final Cases cases = new Cases();
    private volatile java.util.function.LongConsumer taken = rpps -> { };

    void onTaken(final java.util.function.LongConsumer hook) {
        this.taken = hook;
    }

    Outcomes(final BookingService owner, final JournalOutbox outbox, final AuditLog audit) {
        this.owner = owner;
        this.outbox = outbox;
        this.audit = audit;
    }

    void replayed(final BookingRecord.OutcomeRecord r) {
        cases.apply(r);
    }

    long[] excludedFor(final String caseId) {
        return cases.excluded(caseId, owner.directory());
    }

    void excludeInto(final String caseId, final fr.creneau.rank.RegulatorQuery query) {
        cases.excludeInto(caseId, owner.directory(), query);
    }

    OutcomeResult record(final String caseId, final RowRef row, final Outcome result, final Operator operator) {
        if (result.ofBooking()) {
            if (row.kind() != RowRef.Kind.SLOT) {
                return OutcomeResult.refused(OutcomeResult.Refusal.NOT_A_SLOT,
                    result.cliName() + " is the outcome of a booked slot: give the slot");
            }
            return ofBooking(caseId, row.slotId(), result, operator);
        }
        final Directory d = owner.directory();
        final String shownAs;
        long rpps = 0;
        String structure = null;
        String slot = null;
        switch (row.kind()) {
            case SLOT: {
                final SlotId s = row.slotId();
                if (d.byRpps(s.rpps()) == null) {
                    return unknown(row);
                }
                rpps = s.rpps();
                slot = s.toString();
                shownAs = "SLOT";
                break;
            }
            case RPPS: {
                final Practitioner p = d.byRpps(row.practitioner());
                if (p == null) {
                    return unknown(row);
                }
                rpps = p.rpps();
                structure = p.cpts() == null ? null : p.cpts().id();
                shownAs = p.acceptsExtraPatients() ? "SURNUMERAIRE" : "MT";
                break;
            }
            case STRUCTURE:
            default: {
                // A structure of the directory (CDS, MSP, SOS Médecins, CPTS, MMG), or an inline
                // CPTS named by its members only.
                final fr.creneau.directory.Structure st = d.structure(row.id());
                boolean known = st != null;
                for (final Practitioner p : known ? List.<Practitioner>of() : d.practitioners()) {
                    if (p.cpts() != null && p.cpts().id().equals(row.id())) {
                        known = true;
                        break;
                    }
                }
                if (!known) {
                    return unknown(row);
                }
                structure = row.id();
                shownAs = st == null || st.kind() == fr.creneau.directory.StructureKind.CPTS ? "CPTS"
                    : st.kind() == fr.creneau.directory.StructureKind.MMG ? "PDSA" : "STRUCTURE";
                break;
            }
        }
        final Instant now = owner.now();
        // A slot row's contact took the patient at that slot, outside a booking here: the LRM is
        // told as of a booking (CreateAppointment, booked; orientationCategory from the
        // participation). RS-SAS-RDV requires a start, so an MT, surnuméraire or structure row,
        // which has none, is not announced: recorded and audited only.
        final AppointmentMessage m = result == Outcome.ACCEPTED && row.kind() == RowRef.Kind.SLOT
            ? acceptance(row.slotId(), caseId, operator, now) : null;
        final OutboxMessage out = m == null ? null : outbox.wrap(m, caseId, now);
        final BookingRecord.OutcomeRecord r = new BookingRecord.OutcomeRecord(
            m == null ? BookingRecord.NO_TOKEN : m.appointmentId(), now, caseId, row, shownAs, result, operator.id(), out);
        owner.append(r);
        cases.apply(r);
        audit.append(AuditEvent.of(now, AuditEvent.Type.OUTCOME, caseId, operator.id())
            .row(shownAs, rpps, structure, slot).result(result.name()));
        outbox.added(out, operator.id());
        if (m != null) {
            owner.tell(m);
        } else if (result == Outcome.ACCEPTED && rpps != 0) {
            taken.accept(rpps); // a slot row's acceptance reaches the listeners as an appointment
        }
        return OutcomeResult.recorded(out == null ? null : out.id());
    }

    /**
     * The appointment of an accepted slot row, under a new appointment id; {@code null} when the
     * slot is no longer listed, or is booked here already (its CreateAppointment went out then).
     */
    private AppointmentMessage acceptance(final SlotId slot, final String caseId, final Operator operator,
                                          final Instant now) {
        final Claim c = owner.claimOf(slot);
        if (c != null) {
            synchronized (c) {
                if (c.phase == Claim.Phase.BOOKED && c.caseRef != null && c.caseRef.caseId().equals(caseId)) {
                    return null;
                }
            }
        }
        final SlotFacts f = owner.slotFacts(slot);
        return f == null ? null : AppointmentMessage.of(AppointmentMessage.Kind.CREATED,
            new HoldToken(java.util.UUID.randomUUID()), f, operator, now);
    }

    private static OutcomeResult unknown(final RowRef row) {
        return OutcomeResult.refused(OutcomeResult.Refusal.UNKNOWN_ROW, row.kind() + " " + row.id()
            + " is not in the directory");
    }

    private OutcomeResult ofBooking(final String caseId, final SlotId slot, final Outcome result,
                                    final Operator operator) {
        final Claim c = owner.claimOf(slot);
        final String never = "slot " + slot + " is not booked for case " + caseId;
        if (c == null) {
            return OutcomeResult.refused(OutcomeResult.Refusal.NOT_BOOKED, never);
        }
        final AppointmentMessage m;
        final OutboxMessage out;
        synchronized (c) {
            if (c.phase != Claim.Phase.BOOKED || c.booking == null || c.caseRef == null
                || !c.caseRef.caseId().equals(caseId)) {
                return OutcomeResult.refused(OutcomeResult.Refusal.NOT_BOOKED, never);
            }
            final Instant now = owner.now();
            m = AppointmentMessage.of(result == Outcome.FULFILLED ? AppointmentMessage.Kind.FULFILLED
                : AppointmentMessage.Kind.NO_SHOW, c.token, c.facts, c.operator, c.booking.bookedAt());
            out = outbox.wrap(m, caseId, now);
            final String shownAs = Audits.rowKind(c);
            owner.append(new BookingRecord.OutcomeRecord(c.token, now, caseId, RowRef.slot(c.facts.slot()), shownAs,
                result, operator.id(), out));
            audit.append(AuditEvent.of(now, AuditEvent.Type.OUTCOME, caseId, operator.id())
                .row(shownAs, slot.rpps(), c.facts.cptsId(), c.facts.slot().toString())
                .booking(c.facts.method().name(), c.caseRef.modality().name(), c.caseRef.patientsMt(), c.token.toString())
                .result(result.name()));
            outbox.added(out, operator.id());
        }
        owner.tell(m);
        return OutcomeResult.recorded(out == null ? null : out.id());
    }
}
