package fr.creneau.feed;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.agrona.collections.Int2ObjectHashMap;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Rpps;
import fr.creneau.directory.Vendor;

/**
 * Applies the SAS rules to a parsed input and keeps what may be shown.
 *
 * <p>Rules, in the order they are checked (the first that fails names the rejection):
 * <ol>
 *   <li>an id seen earlier in the same file: {@link RejectReason#DUPLICATE_ID};</li>
 *   <li>RPPS: {@link RejectReason#INVALID_RPPS}, {@link RejectReason#UNKNOWN_RPPS}; a vendor slot of a
 *       practitioner whose directory entry names another vendor: {@link RejectReason#VENDOR_MISMATCH};</li>
 *   <li>times, in the practitioner's zone (see {@link SlotTimes}); whole minutes
 *       ({@link RejectReason#NOT_WHOLE_MINUTE}); end after start; length;</li>
 *   <li>bookable; visibility (only PUBLIC and PROFESSIONAL); a vendor slot of a practitioner who
 *       refuses vendor display ({@link RejectReason#REFUSED_DISPLAY}; manual slots stay);</li>
 *   <li>window: ends after {@code now} and starts before {@code now + horizon};</li>
 *   <li>overlap with a slot of the same practitioner kept earlier from the same file.</li>
 * </ol>
 * The last rule and whole minutes together guarantee what slot ids rely on: no two kept slots of
 * one practitioner and one file (one source) start in the same minute.
 *
 * <p>Stateless apart from its configuration; thread-safe.
 */
public final class FeedValidator {
    private final IngestConfig config;

    public FeedValidator(final IngestConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The slots of {@code feed} that pass every rule, sorted by practitioner then start.
     *
     * @param feed      parsed input; its parse rejections are counted into {@code report}
     * @param vendor    the vendor of a snapshot, {@code null} for manual slots
     * @param directory practitioners
     * @param now       the instant the window starts from
     * @param report    receives one count per record
     */
    public List<SlotRecord> validate(final ParsedFeed feed, final Vendor vendor, final Directory directory,
                                     final Instant now, final IngestReport.Builder report) {
        report.received(feed.slots().size() + feed.rejected().size());
        for (final Rejection r : feed.rejected()) {
            report.reject(r);
        }
        final Instant horizon = now.plus(config.horizon());
        final long maxSeconds = config.maxSlotLength().getSeconds();
        final Set<String> ids = new HashSet<>(feed.slots().size() * 2);
        final Int2ObjectHashMap<List<SlotRecord>> kept = new Int2ObjectHashMap<>();
        final int source = vendor == null ? SlotRecord.MANUAL : vendor.id();
        // Thousands of kept slots start and end at the same instants: one Instant each, not two
        // per slot (a third of what a kept slot costs). Bounded like Json.Canon.
        final java.util.HashMap<Instant, Instant> instants = new java.util.HashMap<>();
        int keptCount = 0;
        for (final RawSlot raw : feed.slots()) {
            final String id = raw.id();
            if (!ids.add(id)) {
                report.reject(RejectReason.DUPLICATE_ID, id, "slot id already used earlier in this file");
                continue;
            }
            final String rppsProblem = Rpps.problem(raw.rpps());
            if (rppsProblem != null) {
                report.reject(RejectReason.INVALID_RPPS, id, rppsProblem);
                continue;
            }
            final int practitioner = directory.indexOf(Long.parseLong(raw.rpps()));
            if (practitioner < 0) {
                report.reject(RejectReason.UNKNOWN_RPPS, id, "RPPS " + raw.rpps() + " is not in the directory");
                continue;
            }
            final Practitioner p = directory.get(practitioner);
            if (vendor != null && p.vendor() != null && !p.vendor().equals(vendor.code())) {
                report.reject(RejectReason.VENDOR_MISMATCH, id, "practitioner " + raw.rpps() + " books with "
                    + p.vendor() + ", not " + vendor.displayName());
                continue;
            }
            final Instant start;
            final Instant end;
            try {
                start = SlotTimes.parse(raw.start(), p.territory().zone());
                end = SlotTimes.parse(raw.end(), p.territory().zone());
            } catch (final SlotTimes.Problem e) {
                report.reject(e.reason, id, e.getMessage());
                continue;
            }
            // Whole minutes make slot identity unique by construction: ids and the index count in
            // minutes, and two kept slots of one practitioner and source cannot overlap, so no two
            // start in the same minute (see SlotId).
            if (!SlotRecord.isWholeMinute(start) || !SlotRecord.isWholeMinute(end)) {
                report.reject(RejectReason.NOT_WHOLE_MINUTE, id, "start " + raw.start() + " and end " + raw.end()
                    + " must be whole minutes (no seconds): slots are identified by their start minute");
                continue;
            }
            if (!end.isAfter(start)) {
                report.reject(RejectReason.END_BEFORE_START, id, "end " + raw.end() + " is not after start " + raw.start());
                continue;
            }
            if (end.getEpochSecond() - start.getEpochSecond() > maxSeconds) {
                report.reject(RejectReason.TOO_LONG, id, "lasts more than " + config.maxSlotLength().toHours() + " h: "
                    + raw.start() + " to " + raw.end());
                continue;
            }
            if (!raw.bookable()) {
                report.reject(RejectReason.NOT_BOOKABLE, id, "not bookable (walk-in or not free)");
                continue;
            }
            if (!raw.visibility().isVisible()) {
                report.reject(RejectReason.NOT_VISIBLE, id, raw.visibility() + " slots are never shown to the SAS");
                continue;
            }
            if (vendor != null && p.refusesVendorSlots()) {
                report.reject(RejectReason.REFUSED_DISPLAY, id, "practitioner " + raw.rpps() + " refuses vendor display");
                continue;
            }
            if (!end.isAfter(now) || !start.isBefore(horizon)) {
                report.reject(RejectReason.OUTSIDE_WINDOW, id, raw.start() + " to " + raw.end()
                    + " is outside " + now + " .. " + horizon);
                continue;
            }
            List<SlotRecord> own = kept.get(practitioner);
            if (own == null) {
                own = new ArrayList<>(8);
                kept.put(practitioner, own);
            }
            final SlotRecord clash = firstOverlap(own, start, end);
            if (clash != null) {
                report.reject(RejectReason.OVERLAPPING, id, "overlaps slot " + clash.id() + " of practitioner " + raw.rpps());
                continue;
            }
            own.add(new SlotRecord(id, practitioner, shared(instants, start), shared(instants, end), raw.modalities(),
                raw.visibility(), source, raw.bookingUrl()));
            report.accepted();
            keptCount++;
        }
        final List<SlotRecord> all = new ArrayList<>(keptCount);
        for (final List<SlotRecord> own : kept.values()) {
            all.addAll(own);
        }
        all.sort(BY_PRACTITIONER_THEN_START);
        return all;
    }

    private static final Comparator<SlotRecord> BY_PRACTITIONER_THEN_START =
        Comparator.comparingInt(SlotRecord::practitioner).thenComparing(SlotRecord::start);

    private static Instant shared(final java.util.HashMap<Instant, Instant> instants, final Instant t) {
        final Instant known = instants.get(t);
        if (known != null) {
            return known;
        }
        if (instants.size() < Json.Canon.MAX) {
            instants.put(t, t);
        }
        return t;
    }

    private static SlotRecord firstOverlap(final List<SlotRecord> own, final Instant start, final Instant end) {
        for (final SlotRecord s : own) {
            if (s.start().isBefore(end) && start.isBefore(s.end())) {
                return s;
            }
        }
        return null;
    }
}
