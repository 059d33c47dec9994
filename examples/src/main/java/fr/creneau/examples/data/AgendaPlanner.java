package fr.creneau.examples.data;

import java.io.IOException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.SplittableRandom;

import fr.creneau.feed.Modality;
import fr.creneau.feed.Visibility;

/**
 * Lays out a practitioner's agenda over the 48-hour window and decides which slots reach which
 * source: the vendor feed (free slots, or every slot at the stress scale) and the manual SAS
 * agenda.
 *
 * <p>Invariants of what it emits, per practitioner and per source:
 * <ul>
 *   <li>start &gt;= now and end &lt;= now + 48h (instants);</li>
 *   <li>slots do not overlap: they are consecutive cuts of disjoint sessions;</li>
 *   <li>local times exist and are unambiguous in the practitioner's zone, and the offset is the
 *       zone's offset at that instant (slots that would fall in a DST gap or overlap are dropped;
 *       with sessions inside 07:00-20:00 none does in France);</li>
 *   <li>the agenda of a calendar day is drawn from a stream keyed by (practitioner, day) only, so
 *       moving {@code now} moves the window over the same agendas instead of reshuffling them.</li>
 * </ul>
 *
 * <p>Not thread-safe only through its {@link Sink}; the planner itself holds no mutable state.
 */
final class AgendaPlanner {
    /** Length of the window, the SAS horizon. */
    static final Duration WINDOW = Duration.ofHours(48);
    private static final long MANUAL_SALT = 0x6D616E75616CL;

    /** Receives the slots of one practitioner, in time order per source. */
    interface Sink {
        void vendorSlot(GeneratedPractitioner p, LocalDateTime start, ZoneOffset startOffset, LocalDateTime end,
                        ZoneOffset endOffset, Modality modality, Visibility visibility) throws IOException;

        /** @param modalities set of {@link Modality#bit()}, never 0 */
        void manualSlot(GeneratedPractitioner p, LocalDateTime start, ZoneOffset startOffset, LocalDateTime end,
                        ZoneOffset endOffset, int modalities) throws IOException;
    }

    private final Instant from;
    private final Instant to;
    private final boolean wholeAgenda;

    AgendaPlanner(final Instant now, final boolean wholeAgenda) {
        this.from = now;
        this.to = now.plus(WINDOW);
        this.wholeAgenda = wholeAgenda;
    }

