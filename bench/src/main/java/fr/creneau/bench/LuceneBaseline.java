package fr.creneau.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LatLonDocValuesField;
import org.apache.lucene.document.LatLonPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Site;
import fr.creneau.feed.Modality;
import fr.creneau.feed.Visibility;
import fr.creneau.index.Geo;
import fr.creneau.rank.ResultKind;

/**
 * Baseline (a): Apache Lucene in memory, the engine under Elasticsearch and OpenSearch. One
 * document per slot in a {@link ByteBuffersDirectory}: the practitioner's position as a
 * {@link LatLonPoint} (filter) and a {@link LatLonDocValuesField} (sort), start and end as
 * {@link IntPoint}s (start also as doc values), modality, state, visibility and profession as
 * keyword terms, the practitioner's index as a point and doc values. One document per
 * practitioner in a second index for the surnuméraire step. The index is force-merged to one
 * segment (Lucene's best case).
 *
 * <p>Step 2 is a boolean query of FILTER clauses (profession, modality, FREE, visibility in
 * PUBLIC/PROFESSIONAL, start in [now, now + window), end &gt; now, distance ≤ max km unless
 * unlimited) sorted by {@link LatLonDocValuesField#newDistanceSort} then start then practitioner,
 * read in pages ({@code searchAfter}) and collapsed client-side to the first (so earliest) hit of
 * each practitioner, as Elasticsearch's field collapsing does, until the page passes the
 * distance band of the {@code wanted}-th practitioner; the rows are then ordered by Créneau's key
 * (band, hour, rotation). Distances for bands are recomputed with the engine's {@link Geo} on the
 * practitioner's exact position (Lucene quantises to ~1 cm and uses its own haversine), and the
 * Lucene radius gets {@value #SLACK_M} m of slack, so that both agree on every band edge.
 *
 * <p>Thread-safe: {@link IndexSearcher} is; {@link #search} allocates per call (queries, top-N
 * queues, boxed sort values), as Lucene applications do.
 */
public final class LuceneBaseline implements AutoCloseable {
    static final double SLACK_M = 10;
    private static final int PAGE = 512;
    private static final BytesRef[] VISIBLE = {new BytesRef(Visibility.PUBLIC.name()),
        new BytesRef(Visibility.PROFESSIONAL.name())};

    private final Directory directory;
    private final String[] cptsOf;
    private final ByteBuffersDirectory slotsDir = new ByteBuffersDirectory();
    private final ByteBuffersDirectory practitionersDir = new ByteBuffersDirectory();
    private final DirectoryReader slotsReader;
    private final DirectoryReader practitionersReader;
    private final IndexSearcher slots;
    private final IndexSearcher practitioners;

