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

import fr.creneau.directory.Participation;
import fr.creneau.directory.Profession;
import fr.creneau.slot.SlotId;
import fr.creneau.rank.BookingMethod;

/**
 * One journal record: what happened to one hold. Payload layouts (big-endian; {@code str} is a
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
 * Slots are named by their {@link SlotId} text and never by index record or vendor id, which
 * change across restarts and registry edits.
 */
sealed interface JournalRecord permits JournalRecord.Hold, JournalRecord.Confirm, JournalRecord.Release,
    JournalRecord.Expire, JournalRecord.Confirming, JournalRecord.Cancelling {
    byte HOLD = 1;
    byte CONFIRM = 2;
    byte RELEASE = 3;
    byte EXPIRE = 4;
    byte CONFIRMING = 5;
    byte CANCELLING = 6;

    HoldToken token();

    Instant at();

    /** A new hold. */
    record Hold(HoldToken token, Instant at, Instant expiresAt, Operator operator, SlotFacts facts)
        implements JournalRecord {
        public Hold {
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(facts, "facts");
        }
    }

    /** The hold became a booking; {@code vendorReference} is {@code null} for a PHONE booking. */
    record Confirm(HoldToken token, Instant at, String vendorReference) implements JournalRecord {
    }

    /** The hold or booking was released. */
    record Release(HoldToken token, Instant at, boolean byVendor) implements JournalRecord {
    }

    /** The hold's time to live ran out. */
    record Expire(HoldToken token, Instant at) implements JournalRecord {
    }

    /** An online confirmation is going to the vendor: written before the call, so a crash cannot hide it. */
    record Confirming(HoldToken token, Instant at) implements JournalRecord {
    }

    /** The cancellation of an online booking is going to the vendor: written before the call. */
    record Cancelling(HoldToken token, Instant at) implements JournalRecord {
    }

    /** The payload bytes of a record. */
    static byte[] encode(final JournalRecord r) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(r instanceof Hold ? 256 : 32);
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
            } else if (r instanceof Confirm) {
                final String ref = ((Confirm) r).vendorReference();
                str(out, ref == null ? "" : ref);
            } else if (r instanceof Release) {
                out.writeByte(((Release) r).byVendor() ? 1 : 0);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("in-memory stream", e);
        }
        return bytes.toByteArray();
    }

    private static byte type(final JournalRecord r) {
        if (r instanceof Hold) {
            return HOLD;
        }
        if (r instanceof Confirm) {
            return CONFIRM;
        }
        if (r instanceof Confirming) {
            return CONFIRMING;
        }
        if (r instanceof Cancelling) {
            return CANCELLING;
        }
        return r instanceof Release ? RELEASE : EXPIRE;
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
    static JournalRecord decode(final byte[] payload) {
        final ByteBuffer b = ByteBuffer.wrap(payload);
        try {
            final byte type = b.get();
            final Instant at = Instant.ofEpochMilli(b.getLong());
            final HoldToken token = new HoldToken(new UUID(b.getLong(), b.getLong()));
            final JournalRecord r;
            switch (type) {
                case HOLD: {
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
                    r = new Hold(token, at, expiresAt, operator, new SlotFacts(slot, end, modalities, method, name,
                        phone, profession, participation, cptsId.isEmpty() ? null : cptsId,
                        cptsId.isEmpty() ? null : cptsName, zone));
                    break;
                }
                case CONFIRM: {
                    final String ref = str(b);
                    r = new Confirm(token, at, ref.isEmpty() ? null : ref);
                    break;
                }
                case RELEASE:
                    r = new Release(token, at, b.get() == 1);
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
