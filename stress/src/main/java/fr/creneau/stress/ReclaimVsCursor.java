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
import fr.creneau.slot.Minutes;
import fr.creneau.index.SlotCursor;

/**
 * A reader walks practitioner 0's four records of 10:00 while the writer's clock moves on five
 * hours in two steps: the first expires 10:00 (heads reset, pages quarantined), the second is past
 * the grace hour and writes practitioner 1's slots of a new hour, which reuse the freed page unless
 * a reader still announces an older epoch. The reader sees some of the four records, whole, and
 * never a record made of two lives of a location.
 */
@JCStressTest
@Outcome(id = {"0, 0", "1, 0", "2, 0", "3, 0", "4, 0"}, expect = ACCEPTABLE,
    desc = "some of the records it started on, each whole")
@Outcome(expect = FORBIDDEN, desc = "a record mixed from two lives of a location, or of another cell")
@State
public class ReclaimVsCursor {
    private static final Instant TEN = Fixture.T0.plus(Duration.ofHours(1));
    private final Fixture f = new Fixture();
    private final SlotCursor cursor = f.index.cursor();

    public ReclaimVsCursor() {
        f.index.replace(Fixture.SOURCE, 0, Fixture.slots(0, TEN, 4));
    }

    @Actor
    public void writer() {
        f.clock.set(Fixture.T0.plus(Duration.ofHours(3)));
        f.index.replace(Fixture.SOURCE, 1, List.of());
        f.clock.set(Fixture.T0.plus(Duration.ofHours(5)));
        f.index.replace(Fixture.SOURCE, 1, Fixture.slots(1, Fixture.T0.plus(Duration.ofHours(6)), 4));
    }

    @Actor
    public void reader(final II_Result r) {
        final CellTable cells = cursor.begin();
        try {
            final int now = Minutes.floor(Fixture.T0);
            cursor.open(f.cell0, now, now + 48 * 60, now);
            while (cursor.next()) {
                if (Fixture.whole(cursor, cells, f.cell0) && cursor.practitioner() == 0) {
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