    /** Emits the slots of {@code p} that lie in the window. */
    void plan(final GeneratedPractitioner p, final Sink sink) throws IOException {
        final AgendaProfile a = p.agenda();
        if (p.vendor() == null && a.manualRate() == 0) {
            return; // directory only: reachable by phone, no slot anywhere
        }
        final ZoneRules rules = p.zone().getRules();
        final LocalDate first = LocalDateTime.ofInstant(from, p.zone()).toLocalDate();
        final LocalDate last = LocalDateTime.ofInstant(to, p.zone()).toLocalDate();
        final int[] sessions = new int[4];
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            final SplittableRandom dayRng = new SplittableRandom(Mix.mix(a.seed(), day.toEpochDay()));
            final SplittableRandom manualRng = new SplittableRandom(Mix.mix(a.seed() ^ MANUAL_SALT, day.toEpochDay()));
            final int count = sessions(a, day, p.holidayZone(), dayRng, sessions);
            for (int s = 0; s < count; s += 2) {
                final int sessionEnd = sessions[s + 1];
                int t = sessions[s];
                while (true) {
                    // Every draw is made for every slot, whatever the branch: the stream stays aligned.
                    final double modalityRoll = dayRng.nextDouble();
                    final Modality modality = modalityRoll < a.homeShare() ? Modality.HOME_VISIT
                        : modalityRoll < a.homeShare() + a.teleShare() ? Modality.TELECONSULTATION : Modality.OFFICE;
                    final int minutes = modality == Modality.HOME_VISIT
                        ? Math.max(a.slotMinutes(), Proportions.HOME_VISIT_MINUTES) : a.slotMinutes();
                    if (t + minutes > sessionEnd) {
                        break;
                    }
                    final boolean free = dayRng.nextDouble() < a.freeRate();
                    final Visibility drawn = a.visibility().pick(dayRng);
                    final boolean manual = manualRng.nextDouble() < a.manualRate();
                    final double extraRoll = manualRng.nextDouble();

                    final LocalDateTime start = LocalDateTime.of(day, LocalTime.of(t / 60, t % 60));
                    final LocalDateTime end = start.plusMinutes(minutes);
                    t += minutes;
                    final List<ZoneOffset> startOffsets = rules.getValidOffsets(start);
                    final List<ZoneOffset> endOffsets = rules.getValidOffsets(end);
                    if (startOffsets.size() != 1 || endOffsets.size() != 1) {
                        continue; // DST gap or overlap: no such (unambiguous) local time
                    }
                    final ZoneOffset startOffset = startOffsets.get(0);
                    final ZoneOffset endOffset = endOffsets.get(0);
                    final long startEpoch = start.toEpochSecond(startOffset);
                    final long endEpoch = end.toEpochSecond(endOffset);
                    if (startEpoch < from.getEpochSecond()
                        || (startEpoch == from.getEpochSecond() && from.getNano() > 0)
                        || endEpoch > to.getEpochSecond()) {
                        continue;
                    }
                    if (p.vendor() != null && (free || wholeAgenda)) {
                        final Visibility visibility = a.patientsOnly() ? Visibility.PATIENTELE
                            : drawn == Visibility.STRUCTURE && !a.structure() ? Visibility.PATIENTELE : drawn;
                        sink.vendorSlot(p, start, startOffset, end, endOffset, modality, visibility);
                    }
                    if (manual) {
                        sink.manualSlot(p, start, startOffset, end, endOffset, manualModalities(a, modality, extraRoll));
                    }
                }
            }
        }
    }

    /**
     * A manual slot offers its modality, and sometimes a second one the practitioner also does (an
     * office slot that can be a teleconsultation, 30%; or a home visit, 10%).
     */
    private static int manualModalities(final AgendaProfile a, final Modality modality, final double roll) {
        int bits = modality.bit();
        if (modality == Modality.OFFICE && a.teleShare() > 0 && roll < 0.30) {
            bits |= Modality.TELECONSULTATION.bit();
        } else if (modality != Modality.HOME_VISIT && a.homeShare() > 0 && roll >= 0.90) {
            bits |= Modality.HOME_VISIT.bit();
        }
        return bits;
    }

    /**
     * Fills {@code out} with the [start, end) pairs (minutes of day) worked on {@code day}; returns
     * the number of ints written (0, 2 or 4). Draws exactly one value from {@code rng}.
     */
    static int sessions(final AgendaProfile a, final LocalDate day, final String holidayZone,
                        final SplittableRandom rng, final int[] out) {
        final double roll = rng.nextDouble();
        if (a.sosShifts()) {
            final int start = roll < 0.5 ? 8 * 60 : 14 * 60;
            out[0] = start;
            out[1] = start + 6 * 60;
            return 2;
        }
        final DayOfWeek dow = day.getDayOfWeek();
        if (PublicHolidays.isSundayOrHoliday(day, holidayZone)) {
            if (roll >= a.sundayRate() || a.sundayStart() >= a.sundayEnd()) {
                return 0;
            }
            out[0] = a.sundayStart();
            out[1] = a.sundayEnd();
            return 2;
        }
        if (dow == DayOfWeek.SATURDAY) {
            if (roll >= a.saturdayRate()) {
                return 0;
            }
            if (a.saturdayEnd() < a.pmEnd()) {
                out[0] = a.amStart();
                out[1] = a.saturdayEnd();
                return 2;
            }
        } else if (dow == a.dayOff()) {
            return 0;
        }
        out[0] = a.amStart();
        out[1] = a.amEnd();
        out[2] = a.pmStart();
        out[3] = a.pmEnd();
        return 4;
    }
}
