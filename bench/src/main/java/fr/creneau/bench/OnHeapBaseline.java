package fr.creneau.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.index.strtree.STRtree;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Site;
import fr.creneau.feed.Visibility;
import fr.creneau.index.Geo;
import fr.creneau.rank.ResultKind;

/**
 * Baseline (b): what a team writes first. Slots are objects in per-practitioner lists on the heap;
 * practitioners' sites are in a JTS {@link STRtree} (points; a slot is ranked by its site's distance,
 * a practitioner has one row, the best of their sites); a query takes the sites in the
 * bounding box of its radius (every practitioner for an unlimited teleconsultation: a plain scan),
 * keeps those of the profession within the distance that have a free, visible slot of the modality
 * starting in the window and not ended, sorts the candidates by Créneau's key, and cuts. The same
 * protocol as {@code Searcher}: MT row first, then step 2, else surnuméraire doctors within 50 km
 * with one row per structure (CDS, MSP, SOS Médecins, CPTS, MMG, or an inline CPTS), those closed
 * now after the open ones; SAS participants first in step 2.
 *
 * <p>Immutable after construction; {@link #search} is thread-safe (allocates per call, as such
 * code does).
 */
public final class OnHeapBaseline {
    static final byte FREE = 0;

    /** One slot. */
    static final class Slot {
        final int start;
        final int end;
        final int modalities;
        final Visibility visibility;
        final int source;
        volatile byte state = FREE;

        Slot(final int start, final int end, final int modalities, final Visibility visibility, final int source) {
            this.start = start;
            this.end = end;
            this.modalities = modalities;
            this.visibility = visibility;
            this.source = source;
        }
    }

    /** One practitioner with their slots, by start, one list per site. */
    static final class Prac {
        final int index;
        final Practitioner entry;
        /** The contact of the nothing-free step ({@link Ranking#contactKey}), or {@code null}. */
        final String contact;
        final List<List<Slot>> slots = new ArrayList<>();

        Prac(final int index, final Practitioner entry, final String contact) {
            this.index = index;
            this.entry = entry;
            this.contact = contact;
            for (int s = 0; s < entry.sites().size(); s++) {
                slots.add(new ArrayList<>());
            }
        }
    }

    /** One site of a practitioner: the unit the tree holds, as Créneau's index does. */
    record SiteOf(Prac prac, int site, double lat, double lon) {
    }

    private record Candidate(long key, int p, String contact, int start, int site) {
        boolean before(final Candidate o) {
            return Ranking.compare(key, p, start, site, o.key, o.p, o.start, o.site) < 0;
        }
    }

    private final Directory directory;
    private final Prac[] pracs;
    private final STRtree tree = new STRtree();

    public OnHeapBaseline(final DataSet data) {
        this.directory = data.directory;
        this.pracs = new Prac[directory.capacity()];
        for (int p = 0; p < pracs.length; p++) {
            final Practitioner e = directory.get(p);
            if (e != null) {
                pracs[p] = new Prac(p, e, Ranking.contactKey(directory, e));
                for (int s = 0; s < e.sites().size(); s++) {
                    final Site site = e.sites().get(s);
                    tree.insert(new Envelope(site.lon(), site.lon(), site.lat(), site.lat()),
                        new SiteOf(pracs[p], s, site.lat(), site.lon()));
                }
            }
        }
        for (int i = 0; i < data.size; i++) {
            pracs[data.practitioner[i]].slots.get(data.site[i]).add(new Slot(data.start[i], data.end[i],
                data.modalities[i], Visibility.values()[data.visibility[i]], data.source[i]));
        }
        for (final Prac p : pracs) {
            if (p != null) {
                for (final List<Slot> list : p.slots) {
                    list.sort((a, b) -> Integer.compare(a.start, b.start));
                }
            }
        }
        tree.build();
    }

