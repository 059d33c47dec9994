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
 *   <li>site: a native {@code "site"} that is not one of the practitioner's site ids, or a FHIR
 *       Location that matches none of their sites while they have several:
 *       {@link RejectReason#UNKNOWN_SITE} (see {@link #site});</li>
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
            final int site = site(raw, p);
            if (site < 0) {
                report.reject(RejectReason.UNKNOWN_SITE, id, site == NO_SUCH_SITE
                    ? "practitioner " + raw.rpps() + " has no site " + Json.quote(raw.site())
                    : "the Location " + describe(raw.place()) + " matches none of the " + p.sites().size()
                        + " sites of practitioner " + raw.rpps());
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
                raw.visibility(), source, raw.bookingUrl(), site == MAIN_FALLBACK ? 0 : site));
            report.accepted();
            if (site == MAIN_FALLBACK) {
                report.placedAtMainSite();
            }
            keptCount++;
        }
        final List<SlotRecord> all = new ArrayList<>(keptCount);
        for (final List<SlotRecord> own : kept.values()) {
            all.addAll(own);
        }
        all.sort(BY_PRACTITIONER_THEN_START);
        return all;
    }

    /** {@link #site}: a native site id the practitioner does not have. */
    private static final int NO_SUCH_SITE = -1;
    /** {@link #site}: a Location that matches none of several sites. */
    private static final int UNMATCHED = -2;
    /** {@link #site}: a Location that matches no site of a practitioner who has one: kept there, counted. */
    private static final int MAIN_FALLBACK = Integer.MAX_VALUE;

    /**
     * The slot's site ordinal. A native {@code "site"} must be one of the practitioner's site ids.
     * A FHIR Location (contained in the slot's PractitionerRole) is matched, in this order, by one
     * of its ids (identifier values, then its resource id) equal to a site id; by a position within
     * {@link RawSlot.Place#SAME_PLACE_KM} of a site (the nearest); by the same commune (INSEE code,
     * else postal code) and first address line. Unmatched: with a single site the slot stays there
     * ({@link #MAIN_FALLBACK}, counted as {@link IngestReport#placedAtMainSite()}: the directory
     * knows one place, as before sites existed); with several it is rejected, since a guess could
     * send the patient to the wrong address. No site and no Location: the main site.
     */
    static int site(final RawSlot raw, final Practitioner p) {
        if (raw.site() != null) {
            final int i = p.siteIndex(raw.site());
            return i < 0 ? NO_SUCH_SITE : i;
        }
        final RawSlot.Place place = raw.place();
        if (place == null || place.empty()) {
            return 0;
        }
        for (final String locationId : place.ids()) {
            final int i = p.siteIndex(locationId);
            if (i >= 0) {
                return i;
            }
        }
        final List<fr.creneau.directory.Site> sites = p.sites();
        if (!Double.isNaN(place.lat())) {
            int nearest = -1;
            double best = RawSlot.Place.SAME_PLACE_KM;
            for (int i = 0; i < sites.size(); i++) {
                final double km = kmBetween(place.lat(), place.lon(), sites.get(i).lat(),
                    sites.get(i).lon());
                if (km <= best) {
                    best = km;
                    nearest = i;
                }
            }
            if (nearest >= 0) {
                return nearest;
            }
        }
        if (place.line() != null) {
            for (int i = 0; i < sites.size(); i++) {
                final fr.creneau.directory.Address a = sites.get(i).address();
                if (a == null || a.lines().isEmpty() || !sameText(a.lines().get(0), place.line())) {
                    continue;
                }
                if (place.inseeCode() != null && a.inseeCode() != null ? place.inseeCode().equals(a.inseeCode())
                    : place.postalCode() != null && place.postalCode().equals(a.postalCode())) {
                    return i;
                }
            }
        }
        return sites.size() == 1 ? MAIN_FALLBACK : UNMATCHED;
    }

    /** Great-circle distance, km (the index's own {@code Geo} is not for this package: no cycle). */
    private static double kmBetween(final double lat1, final double lon1, final double lat2, final double lon2) {
        final double p1 = Math.toRadians(lat1);
        final double p2 = Math.toRadians(lat2);
        final double sinDp = Math.sin((p2 - p1) * 0.5);
        final double sinDl = Math.sin(Math.toRadians(lon2 - lon1) * 0.5);
        final double a = sinDp * sinDp + Math.cos(p1) * Math.cos(p2) * sinDl * sinDl;
        return 2.0 * 6371.0088 * Math.asin(Math.min(1.0, Math.sqrt(a)));
    }

    /** Address lines compared without case, accents, punctuation or repeated spaces. */
    private static boolean sameText(final String a, final String b) {
        return normal(a).equals(normal(b));
    }

    private static String normal(final String s) {
        return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
            .replaceAll("[^\\p{L}\\p{N}]+", " ").strip().toLowerCase(java.util.Locale.ROOT);
    }

    private static String describe(final RawSlot.Place place) {
        final StringBuilder sb = new StringBuilder();
        if (!place.ids().isEmpty()) {
            sb.append(Json.quote(place.ids().get(0)));
        }
        if (!Double.isNaN(place.lat())) {
            sb.append(sb.length() > 0 ? " " : "").append("at ").append(place.lat()).append(',').append(place.lon());
        }
        if (place.line() != null || place.postalCode() != null) {
            sb.append(sb.length() > 0 ? " " : "").append(Json.quote((place.line() == null ? "" : place.line() + ", ")
                + (place.postalCode() == null ? "" : place.postalCode())));
        }
        return sb.toString();
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
