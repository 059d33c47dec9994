package fr.creneau.booking;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.UUID;

import fr.creneau.booking.outbox.OutboxMessage;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Profession;
import fr.creneau.slot.SlotId;
import fr.creneau.rank.BookingMethod;
import fr.creneau.feed.Modality;
import fr.creneau.outcome.Outcome;
import fr.creneau.outcome.RowRef;

/**
 * One change to holds, bookings, outcomes or messages: what a {@link BookingStore} makes durable
 * before the change takes effect, and what it gives back, in order, when a service opens over it.
 * The journal writes each as one framed record; {@link #encode} and {@link #decode} are that
 * encoding, which another store may keep as it is (the PostgreSQL store keeps a hold's, so that its
 * facts come back at a restart). Payload layouts (big-endian; {@code str} is a
 * u16 byte length then that many bytes of UTF-8; {@code ms} an i64 of epoch milliseconds; enums
 * are written by name, so reordering constants never changes what a file means):
 * <pre>
 *  every record   type u8 | at ms | token hi i64 | token lo i64                    (25 bytes)
 *  1 HOLD         expiresAt ms | slot end i32 (minutes since 2020-01-01T00:00Z) | modalities u8
 *                 | slotId str (source.rpps.yyyyMMddTHHmmZ: vendor CODE, RPPS, start)
 *                 | method str | operator id str | last name str | first name str | email str
 *                 | practitioner name str | phone str | profession str | participation str
 *                 | cpts id str ("" = none) | cpts name str | zone str
 *  2 CONFIRM      vendor reference str ("" for a PHONE booking)
 *  3 RELEASE      cause u8 (0 by the operator, 1 refused by the vendor)
 *  4 EXPIRE       (nothing more)
 *  5 CONFIRMING   (nothing more): an online confirmation is about to go to the vendor, with the
 *                 token as idempotency key; until a CONFIRM or RELEASE follows, the vendor may hold
 *                 a booking under it, so the hold never expires and replay asks the vendor again
 *  6 CANCELLING   (nothing more): the cancellation of an online booking is about to go to the
 *                 vendor; until a RELEASE (cancelled) or a CONFIRM (the vendor refused: the booking
 *                 stands) follows, replay cancels again with the same reference
 * </pre>
 * Added in journal version 2 (a version-1 file holds types 1 to 6 only, and still replays; the
 * first writer to open one rewrites it as version 2 by a compaction):
 * <pre>
 *  7 HOLD         a HOLD made for a case: the type-1 payload, then case id str | modality str
 *                 | patient's MT u8 (1 yes). Never the patient: the case id only
 *  8 CONFIRM      the type-2 payload, then a message block: the booking's outbox message
 *  9 RELEASE      the type-3 payload, then a message block: the cancellation's outbox message
 * 10 OUTCOME      case id str | row kind str (SLOT, RPPS, STRUCTURE) | row id str | shown as str
 *                 (SLOT, MT, SURNUMERAIRE, CPTS, STRUCTURE, PDSA) | result str | operator id str
 *                 | has message u8 [| message block]; the token is the booking's for FULFILLED and
 *                 NO_SHOW, the new appointment's id for an ACCEPTED slot row announced to the
 *                 LRM, zero otherwise
 * 11 ACK          message id hi i64 | lo i64: the host acknowledged that message (token zero)
 * 12 MESSAGE      a message block alone: an unacknowledged message a compaction carried over,
 *                 the change it announced being folded into the state (token zero)
 *
 *  message block  id hi i64 | id lo i64 | kind str | created ms | case id str ("" none)
 *                 | wrapped message str (the EDXL-DE JSON text, UTF-8)
 * </pre>
 * A message lives in the very record of the change it announces, so one append (one force) makes
 * both durable: there is no instant at which the change is recorded and its message is not.
 * Slots are named by their {@link SlotId} text and never by index record or vendor id, which
 * change across restarts and registry edits.
 */
