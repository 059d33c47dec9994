package fr.creneau.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.index.strtree.STRtree;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Practitioner;
import fr.creneau.feed.Visibility;
import fr.creneau.index.Geo;
import fr.creneau.rank.ResultKind;

/**
 * Baseline (b): what a team writes first. Slots are objects in per-practitioner lists on the heap;
 * practitioners are in a JTS {@link STRtree} (points); a query takes the practitioners in the
 * bounding box of its radius (every practitioner for an unlimited teleconsultation: a plain scan),
 * keeps those of the profession within the distance that have a free, visible slot of the modality
 * starting in the window and not ended, sorts the candidates by Créneau's key, and cuts. The same
 * protocol as {@code Searcher}: MT row first, then step 2, else surnuméraire doctors within 50 km
 * with one row per CPTS.
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

    /** One practitioner with their slots, by start. */
    static final class Prac {
        final int index;
        final Practitioner entry;
        final String cpts;
        final List<Slot> slots = new ArrayList<>();

        Prac(final int index, final Practitioner entry) {
            this.index = index;
            this.entry = entry;
            this.cpts = entry.participation() == Participation.CPTS && entry.cpts() != null ? entry.cpts().id() : null;
        }
    }

    private record Candidate(long key, int p, String cpts, int start) {
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
                pracs[p] = new Prac(p, e);
                tree.insert(new Envelope(e.lon(), e.lon(), e.lat(), e.lat()), pracs[p]);
            }
        }
        for (int i = 0; i < data.size; i++) {
            pracs[data.practitioner[i]].slots.add(new Slot(data.start[i], data.end[i], data.modalities[i],
                Visibility.values()[data.visibility[i]], data.source[i]));
        }
        for (final Prac p : pracs) {
            if (p != null) {
                p.slots.sort((a, b) -> Integer.compare(a.start, b.start));
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
                final Slot s = earliest(pracs[mt], now, to, bit, false);
                out.add(ResultKind.MEDECIN_TRAITANT, mt, null, s == null ? 0 : s.start);
            }
        }
        if (out.size >= q.limit()) {
            return out.size;
        }
        final int wanted = q.limit() - out.size;
        final int seed = Ranking.seed(q);
        final double maxKm = Ranking.maxKm(q.modality());
        final List<Candidate> found = new ArrayList<>();
        for (final Prac p : near(q.lat(), q.lon(), maxKm)) {
            if (p.index == mt || p.entry.profession() != q.profession()) {
                continue;
            }
            final double d = Geo.distanceKm(q.lat(), q.lon(), p.entry.lat(), p.entry.lon());
            if (d > maxKm || !Ranking.inReach(p.entry, q.modality(), d)) {
                continue;
            }
            final Slot s = earliest(p, now, to, bit, true);
            if (s != null) {
                found.add(new Candidate(Ranking.slotKeyOf(p.entry.participation(), d, (s.start - now) / 60,
                    p.entry.rpps(), seed), p.index, null, s.start));
            }
        }
        if (!found.isEmpty()) {
            found.sort((a, b) -> Ranking.compare(a.key, a.p, b.key, b.p));
            for (int i = 0; i < Math.min(wanted, found.size()); i++) {
                out.add(ResultKind.SLOT, found.get(i).p, null, found.get(i).start);
            }
            return out.size;
        }
        // Nothing free: surnuméraire doctors, one row per CPTS (its nearest member's key).
        final double extraKm = Ranking.CONFIG.surnumeraireMaxKm();
        final Map<String, Candidate> byCpts = new HashMap<>();
        for (final Prac p : near(q.lat(), q.lon(), extraKm)) {
            if (p.index == mt || !p.entry.acceptsExtraPatients() || p.entry.profession() != q.profession()) {
                continue;
            }
            final double d = Geo.distanceKm(q.lat(), q.lon(), p.entry.lat(), p.entry.lon());
            if (d > extraKm || !Ranking.inReach(p.entry, q.modality(), d)) {
                continue;
            }
            final Candidate c = new Candidate(Ranking.keyOf(d, 0, p.entry.rpps(), seed), p.index, p.cpts, 0);
            if (p.cpts == null) {
                found.add(c);
            } else {
                byCpts.merge(p.cpts, c, (a, b) -> Ranking.compare(a.key, a.p, b.key, b.p) <= 0 ? a : b);
            }
        }
        found.addAll(byCpts.values());
        found.sort((a, b) -> Ranking.compare(a.key, a.p, b.key, b.p));
        for (int i = 0; i < Math.min(wanted, found.size()); i++) {
            final Candidate c = found.get(i);
            if (c.cpts == null) {
                out.add(ResultKind.SURNUMERAIRE, c.p, null, 0);
            } else {
                out.add(ResultKind.CPTS, -1, c.cpts, 0);
            }
        }
        return out.size;
    }

    /** Practitioners in the bounding box of a radius, or all of them (plain scan) when unlimited. */
    @SuppressWarnings("unchecked")
    private List<Prac> near(final double lat, final double lon, final double km) {
        if (Double.isInfinite(km)) {
            final List<Prac> all = new ArrayList<>(pracs.length);
            for (final Prac p : pracs) {
                if (p != null) {
                    all.add(p);
                }
            }
            return all;
        }
        final double dLat = km / 110.0;
        final double dLon = km / (110.0 * Math.max(0.01, Math.cos(Math.toRadians(Math.abs(lat) + dLat))));
        return tree.query(new Envelope(lon - dLon, lon + dLon, lat - dLat, lat + dLat));
    }

    private static Slot earliest(final Prac p, final int now, final int to, final int bit, final boolean visibleOnly) {
        for (final Slot s : p.slots) {
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
