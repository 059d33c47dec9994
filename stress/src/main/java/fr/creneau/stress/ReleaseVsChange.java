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

import fr.creneau.feed.Modality;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.Visibility;
import fr.creneau.slot.Minutes;
import fr.creneau.index.SlotCursor;
import fr.creneau.index.SlotDescriptor;

/**
 * A held slot whose vendor changes it (same start, 40 minutes instead of the original length)
 * while its operator releases it. Either the release comes first and the changed version
 * replaces it, or the held one is kept (marked) and the changed one withdrawn, and both are gone
 * once released, until the next snapshot lists it again. Never the stale version free.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "released first: the changed version is free")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "kept while held, then gone; the change withdrawn")
@Outcome(expect = FORBIDDEN, desc = "the stale version shown free")
@State
public class ReleaseVsChange {
    private static final Instant X = Fixture.T0.plus(Duration.ofHours(2));
    private final Fixture f = new Fixture();
    private final int record;

    public ReleaseVsChange() {
        f.index.replace(Fixture.SOURCE, 0, List.of(Fixture.slot(0, X)));
        record = f.index.findSlot(0, Fixture.SOURCE, Minutes.floor(X));
        final int word = f.index.stateWord(record);
        f.index.casState(record, word, SlotDescriptor.transition(word, SlotDescriptor.STATE_HELD));
    }

    @Actor
    public void snapshot() {
        f.index.replace(Fixture.SOURCE, 0, List.of(new SlotRecord("j", 0, X, X.plus(Duration.ofMinutes(40)),
            Modality.TELECONSULTATION.bit(), Visibility.PUBLIC, Fixture.SOURCE, null)));
    }

    @Actor
    public void release() {
        while (true) {
            final int word = f.index.stateWord(record);
            if (SlotDescriptor.state(word) != SlotDescriptor.STATE_HELD || f.index.retire(record, word)) {
                return;
            }
        }
    }

    @Arbiter
    public void outcome(final II_Result r) {
        final SlotCursor cursor = f.index.cursor();
        final int now = Minutes.floor(Fixture.T0);
        cursor.open(f.cell0, now, now + 48 * 60, now);
        while (cursor.next()) {
            if (cursor.state() == SlotDescriptor.STATE_FREE) {
                if (cursor.endMinute() - cursor.startMinute() == 40) {
                    r.r1++;
                } else {
                    r.r2++;
                }
            }
        }
    }
}