public sealed interface BookingRecord permits BookingRecord.Hold, BookingRecord.Confirm, BookingRecord.Release,
    BookingRecord.Expire, BookingRecord.Confirming, BookingRecord.Cancelling, BookingRecord.OutcomeRecord,
    BookingRecord.Ack, BookingRecord.Carried {
    byte HOLD = 1;
    byte CONFIRM = 2;
    byte RELEASE = 3;
    byte EXPIRE = 4;
    byte CONFIRMING = 5;
    byte CANCELLING = 6;
    byte HOLD_CASE = 7;
    byte CONFIRM_MESSAGE = 8;
    byte RELEASE_MESSAGE = 9;
    byte OUTCOME = 10;
    byte ACK = 11;
    byte MESSAGE = 12;
    /** The token of records that concern no hold (ACK, MESSAGE, an outcome of a row that was not booked). */
    HoldToken NO_TOKEN = new HoldToken(new UUID(0, 0));

    HoldToken token();

    Instant at();

    /** A new hold; {@code caseRef} is {@code null} for a hold made without a case. */
    record Hold(HoldToken token, Instant at, Instant expiresAt, Operator operator, SlotFacts facts, CaseRef caseRef)
        implements BookingRecord {
        public Hold {
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(facts, "facts");
        }

        /** The slot held (its facts are this package's). */
        public SlotId slot() {
            return facts.slot();
        }

        /** The same hold dated by a store's clock. */
        public Hold redated(final Instant heldAt, final Instant runsOut) {
            return new Hold(token, heldAt, runsOut, operator, facts, caseRef);
        }

        /** Whether the slot is booked online (end to end) or by phone. */
        public BookingMethod method() {
            return facts.method();
        }

        Hold(final HoldToken token, final Instant at, final Instant expiresAt, final Operator operator,
             final SlotFacts facts) {
            this(token, at, expiresAt, operator, facts, null);
        }
    }

    /**
     * The hold became a booking; {@code vendorReference} is {@code null} for a PHONE booking;
     * {@code message} the booking's outbox message ({@code null}: none, or a version-1 record).
     */
    record Confirm(HoldToken token, Instant at, String vendorReference, OutboxMessage message) implements BookingRecord {
        Confirm(final HoldToken token, final Instant at, final String vendorReference) {
            this(token, at, vendorReference, null);
        }
    }

    /** The hold or booking was released; {@code message} the cancellation's outbox message, or {@code null}. */
    record Release(HoldToken token, Instant at, boolean byVendor, OutboxMessage message) implements BookingRecord {
        Release(final HoldToken token, final Instant at, final boolean byVendor) {
            this(token, at, byVendor, null);
        }
    }

    /**
     * An operator's outcome for a row shown for a case, or for a booking ({@code token} then the
     * booking's, else {@link #NO_TOKEN}); {@code shownAs} the kind of row; {@code message} the
     * LRM's notice of it, or {@code null}.
     */
    record OutcomeRecord(HoldToken token, Instant at, String caseId, RowRef row, String shownAs, Outcome result,
                         String operatorId, OutboxMessage message) implements BookingRecord {
        public OutcomeRecord {
            Objects.requireNonNull(caseId, "caseId");
            Objects.requireNonNull(row, "row");
            Objects.requireNonNull(shownAs, "shownAs");
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(operatorId, "operatorId");
        }
    }

    /** The host acknowledged message {@code id}. */
    record Ack(HoldToken token, Instant at, UUID id) implements BookingRecord {
    }

    /** An unacknowledged message carried over by a compaction. */
    record Carried(HoldToken token, Instant at, OutboxMessage message) implements BookingRecord {
    }

    /** The message a record carries, or {@code null}. */
    static OutboxMessage messageOf(final BookingRecord r) {
        if (r instanceof Confirm) {
            return ((Confirm) r).message();
        }
        if (r instanceof Release) {
            return ((Release) r).message();
        }
        if (r instanceof OutcomeRecord) {
            return ((OutcomeRecord) r).message();
        }
        return r instanceof Carried ? ((Carried) r).message() : null;
    }

    /** The same record without its message (what a compaction keeps of a record whose message it carries apart). */
    static BookingRecord withoutMessage(final BookingRecord r) {
        if (r instanceof Confirm) {
            final Confirm c = (Confirm) r;
            return new Confirm(c.token(), c.at(), c.vendorReference(), null);
        }
        if (r instanceof OutcomeRecord) {
            final OutcomeRecord o = (OutcomeRecord) r;
            return new OutcomeRecord(o.token(), o.at(), o.caseId(), o.row(), o.shownAs(), o.result(), o.operatorId(),
                null);
        }
        return r;
    }

    /** The hold's time to live ran out. */
    record Expire(HoldToken token, Instant at) implements BookingRecord {
    }

    /** An online confirmation is going to the vendor: written before the call, so a crash cannot hide it. */
    record Confirming(HoldToken token, Instant at) implements BookingRecord {
    }

    /** The cancellation of an online booking is going to the vendor: written before the call. */
    record Cancelling(HoldToken token, Instant at) implements BookingRecord {
    }

    /** The payload bytes of a record. */
    static byte[] encode(final BookingRecord r) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(r instanceof Hold || messageOf(r) != null ? 512 : 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(type(r));
            out.writeLong(r.at().toEpochMilli());
            out.writeLong(r.token().uuid().getMostSignificantBits());
            out.writeLong(r.token().uuid().getLeastSignificantBits());
            if (r instanceof Hold) {
                final Hold h = (Hold) r;
                final SlotFacts f = h.facts();
                out.writeLong(h.expiresAt().toEpochMilli());
                out.writeInt(f.endMinute());
                out.writeByte(f.modalities());
                str(out, f.slot().toString());
                str(out, f.method().name());
                str(out, h.operator().id());
                str(out, h.operator().lastName());
                str(out, h.operator().firstName());
                str(out, h.operator().email());
                str(out, f.practitionerName());
                str(out, f.phone());
                str(out, f.profession().name());
                str(out, f.participation().name());
                str(out, f.cptsId() == null ? "" : f.cptsId());
                str(out, f.cptsName() == null ? "" : f.cptsName());
                str(out, f.zone().getId());
                if (h.caseRef() != null) {
                    str(out, h.caseRef().caseId());
                    str(out, h.caseRef().modality().name());
                    out.writeByte(h.caseRef().patientsMt() ? 1 : 0);
                }
            } else if (r instanceof Confirm) {
                final String ref = ((Confirm) r).vendorReference();
                str(out, ref == null ? "" : ref);
                if (((Confirm) r).message() != null) {
                    message(out, ((Confirm) r).message());
                }
            } else if (r instanceof Release) {
                out.writeByte(((Release) r).byVendor() ? 1 : 0);
                if (((Release) r).message() != null) {
                    message(out, ((Release) r).message());
                }
            } else if (r instanceof OutcomeRecord) {
                final OutcomeRecord o = (OutcomeRecord) r;
                str(out, o.caseId());
                str(out, o.row().kind().name());
                str(out, o.row().id());
                str(out, o.shownAs());
                str(out, o.result().name());
                str(out, o.operatorId());
                out.writeByte(o.message() == null ? 0 : 1);
                if (o.message() != null) {
                    message(out, o.message());
                }
            } else if (r instanceof Ack) {
                out.writeLong(((Ack) r).id().getMostSignificantBits());
                out.writeLong(((Ack) r).id().getLeastSignificantBits());
            } else if (r instanceof Carried) {
                message(out, ((Carried) r).message());
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("in-memory stream", e);
        }
        return bytes.toByteArray();
    }

    private static void message(final DataOutputStream out, final OutboxMessage m) throws IOException {
        out.writeLong(m.id().getMostSignificantBits());
        out.writeLong(m.id().getLeastSignificantBits());
        str(out, m.kind().name());
        out.writeLong(m.createdAt().toEpochMilli());
        str(out, m.caseId() == null ? "" : m.caseId());
        str(out, m.json());
    }

    private static OutboxMessage message(final ByteBuffer b) {
        final UUID id = new UUID(b.getLong(), b.getLong());
        final OutboxMessage.Kind kind = OutboxMessage.Kind.valueOf(str(b));
        final Instant created = Instant.ofEpochMilli(b.getLong());
        final String caseId = str(b);
        return new OutboxMessage(id, kind, created, caseId.isEmpty() ? null : caseId, str(b));
    }

    private static byte type(final BookingRecord r) {
        if (r instanceof Hold) {
            return ((Hold) r).caseRef() == null ? HOLD : HOLD_CASE;
        }
        if (r instanceof Confirm) {
            return ((Confirm) r).message() == null ? CONFIRM : CONFIRM_MESSAGE;
        }
        if (r instanceof OutcomeRecord) {
            return OUTCOME;
        }
        if (r instanceof Ack) {
            return ACK;
        }
        if (r instanceof Carried) {
            return MESSAGE;
        }
        if (r instanceof Release) {
            return ((Release) r).message() == null ? RELEASE : RELEASE_MESSAGE;
        }
        if (r instanceof Confirming) {
            return CONFIRMING;
        }
        if (r instanceof Cancelling) {
            return CANCELLING;
        }
        return EXPIRE;
    }

    private static void str(final DataOutputStream out, final String s) throws IOException {
        final byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("journal string longer than 65535 bytes");
        }
        out.writeShort(b.length);
        out.write(b);
    }

    /**
     * Reads a payload whose checksum matched.
     *
     * @throws IllegalArgumentException when it is not a record of this format (a bug or a format
     *                                  change, since the checksum was good)
     */
    static BookingRecord decode(final byte[] payload) {
        final ByteBuffer b = ByteBuffer.wrap(payload);
        try {
            final byte type = b.get();
            final Instant at = Instant.ofEpochMilli(b.getLong());
            final HoldToken token = new HoldToken(new UUID(b.getLong(), b.getLong()));
            final BookingRecord r;
            switch (type) {
                case HOLD:
                case HOLD_CASE: {
                    final Instant expiresAt = Instant.ofEpochMilli(b.getLong());
                    final int end = b.getInt();
                    final int modalities = b.get() & 0xFF;
                    final SlotId slot = SlotId.parse(str(b));
                    final BookingMethod method = BookingMethod.valueOf(str(b));
                    final Operator operator = new Operator(str(b), str(b), str(b), str(b));
                    final String name = str(b);
                    final String phone = str(b);
                    final Profession profession = Profession.valueOf(str(b));
                    final Participation participation = Participation.valueOf(str(b));
                    final String cptsId = str(b);
                    final String cptsName = str(b);
                    final ZoneId zone = ZoneId.of(str(b));
                    final CaseRef caseRef = type == HOLD ? null
                        : new CaseRef(str(b), Modality.valueOf(str(b)), b.get() == 1);
                    r = new Hold(token, at, expiresAt, operator, new SlotFacts(slot, end, modalities, method, name,
                        phone, profession, participation, cptsId.isEmpty() ? null : cptsId,
                        cptsId.isEmpty() ? null : cptsName, zone), caseRef);
                    break;
                }
                case CONFIRM:
                case CONFIRM_MESSAGE: {
                    final String ref = str(b);
                    r = new Confirm(token, at, ref.isEmpty() ? null : ref, type == CONFIRM ? null : message(b));
                    break;
                }
                case RELEASE:
                case RELEASE_MESSAGE: {
                    final boolean byVendor = b.get() == 1;
                    r = new Release(token, at, byVendor, type == RELEASE ? null : message(b));
                    break;
                }
                case OUTCOME: {
                    final String caseId = str(b);
                    final RowRef row = new RowRef(RowRef.Kind.valueOf(str(b)), str(b));
                    final String shownAs = str(b);
                    final Outcome result = Outcome.valueOf(str(b));
                    final String operatorId = str(b);
                    r = new OutcomeRecord(token, at, caseId, row, shownAs, result, operatorId,
                        b.get() == 1 ? message(b) : null);
                    break;
                }
                case ACK:
                    r = new Ack(token, at, new UUID(b.getLong(), b.getLong()));
                    break;
                case MESSAGE:
                    r = new Carried(token, at, message(b));
                    break;
                case EXPIRE:
                    r = new Expire(token, at);
                    break;
                case CONFIRMING:
                    r = new Confirming(token, at);
                    break;
                case CANCELLING:
                    r = new Cancelling(token, at);
                    break;
                default:
                    throw new IllegalArgumentException("unknown record type " + type);
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " unexpected bytes after the record");
            }
            return r;
        } catch (final BufferUnderflowException e) {
            throw new IllegalArgumentException("record shorter than its type requires", e);
        } catch (final RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String str(final ByteBuffer b) {
        final int n = b.getShort() & 0xFFFF;
        final byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
