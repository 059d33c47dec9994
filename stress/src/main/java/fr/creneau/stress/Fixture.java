package fr.creneau.stress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.Territory;
import fr.creneau.feed.Modality;
import fr.creneau.feed.SlotRecord;
import fr.creneau.feed.Visibility;
import fr.creneau.index.CellTable;
import fr.creneau.slot.Minutes;
import fr.creneau.index.SlotCursor;
import fr.creneau.index.SlotIndex;

/**
 * One small real index per jcstress state: practitioner 0 in one H3 cell of Paris, practitioner 1
 * in another, a clock the writer actor moves. Every slot's duration and modality are functions of
 * its practitioner and start ({@link #duration}, {@link #modality}), so a reader that mixed the
 * bytes of two records, or of two lives of one, sees a record that fails {@link #whole}.
 */
final class Fixture {
    static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    static final int SOURCE = 1;
    private static final Directory DIRECTORY = Directory.builder()
        .add(gp(0, 48.8566, 2.3522))
        .add(gp(1, 48.8800, 2.3900))
        .build();

    final MovingClock clock = new MovingClock(T0);
    final SlotIndex index = new SlotIndex(DIRECTORY, clock);
    final int cell0 = index.cells().cellOf(0);

    private static Practitioner gp(final int n, final double lat, final double lon) {
        final long rpps = Long.parseLong(Rpps.withCheckDigit(String.format("1%09d", n)));
        return new Practitioner(rpps, "Dr " + n, Profession.GP, lat, lon, "01 00 00 00 0" + n, "doctolib", false,
            Participation.INDIVIDUAL, false, null, Territory.of(lat, lon));
    }

    static int duration(final int practitioner, final int startMinute) {
        return 10 + (practitioner * 7 + startMinute) % 13;
    }

    static int modality(final int practitioner) {
        return practitioner == 0 ? Modality.TELECONSULTATION.bit() : Modality.HOME_VISIT.bit();
    }

    static SlotRecord slot(final int practitioner, final Instant start) {
        final int minute = Minutes.floor(start);
        return new SlotRecord("j", practitioner, start, start.plus(Duration.ofMinutes(duration(practitioner, minute))),
            modality(practitioner), Visibility.PUBLIC, SOURCE, null);
    }

    /** {@code count} slots of a practitioner, 15 minutes apart from {@code first}. */
    static List<SlotRecord> slots(final int practitioner, final Instant first, final int count) {
        final SlotRecord[] s = new SlotRecord[count];
        for (int i = 0; i < count; i++) {
            s[i] = slot(practitioner, first.plus(Duration.ofMinutes(15L * i)));
        }
        return List.of(s);
    }

    /** {@code true} when the cursor's current record is one whole record of a practitioner of {@code cell}. */
    static boolean whole(final SlotCursor c, final CellTable cells, final int cell) {
        final int p = c.practitioner();
        return p >= 0 && p < 2 && cells.cellOf(p) == cell
            && c.endMinute() - c.startMinute() == duration(p, c.startMinute())
            && c.modalities() == modality(p);
    }

    /** A clock the writer actor moves; readers of the index never read it. */
    static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(final Instant now) {
            this.now = now;
        }

        void set(final Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            return this;
        }
    }
}
