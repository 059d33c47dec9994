package fr.creneau.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIJ_Result;

import fr.creneau.index.SlotDescriptor;
import fr.creneau.index.UnitSummary;
import fr.creneau.slot.Minutes;

/**
 * The free-hours summary against a release. Practitioner 0 holds a slot at X; its operator
 * releases it while the writer applies a snapshot that removes practitioner 0's other slot of the
 * same hour, which recomputes practitioner 0's summary words from their records. Whatever the
 * order, once both are done the slot is FREE and the summary has X's hour: were it clear, every
 * search would pass the practitioner over although the slot is free. (A recomputation from the
 * FREE records only, the held slot left out, loses the bit when the release's OR lands before the
 * writer's store; the summary then says "nothing" until the next snapshot.) The actor also reads
 * the word right after its release: the bit is there already.
 */
@JCStressTest
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "free, its hour set, seen by the releaser")
@Outcome(expect = FORBIDDEN, desc = "free with its hour missing from the summary")
@State
public class ReleaseVsSummary {
    private static final Instant X = Fixture.T0.plus(Duration.ofHours(2));
    private static final Instant OTHER = X.plus(Duration.ofMinutes(30));
    private final Fixture f = new Fixture();
    private final int record;
    private final long bit = 1L << (Minutes.bucket(Minutes.floor(X)) % UnitSummary.RING);
    private final int modality = Integer.numberOfTrailingZeros(Fixture.modality(0));
    private long seenByReleaser;

    public ReleaseVsSummary() {
        f.index.replace(Fixture.SOURCE, 0, List.of(Fixture.slot(0, X), Fixture.slot(0, OTHER)));
        record = f.index.findSlot(0, Fixture.SOURCE, Minutes.floor(X));
        final int word = f.index.stateWord(record);
        f.index.casState(record, word, SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD));
    }

    @Actor
    public void snapshot() {
        // X still listed (its record kept, held), the other slot of the hour removed.
        f.index.replace(Fixture.SOURCE, 0, List.of(Fixture.slot(0, X)));
    }

    @Actor
    public void release() {
        while (true) {
            final int word = f.index.stateWord(record);
            if (SlotDescriptor.state(word) != SlotDescriptor.STATE_HELD || f.index.retire(record, word)) {
                break;
            }
        }
        seenByReleaser = f.index.cells().summary().word(f.index.cells().entryOf(0), modality) & bit;
    }

    @Arbiter
    public void outcome(final IIJ_Result r) {
        r.r1 = SlotDescriptor.state(f.index.stateWord(record));
        r.r2 = (f.index.cells().summary().word(f.index.cells().entryOf(0), modality) & bit) != 0 ? 1 : 0;
        r.r3 = seenByReleaser != 0 ? 1 : 0;
    }
}