    /** Runs the query into {@code out}; returns the number of rows. */
    public int search(final QuerySpec q, final Rows out) {
        out.clear();
        final int now = q.nowMinute();
        final int to = now + q.windowMinutes();
        final int bit = q.modality().bit();
        int mt = -1;
        if (q.mtRpps() != 0) {
            mt = directory.indexOf(q.mtRpps());
            if (mt < 0) {
                out.mtUnknown = true;
            } else {
                // The earliest slot over the sites (ties: the lower site), else the site nearest the patient.
                final Prac p = pracs[mt];
                Slot best = null;
                int bestSite = -1;
                int nearest = 0;
                double nearestKm = Double.MAX_VALUE;
                for (int s = 0; s < p.slots.size(); s++) {
                    final Site site = p.entry.sites().get(s);
                    final double km = Geo.distanceKm(q.lat(), q.lon(), site.lat(), site.lon());
                    if (km < nearestKm) {
                        nearestKm = km;
                        nearest = s;
                    }
                    final Slot slot = earliest(p.slots.get(s), now, to, bit, false);
                    if (slot != null && (best == null || slot.start < best.start)) {
                        best = slot;
                        bestSite = s;
                    }
                }
                out.add(ResultKind.MEDECIN_TRAITANT, mt, null, best == null ? 0 : best.start,
                    best == null ? nearest : bestSite);
            }
        }
        if (out.size >= q.limit()) {
            return out.size;
        }
        final int wanted = q.limit() - out.size;
        final int seed = Ranking.seed(q);
        final double maxKm = Ranking.maxKm(q.modality());
        // One candidate per practitioner: the best of their sites.
        final Map<Integer, Candidate> best = new HashMap<>();
        for (final SiteOf u : near(q.lat(), q.lon(), maxKm)) {
            final Prac p = u.prac();
            if (p.index == mt || p.entry.profession() != q.profession()) {
                continue;
            }
            final double d = Geo.distanceKm(q.lat(), q.lon(), u.lat(), u.lon());
            if (d > maxKm || !Ranking.inReach(p.entry, q.modality(), d)) {
                continue;
            }
            final Slot s = earliest(p.slots.get(u.site()), now, to, bit, true);
            if (s != null) {
                final Candidate c = new Candidate(Ranking.slotKeyOf(p.entry.participation(), d, (s.start - now) / 60,
                    p.entry.rpps(), seed), p.index, null, s.start, u.site());
                best.merge(p.index, c, (x, y) -> y.before(x) ? y : x);
            }
        }
        final List<Candidate> found = new ArrayList<>(best.values());
        if (!found.isEmpty()) {
            found.sort((a, b) -> a.before(b) ? -1 : b.before(a) ? 1 : 0);
            for (int i = 0; i < Math.min(wanted, found.size()); i++) {
                out.add(ResultKind.SLOT, found.get(i).p, null, found.get(i).start, found.get(i).site);
            }
            return out.size;
        }
        // Nothing free: surnuméraire doctors at their nearest site, one row per structure (its
        // nearest member's key), a structure closed now after the open ones.
        final double extraKm = Ranking.CONFIG.surnumeraireMaxKm();
        final Map<String, Candidate> byContact = new HashMap<>();
        for (final SiteOf u : near(q.lat(), q.lon(), extraKm)) {
            final Prac p = u.prac();
            if (p.index == mt || !p.entry.acceptsExtraPatients() || p.entry.profession() != q.profession()) {
                continue;
            }
            final double d = Geo.distanceKm(q.lat(), q.lon(), u.lat(), u.lon());
            if (d > extraKm || !Ranking.inReach(p.entry, q.modality(), d)) {
                continue;
            }
            final boolean closed = p.contact != null && !Ranking.open(directory, p.contact, now);
            final Candidate c = new Candidate(Ranking.contactKeyOf(closed, d, p.entry.rpps(), seed), p.index, p.contact,
                0, u.site());
            if (p.contact == null) {
                best.merge(p.index, c, (x, y) -> y.before(x) ? y : x);
            } else {
                byContact.merge(p.contact, c, (x, y) -> y.before(x) ? y : x);
            }
        }
        found.addAll(best.values());
        found.addAll(byContact.values());
        found.sort((a, b) -> a.before(b) ? -1 : b.before(a) ? 1 : 0);
        for (int i = 0; i < Math.min(wanted, found.size()); i++) {
            final Candidate c = found.get(i);
            if (c.contact == null) {
                out.add(ResultKind.SURNUMERAIRE, c.p, null, 0, c.site);
            } else {
                out.add(Ranking.contactKind(directory, c.contact), -1, c.contact.substring(2), 0, -1);
            }
        }
        return out.size;
    }

    /** Practitioners in the bounding box of a radius, or all of them (plain scan) when unlimited. */
    @SuppressWarnings("unchecked")
    private List<SiteOf> near(final double lat, final double lon, final double km) {
        if (Double.isInfinite(km)) {
            final List<SiteOf> all = new ArrayList<>(pracs.length);
            for (final Prac p : pracs) {
                if (p != null) {
                    for (int s = 0; s < p.entry.sites().size(); s++) {
                        final Site site = p.entry.sites().get(s);
                        all.add(new SiteOf(p, s, site.lat(), site.lon()));
                    }
                }
            }
            return all;
        }
        final double dLat = km / 110.0;
        final double dLon = km / (110.0 * Math.max(0.01, Math.cos(Math.toRadians(Math.abs(lat) + dLat))));
        return tree.query(new Envelope(lon - dLon, lon + dLon, lat - dLat, lat + dLat));
    }

    private static Slot earliest(final List<Slot> slots, final int now, final int to, final int bit,
                                 final boolean visibleOnly) {
        for (final Slot s : slots) {
            if (s.start >= to) {
                return null;
            }
            if (s.start >= now && s.end > now && s.state == FREE && (s.modalities & bit) != 0
                && (!visibleOnly || s.visibility.isVisible())) {
                return s;
            }
        }
        return null;
    }

    /** Heap objects held, for the memory report (approximate: JOL-style shallow sizes). */
    public int practitioners() {
        return pracs.length;
    }
}
