package fr.creneau.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import fr.creneau.index.CellTable;
import fr.creneau.index.SlotCursor;
import fr.creneau.slot.Minutes;

/**
 * A chain holds a practitioner's 10:10 and 10:40; the writer adds 10:25, which goes between them
 * (SlotIndex, "Chain order": a unit's records in ascending start order) and is published by a
 * release store of the 10:10 record's link, not of the head. A reader walks the chain meanwhile:
 * it sees two records or three, each whole, in ascending start order. A plain read of the link
 * would let it follow the link to fields not yet written; an insertion at the head, a 10:25 before
 * the 10:10, which a search that stops at a unit's first fitting record would take for its earliest.
 */
@JCStressTest
@Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "walked before the link: 10:10 and 10:40")
@Outcome(id = "3, 0", expect = ACCEPTABLE, desc = "walked after it: 10:10, 10:25, 10:40, whole and in order")
@Outcome(expect = FORBIDDEN, desc = "a record seen before its fields were written, or out of start order")
@State
public class LinkVsCursor {
    private static final Instant TEN_TEN = Fixture.T0.plus(Duration.ofMinutes(70));
    private final Fixture f = new Fixture();
    private final SlotCursor cursor = f.index.cursor();

    public LinkVsCursor() {
        f.index.replace(Fixture.SOURCE, 0, List.of(Fixture.slot(0, TEN_TEN), Fixture.slot(0, TEN_TEN.plus(Duration.ofMinutes(30)))));
    }

    @Actor
    public void writer() {
        f.index.replace(Fixture.SOURCE, 0, Fixture.slots(0, TEN_TEN, 3));
    }

    @Actor
    public void reader(final II_Result r) {
        final CellTable cells = cursor.begin();
        try {
            final int from = Minutes.floor(TEN_TEN) - 10;
            cursor.open(f.cell0, from, from + 60, Minutes.floor(Fixture.T0));
            int last = Integer.MIN_VALUE;
            while (cursor.next()) {
                if (Fixture.whole(cursor, cells, f.cell0) && cursor.startMinute() > last) {
                    r.r1++;
                    last = cursor.startMinute();
                } else {
                    r.r2++;
                }
            }
        } finally {
            cursor.end();
        }
    }
}