    public LuceneBaseline(final DataSet data) {
        this.directory = data.directory;
        this.cptsOf = new String[directory.capacity()];
        try {
            try (IndexWriter w = new IndexWriter(practitionersDir, config())) {
                for (int p = 0; p < directory.capacity(); p++) {
                    final Practitioner e = directory.get(p);
                    if (e == null) {
                        continue;
                    }
                    cptsOf[p] = Ranking.contactKey(directory, e);
                    for (int s = 0; s < e.sites().size(); s++) { // one document per site
                        final Site site = e.sites().get(s);
                        final Document d = new Document();
                        d.add(new LatLonPoint("loc", site.lat(), site.lon()));
                        d.add(new LatLonDocValuesField("loc", site.lat(), site.lon()));
                        d.add(new StringField("prof", e.profession().name(), Field.Store.NO));
                        d.add(new StringField("extra", Boolean.toString(e.acceptsExtraPatients()), Field.Store.NO));
                        d.add(new IntPoint("p", p));
                        d.add(new NumericDocValuesField("p", p));
                        d.add(new NumericDocValuesField("site", s));
                        w.addDocument(d);
                    }
                }
                w.forceMerge(1);
            }
            try (IndexWriter w = new IndexWriter(slotsDir, config())) {
                final Modality[] modalities = Modality.values();
                for (int i = 0; i < data.size; i++) {
                    final int p = data.practitioner[i];
                    final Practitioner e = directory.get(p);
                    final Site site = e.sites().get(data.site[i]);
                    final Document d = new Document();
                    d.add(new LatLonPoint("loc", site.lat(), site.lon()));
                    d.add(new LatLonDocValuesField("loc", site.lat(), site.lon()));
                    d.add(new NumericDocValuesField("site", data.site[i]));
                    d.add(new IntPoint("start", data.start[i]));
                    d.add(new NumericDocValuesField("start", data.start[i]));
                    d.add(new IntPoint("end", data.end[i]));
                    for (final Modality m : modalities) {
                        if ((data.modalities[i] & m.bit()) != 0) {
                            d.add(new StringField("mod", m.name(), Field.Store.NO));
                        }
                    }
                    d.add(new StringField("state", "FREE", Field.Store.NO));
                    d.add(new StringField("vis", Visibility.values()[data.visibility[i]].name(), Field.Store.NO));
                    d.add(new StringField("prof", e.profession().name(), Field.Store.NO));
                    d.add(new IntPoint("p", p));
                    d.add(new NumericDocValuesField("p", p));
                    w.addDocument(d);
                }
                w.forceMerge(1);
            }
            slotsReader = DirectoryReader.open(slotsDir);
            practitionersReader = DirectoryReader.open(practitionersDir);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        slots = new IndexSearcher(slotsReader);
        practitioners = new IndexSearcher(practitionersReader);
    }

    private static IndexWriterConfig config() {
        return new IndexWriterConfig().setRAMBufferSizeMB(256).setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    }

    /** Bytes held by both in-memory directories. */
    public long ramBytesUsed() {
        try {
            long bytes = 0;
            for (final ByteBuffersDirectory dir : new ByteBuffersDirectory[] {slotsDir, practitionersDir}) {
                for (final String file : dir.listAll()) {
                    bytes += dir.fileLength(file);
                }
            }
            return bytes;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the query into {@code out}; returns the number of rows. */
    public int search(final QuerySpec q, final Rows out) {
        try {
            return doSearch(q, out);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Hit(long key, int p, String cpts, int start, int site) {
        boolean before(final Hit o) {
            return Ranking.compare(key, p, start, site, o.key, o.p, o.start, o.site) < 0;
        }
    }

    private int doSearch(final QuerySpec q, final Rows out) throws IOException {
        out.clear();
        final int now = q.nowMinute();
        final int to = now + q.windowMinutes();
        final String modality = q.modality().name();
        int mt = -1;
        if (q.mtRpps() != 0) {
            mt = directory.indexOf(q.mtRpps());
            if (mt < 0) {
                out.mtUnknown = true;
            } else {
                final Query mtQuery = new BooleanQuery.Builder()
                    .add(IntPoint.newExactQuery("p", mt), Occur.FILTER)
                    .add(new TermQuery(new Term("mod", modality)), Occur.FILTER)
                    .add(new TermQuery(new Term("state", "FREE")), Occur.FILTER)
                    .add(IntPoint.newRangeQuery("start", now, to - 1), Occur.FILTER)
                    .add(IntPoint.newRangeQuery("end", now + 1, Integer.MAX_VALUE), Occur.FILTER)
                    .build();
                final TopFieldDocs top = slots.search(mtQuery, 1, new Sort(new SortField("start", SortField.Type.INT),
                    new SortField("site", SortField.Type.LONG)));
                if (top.scoreDocs.length == 0) {
                    out.add(ResultKind.MEDECIN_TRAITANT, mt, null, 0, nearestSite(mt, q));
                } else {
                    final Object[] f = ((FieldDoc) top.scoreDocs[0]).fields;
                    out.add(ResultKind.MEDECIN_TRAITANT, mt, null, (Integer) f[0], (int) (long) (Long) f[1]);
                }
            }
        }
        if (out.size >= q.limit()) {
            return out.size;
        }
        final int wanted = q.limit() - out.size;
        final int seed = Ranking.seed(q);
        final double maxKm = Ranking.maxKm(q.modality());

        // Step 2: nearest free slots, collapsed to one (the earliest) per practitioner.
        final BooleanQuery.Builder b = new BooleanQuery.Builder()
            .add(new TermQuery(new Term("prof", q.profession().name())), Occur.FILTER)
            .add(new TermQuery(new Term("mod", modality)), Occur.FILTER)
            .add(new TermQuery(new Term("state", "FREE")), Occur.FILTER)
            .add(new TermInSetQuery("vis", VISIBLE), Occur.FILTER)
            .add(IntPoint.newRangeQuery("start", now, to - 1), Occur.FILTER)
            .add(IntPoint.newRangeQuery("end", now + 1, Integer.MAX_VALUE), Occur.FILTER);
        if (!Double.isInfinite(maxKm)) {
            b.add(LatLonPoint.newDistanceQuery("loc", q.lat(), q.lon(), maxKm * 1000 + SLACK_M), Occur.FILTER);
        }
        if (mt >= 0) {
            b.add(IntPoint.newExactQuery("p", mt), Occur.MUST_NOT);
        }
        final Sort bySlot = new Sort(LatLonDocValuesField.newDistanceSort("loc", q.lat(), q.lon()),
            new SortField("start", SortField.Type.INT), new SortField("p", SortField.Type.INT),
            new SortField("site", SortField.Type.LONG));
        final List<Hit> hits = collapse(slots, b.build(), bySlot, q, maxKm, wanted, seed, true);
        if (!hits.isEmpty()) {
            for (int i = 0; i < Math.min(wanted, hits.size()); i++) {
                out.add(ResultKind.SLOT, hits.get(i).p, null, hits.get(i).start, hits.get(i).site);
            }
            return out.size;
        }

        // Step 3: surnuméraire doctors within 50 km, one row per CPTS.
        final double extraKm = Ranking.CONFIG.surnumeraireMaxKm();
        final BooleanQuery.Builder e = new BooleanQuery.Builder()
            .add(new TermQuery(new Term("prof", q.profession().name())), Occur.FILTER)
            .add(new TermQuery(new Term("extra", "true")), Occur.FILTER)
            .add(LatLonPoint.newDistanceQuery("loc", q.lat(), q.lon(), extraKm * 1000 + SLACK_M), Occur.FILTER);
        if (mt >= 0) {
            e.add(IntPoint.newExactQuery("p", mt), Occur.MUST_NOT);
        }
        final Sort byPractitioner = new Sort(LatLonDocValuesField.newDistanceSort("loc", q.lat(), q.lon()),
            new SortField("p", SortField.Type.INT), new SortField("site", SortField.Type.LONG));
        final List<Hit> extra = collapse(practitioners, e.build(), byPractitioner, q, extraKm, wanted, seed, false);
        for (int i = 0; i < Math.min(wanted, extra.size()); i++) {
            final Hit h = extra.get(i);
            if (h.cpts == null) {
                out.add(ResultKind.SURNUMERAIRE, h.p, null, 0, h.site);
            } else {
                out.add(Ranking.contactKind(directory, h.cpts), -1, h.cpts.substring(2), 0, -1);
            }
        }
        return out.size;
    }

    /** The practitioner's site nearest the patient (ties: the lower site). */
    private int nearestSite(final int p, final QuerySpec q) {
        final Practitioner e = directory.get(p);
        int nearest = 0;
        double best = Double.MAX_VALUE;
        for (int s = 0; s < e.sites().size(); s++) {
            final double km = Geo.distanceKm(q.lat(), q.lon(), e.sites().get(s).lat(), e.sites().get(s).lon());
            if (km < best) {
                best = km;
                nearest = s;
            }
        }
        return nearest;
    }

    /**
     * Reads hits in distance order, page by page, keeping the first of each (practitioner, site)
     * and, per practitioner, the best of their sites by Créneau's order (slots), or per structure
     * its best member (surnuméraire), until past the band of the {@code wanted}-th distinct row;
     * returns the rows in Créneau's order. A hit past that band orders after every row counted,
     * so it can neither enter the rows nor improve one of them.
     */
    private List<Hit> collapse(final IndexSearcher searcher, final Query query, final Sort sort, final QuerySpec q,
                               final double maxKm, final int wanted, final int seed, final boolean slotHits)
        throws IOException {
        final Map<Integer, Hit> rows = new HashMap<>();
        final java.util.Set<Long> seenSites = new java.util.HashSet<>();
        final Map<String, Hit> byCpts = new HashMap<>();
        int distinct = 0;
        long maxBand = -1;
        double ceilingM = Double.POSITIVE_INFINITY;
        ScoreDoc after = null;
        pages:
        while (true) {
            final TopFieldDocs page = after == null ? searcher.search(query, PAGE, sort)
                : (TopFieldDocs) searcher.searchAfter(after, query, PAGE, sort);
            for (final ScoreDoc sd : page.scoreDocs) {
                final Object[] fields = ((FieldDoc) sd).fields;
                if ((Double) fields[0] > ceilingM) {
                    break pages;
                }
                final int p = (Integer) fields[fields.length - 2];
                final int site = (int) (long) (Long) fields[fields.length - 1];
                if (!seenSites.add(((long) p << 8) | site)) {
                    continue; // collapse: a later (farther or later) hit of a (practitioner, site) already kept
                }
                final Practitioner e = directory.get(p);
                final Site at = e.sites().get(site);
                final double d = Geo.distanceKm(q.lat(), q.lon(), at.lat(), at.lon());
                if (d > maxKm || !Ranking.inReach(e, q.modality(), d)) {
                    continue;
                }
                final int start = slotHits ? (Integer) fields[1] : 0;
                final int hour = slotHits ? (start - q.nowMinute()) / 60 : 0;
                final String cpts = slotHits ? null : cptsOf[p];
                // A structure closed now still gives its row, after the open ones (Ranking.contactKeyOf).
                final boolean closed = cpts != null && !Ranking.open(directory, cpts, q.nowMinute());
                final long key = slotHits ? Ranking.slotKeyOf(e.participation(), d, hour, e.rpps(), seed)
                    : Ranking.contactKeyOf(closed, d, e.rpps(), seed);
                final Hit h = new Hit(key, p, cpts, start, site);
                final Hit was = rows.get(p);
                if (was == null) {
                    rows.put(p, h);
                    if (cpts == null && Ranking.tierOfKey(key) == 0) {
                        // Only tier-0 rows bound the reading: a farther tier-0 hit may still beat a
                        // nearer row of a higher tier (not a SAS participant; a closed structure).
                        distinct++;
                    }
                } else if (h.before(was)) {
                    rows.put(p, h);
                }
                if (cpts != null) {
                    final Hit best = byCpts.get(cpts);
                    if (best == null) {
                        if (Ranking.tierOfKey(key) == 0) {
                            distinct++;
                        }
                        byCpts.put(cpts, h);
                    } else if (h.before(best)) {
                        byCpts.put(cpts, h);
                    }
                }
                if (Double.isInfinite(ceilingM) && Ranking.tierOfKey(key) == 0) {
                    maxBand = Math.max(maxBand, Ranking.bandOfKey(h.key));
                    if (distinct >= wanted) {
                        ceilingM = (maxBand + 1) * Ranking.CONFIG.distanceBandKm() * 1000 + SLACK_M;
                    }
                }
            }
            if (page.scoreDocs.length < PAGE) {
                break;
            }
            after = page.scoreDocs[page.scoreDocs.length - 1];
        }
        final List<Hit> out = new ArrayList<>();
        for (final Hit h : rows.values()) {
            if (h.cpts == null) {
                out.add(h);
            }
        }
        out.addAll(byCpts.values());
        out.sort((x, y) -> x.before(y) ? -1 : y.before(x) ? 1 : 0);
        return out;
    }

    @Override
    public void close() throws IOException {
        slotsReader.close();
        practitionersReader.close();
    }
}
