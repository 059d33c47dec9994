package fr.creneau.outcome;

import java.util.Objects;
import java.util.regex.Pattern;

import fr.creneau.directory.Rpps;
import fr.creneau.slot.SlotId;

/**
 * The row of a search an outcome is about, named as an operator can name it: by slot id (a slot
 * row), by RPPS (the MT, a surnuméraire doctor, a PDSA doctor) or by structure id (a CPTS, an MSP,
 * a CDS). Immutable.
 *
 * @param kind what {@code id} is
 * @param id   slot id text ({@link SlotId#toString()}), RPPS (11 digits) or structure id
 */
public record RowRef(Kind kind, String id) {
    private static final Pattern STRUCTURE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** How the row is named. */
    public enum Kind {
        SLOT,
        RPPS,
        STRUCTURE
    }

    public RowRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    public static RowRef slot(final SlotId slot) {
        return new RowRef(Kind.SLOT, slot.toString());
    }

    public static RowRef rpps(final long rpps) {
        return new RowRef(Kind.RPPS, Rpps.format(rpps));
    }

    /** @throws IllegalArgumentException when {@code id} is not 1 to 64 of {@code [A-Za-z0-9._:-]} */
    public static RowRef structure(final String id) {
        if (id == null || !STRUCTURE.matcher(id).matches()) {
            throw new IllegalArgumentException("structure id must be 1 to 64 characters of A-Z a-z 0-9 . _ : -");
        }
        return new RowRef(Kind.STRUCTURE, id);
    }

    /** The slot of a {@link Kind#SLOT} row. */
    public SlotId slotId() {
        return SlotId.parse(id);
    }

    /** The practitioner of a slot or RPPS row; 0 for a structure. */
    public long practitioner() {
        switch (kind) {
            case SLOT:
                return slotId().rpps();
            case RPPS:
                return Long.parseLong(id);
            default:
                return 0;
        }
    }
}
