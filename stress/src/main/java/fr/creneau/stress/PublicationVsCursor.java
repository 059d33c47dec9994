package fr.creneau.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.time.Duration;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import fr.creneau.index.CellTable;
import fr.creneau.slot.Minutes;
import fr.creneau.index.SlotCursor;

/**
 * The writer publishes two records into an empty chain (plain stores of their fields, then a
 * release store: of the chain head for the first, of the first's link for the second, which
 * starts later: SlotIndex, "Chain order"); a reader walks the chain at the same time. It sees a
 * prefix of what was published (nothing, the first, or both), and every record it sees is whole:
 * a missing release/acquire pair would let it follow the head or the link to fields not yet written.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "walked before the first publication")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "walked between the two publications: one whole record")
@Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "walked after both: two whole records")
@Outcome(expect = FORBIDDEN, desc = "a record seen before its fields were written")
@State
public class PublicationVsCursor {
    private final Fixture f = new Fixture();
    private final SlotCursor cursor = f.index.cursor();

    @Actor
    public void writer() {
        f.index.replace(Fixture.SOURCE, 0, Fixture.slots(0, Fixture.T0.plus(Duration.ofMinutes(70)), 2));
    }

    @Actor
    public void reader(final II_Result r) {
        final CellTable cells = cursor.begin();
        try {
            final int now = Minutes.floor(Fixture.T0);
            cursor.open(f.cell0, now, now + 48 * 60, now);
            while (cursor.next()) {
                if (Fixture.whole(cursor, cells, f.cell0)) {
                    r.r1++;
                } else {
                    r.r2++;
                }
            }
        } finally {
            cursor.end();
        }
    }
}
