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
import org.openjdk.jcstress.infra.results.II_Result;

import fr.creneau.slot.Minutes;
import fr.creneau.index.SlotDescriptor;

/**
 * A held slot that the vendor's next snapshot drops, while its operator releases it. Whichever
 * comes first, the slot ends GONE: released first, it is free and the snapshot removes it; marked
 * unlisted first, its release sends it to GONE. Never FREE (proposed again although the vendor no
 * longer lists it), with or without the unlisted flag. Two separate CASes in the writer (try to
 * remove; on failure mark unlisted) allowed FREE + unlisted.
 */
@JCStressTest
@Outcome(id = "3, 0", expect = ACCEPTABLE, desc = "gone")
@Outcome(expect = FORBIDDEN, desc = "free (or still held) after both")
@State
public class ReleaseVsRemoval {
    private static final Instant X = Fixture.T0.plus(Duration.ofHours(2));
    private static final Instant Y = Fixture.T0.plus(Duration.ofHours(3));
    private final Fixture f = new Fixture();
    private final int record;

    public ReleaseVsRemoval() {
        f.index.replace(Fixture.SOURCE, 0, List.of(Fixture.slot(0, X), Fixture.slot(0, Y)));
        record = f.index.findSlot(0, Fixture.SOURCE, Minutes.floor(X));
        final int word = f.index.stateWord(record);
        f.index.casState(record, word, SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD));
    }

    @Actor
    public void snapshot() {
        f.index.replace(Fixture.SOURCE, 0, List.of(Fixture.slot(0, Y)));
    }

    @Actor
    public void release() {
        // As the booking service does: re-read the word when the CAS loses to the writer's mark.
        while (true) {
            final int word = f.index.stateWord(record);
            if (SlotDescriptor.state(word) != SlotDescriptor.STATE_HELD || f.index.retire(record, word)) {
                return;
            }
        }
    }

    @Arbiter
    public void outcome(final II_Result r) {
        final int word = f.index.stateWord(record);
        r.r1 = SlotDescriptor.state(word);
        r.r2 = SlotDescriptor.state(word) == SlotDescriptor.STATE_GONE ? 0 : (SlotDescriptor.unlisted(word) ? 1 : 0);
    }
}
