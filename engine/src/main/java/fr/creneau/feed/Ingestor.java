package fr.creneau.feed;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Practitioner;
import fr.creneau.directory.Vendor;
import fr.creneau.directory.VendorRegistry;

/**
 * Applies inputs to the slot index with snapshot semantics.
 *
 * <ul>
 *   <li><b>Vendor snapshot</b>: the new snapshot replaces that vendor's slots practitioner by
 *       practitioner; a practitioner present before and absent now loses that vendor's slots (they
 *       were taken elsewhere). A snapshot older ({@code generatedAt}) than the one applied is
 *       refused ({@link StaleSnapshotException}); one of the same age is applied again; one dated
 *       beyond the clock plus {@link IngestConfig#maxClockSkew()} is refused
 *       ({@link FutureSnapshotException}).</li>
 *   <li><b>Vendor batch</b> ({@link #applyVendorBatch}, the live pull's answer for up to 25
 *       practitioners): replaces the slots of the practitioners asked only; staleness is judged
 *       per practitioner; {@link #expireStaleAnswers} drops those whose last answer is too old.</li>
 *   <li><b>Manual slots</b>: a file replaces the manual slots of each practitioner it names; others'
 *       manual slots are untouched.</li>
 *   <li><b>Directory</b>: a new directory removes the vendor slots of practitioners who left or now
 *       refuse vendor display.</li>
 * </ul>
 * Nothing reaches the sink before a whole input is parsed and validated, so an input that fails
 * (format, unknown vendor, stale, from the future, integration mismatch) changes nothing.
 *
 * <p>Single writer: not thread-safe; the host (or the facade) serialises calls. The sink decides
 * what concurrent readers see.
 */
public final class Ingestor {
    private final VendorRegistry vendors;
    private final FeedValidator validator;
    private final IngestConfig config;
    private final Clock clock;
    private final SlotSink sink;
    private final Int2ObjectHashMap<SourceState> sources = new Int2ObjectHashMap<>();
    private Directory directory;

    /**
     * Per source: the last whole snapshot's time, which practitioners it gave slots to, and for
     * practitioners refreshed by a batch ({@link #applyVendorBatch}) the time of their last batch.
     */
    private static final class SourceState {
        Instant generatedAt;
        IntHashSet practitioners = new IntHashSet();
        /** Directory index to the time of the last batch applied for that practitioner. */
        final Int2ObjectHashMap<Instant> batchAt = new Int2ObjectHashMap<>();
        /** The latest of {@link #batchAt}: a whole snapshot older than it is stale. */
        Instant latestBatch;
    }

    public Ingestor(final Directory directory, final VendorRegistry vendors, final IngestConfig config,
                    final Clock clock, final SlotSink sink) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.vendors = Objects.requireNonNull(vendors, "vendors");
        this.config = Objects.requireNonNull(config, "config");
        this.validator = new FeedValidator(config);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public Directory directory() {
        return directory;
    }

    /** When the snapshot of that vendor currently applied was generated, or {@code null}. */
    public Instant appliedSnapshot(final Vendor vendor) {
        final SourceState s = sources.get(vendor.id());
        return s == null ? null : s.generatedAt;
    }

    /**
     * Applies a vendor snapshot.
     *
     * @throws fr.creneau.directory.UnknownVendorException when the vendor is not registered
     * @throws IntegrationMismatchException when the feed declares another integration level
     * @throws StaleSnapshotException when an newer snapshot of that vendor was already applied
     * @throws FutureSnapshotException when the snapshot is dated beyond the clock plus
     *                                 {@link IngestConfig#maxClockSkew()}
     */
    public IngestReport applyVendorSnapshot(final ParsedFeed feed) {
        // Before any state is touched: a refused snapshot must not even create the source's entry.
        final Instant now = clock.instant();
        final Vendor vendor = checkedVendor(feed, "a vendor snapshot", now);
        final SourceState state = sources.computeIfAbsent(vendor.id(), k -> new SourceState());
        if (state.generatedAt != null && feed.generatedAt().isBefore(state.generatedAt)) {
            throw new StaleSnapshotException(vendor.displayName(), feed.generatedAt(), state.generatedAt);
        }
        if (state.latestBatch != null && feed.generatedAt().isBefore(state.latestBatch)) {
            throw new StaleSnapshotException(vendor.displayName(), feed.generatedAt(), state.latestBatch);
        }
        final IngestReport.Builder report = IngestReport.builder(feed.label(), vendor.displayName(), feed.generatedAt());
        final List<SlotRecord> kept = validator.validate(feed, vendor, directory, now, report);
        state.batchAt.clear(); // the whole snapshot is newer than every batch: it now answers for all
        state.latestBatch = null;
        final IntHashSet listed = new IntHashSet(Math.max(8, state.practitioners.size()));
        int changed = applyGroups(vendor.id(), kept, listed);
        final IntArrayList gone = new IntArrayList();
        for (final IntHashSet.IntIterator it = state.practitioners.iterator(); it.hasNext(); ) {
            final int p = it.nextValue();
            if (!listed.contains(p)) {
                gone.addInt(p);
            }
        }
        for (final int i : inLocalityOrder(gone)) {
            if (sink.replace(vendor.id(), gone.getInt(i), List.of())) {
                changed++;
            }
        }
        state.practitioners = listed;
        state.generatedAt = feed.generatedAt();
        return report.practitionersChanged(changed).build();
    }

    /**
     * The registered vendor of a vendor feed (snapshot or answer), after the checks both share:
     * not a manual file, the declared integration level, not dated from the future (a feed from
     * the future, once applied, would make every true one stale). Changes nothing.
     */
    private Vendor checkedVendor(final ParsedFeed feed, final String what, final Instant now) {
        if (feed.isManual()) {
            throw new IllegalArgumentException(feed.label() + " is a manual-slot file, not " + what);
        }
        final Vendor vendor = vendors.require(feed.vendor());
        if (feed.declared() != null && feed.declared() != vendor.integration()) {
            throw new IntegrationMismatchException(feed.label(), vendor, feed.declared());
        }
        if (feed.generatedAt().isAfter(now.plus(config.maxClockSkew()))) {
            throw new FutureSnapshotException(vendor.displayName(), feed.generatedAt(), now, config.maxClockSkew());
        }
        return vendor;
    }

    /**
     * Applies the answer to a search for some of a vendor's practitioners (a live pull asks 25 at
     * a time): it replaces exactly the slots of the practitioners {@code askedRpps} names, from
     * that vendor, by those the answer gives (none: they lose that vendor's slots); every other
     * practitioner keeps theirs. A slot of a practitioner not asked is rejected
     * ({@link RejectReason#NOT_REQUESTED}). Held and booked slots survive, as with a snapshot.
     *
     * <p>The answer's window is the ingest window (now .. now + horizon): the search asks
     * {@code start} from the request's instant to 48 h later, which is all the index proposes but
     * the slots already begun, which a batch thus drops.
     *
     * <p>Staleness is per practitioner: the batch is refused ({@link StaleSnapshotException},
     * nothing changes) when one of the practitioners asked was refreshed by a newer batch, or
     * the vendor's last whole snapshot is newer. Asked RPPS that the directory does not know are
     * ignored.
     *
     * @param feed      the parsed answer (all its pages), {@code generatedAt} the instant the
     *                  search was sent when the vendor gave no time
     * @param askedRpps the practitioners the search named
     * @throws fr.creneau.directory.UnknownVendorException when the vendor is not registered
     * @throws FutureSnapshotException when dated beyond the clock plus the skew allowance
     */
    public IngestReport applyVendorBatch(final ParsedFeed feed, final Collection<Long> askedRpps) {
        Objects.requireNonNull(askedRpps, "askedRpps");
        final Instant now = clock.instant();
        final Vendor vendor = checkedVendor(feed, "a vendor answer", now);
        final IntHashSet asked = new IntHashSet(Math.max(8, askedRpps.size() * 2));
        final java.util.Set<Long> askedSet = new java.util.HashSet<>(askedRpps);
        for (final Long rpps : askedSet) {
            final int index = directory.indexOf(rpps);
            if (index >= 0) {
                asked.add(index);
            }
        }
        final SourceState existing = sources.get(vendor.id());
        if (existing != null) {
            for (final IntHashSet.IntIterator it = asked.iterator(); it.hasNext(); ) {
                final int p = it.nextValue();
                final Instant last = existing.batchAt.get(p);
                final Instant newer = last != null ? last : existing.generatedAt;
                if (newer != null && feed.generatedAt().isBefore(newer)) {
                    throw new StaleSnapshotException(vendor.displayName(), feed.generatedAt(), newer);
                }
            }
        }
        // A slot of someone not asked is set aside before the rules, so it is counted once.
        final List<RawSlot> askedSlots = new ArrayList<>(feed.slots().size());
        final List<Rejection> rejected = new ArrayList<>(feed.rejected());
        for (final RawSlot slot : feed.slots()) {
            final Long rpps = parseRpps(slot.rpps());
            if (rpps != null && !askedSet.contains(rpps)) {
                rejected.add(new Rejection(RejectReason.NOT_REQUESTED, slot.id(), "practitioner " + slot.rpps()
                    + " was not asked in this search: its slots are not this answer's to replace"));
            } else {
                askedSlots.add(slot);
            }
        }
        final ParsedFeed filtered = new ParsedFeed(feed.label(), feed.vendor(), feed.generatedAt(), askedSlots,
            rejected, feed.declared());
        final SourceState state = sources.computeIfAbsent(vendor.id(), k -> new SourceState());
        final IngestReport.Builder report = IngestReport.builder(feed.label(), vendor.displayName(), feed.generatedAt());
        final List<SlotRecord> kept = validator.validate(filtered, vendor, directory, now, report);
        final IntHashSet listed = new IntHashSet();
        int changed = applyGroups(vendor.id(), kept, listed);
        final IntArrayList emptied = new IntArrayList();
        for (final IntHashSet.IntIterator it = asked.iterator(); it.hasNext(); ) {
            final int p = it.nextValue();
            if (!listed.contains(p)) {
                emptied.addInt(p);
            }
        }
        for (final int i : inLocalityOrder(emptied)) {
            final int p = emptied.getInt(i);
            if (sink.replace(vendor.id(), p, List.of())) {
                changed++;
            }
            state.practitioners.remove(p);
        }
        state.practitioners.addAll(listed);
        for (final IntHashSet.IntIterator it = asked.iterator(); it.hasNext(); ) {
            state.batchAt.put(it.nextValue(), feed.generatedAt());
        }
        if (state.latestBatch == null || feed.generatedAt().isAfter(state.latestBatch)) {
            state.latestBatch = feed.generatedAt();
        }
        return report.practitionersChanged(changed).build();
    }

    /**
     * When the answer applied last for that practitioner of that vendor was produced (its batch,
     * or the vendor's whole snapshot), or {@code null} when none was.
     */
    public Instant lastAnswer(final Vendor vendor, final int practitioner) {
        final SourceState s = sources.get(vendor.id());
        if (s == null) {
            return null;
        }
        final Instant batch = s.batchAt.get(practitioner);
        return batch != null ? batch : s.generatedAt;
    }

    /**
     * Removes the vendor slots of every practitioner refreshed by batches whose last answer is
     * older than {@code maxAge} on the clock: a vendor that stopped answering must not have its
     * hour-old agenda proposed as free. Held and booked slots survive (as with any snapshot). The
     * answer's time is kept, so {@link #lastAnswer} still says how old it is, and the next answer
     * brings the slots back. Practitioners only ever fed by whole snapshots (files) are left alone:
     * their freshness is the host's to judge.
     *
     * @return practitioner/source pairs whose slots were removed
     */
    public int expireStaleAnswers(final java.time.Duration maxAge) {
        Objects.requireNonNull(maxAge, "maxAge");
        final Instant limit = clock.instant().minus(maxAge);
        int removed = 0;
        for (final Int2ObjectHashMap<SourceState>.EntryIterator it = sources.entrySet().iterator(); it.hasNext(); ) {
            it.next();
            final int source = it.getIntKey();
            final SourceState state = it.getValue();
            final IntArrayList stale = new IntArrayList();
            for (final Int2ObjectHashMap<Instant>.EntryIterator b = state.batchAt.entrySet().iterator(); b.hasNext(); ) {
                b.next();
                if (b.getValue().isBefore(limit) && state.practitioners.contains(b.getIntKey())) {
                    stale.addInt(b.getIntKey());
                }
            }
            for (final int i : inLocalityOrder(stale)) {
                final int p = stale.getInt(i);
                sink.replace(source, p, List.of());
                state.practitioners.remove(p);
                removed++;
            }
        }
        return removed;
    }

    private static Long parseRpps(final String text) {
        if (text == null || text.length() != 11) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(text);
    }

    /** Applies a manual-slot file. */
    public IngestReport applyManual(final ParsedFeed feed) {
        if (!feed.isManual()) {
            throw new IllegalArgumentException(feed.label() + " is a vendor snapshot, not a manual-slot file");
        }
        final SourceState state = sources.computeIfAbsent(SlotRecord.MANUAL, k -> new SourceState());
        final IngestReport.Builder report = IngestReport.builder(feed.label(), "manual", null);
        final List<SlotRecord> kept = validator.validate(feed, null, directory, clock.instant(), report);
        final IntHashSet named = new IntHashSet();
        final int changed = applyGroups(SlotRecord.MANUAL, kept, named);
        state.practitioners.addAll(named);
        return report.practitionersChanged(changed).build();
    }

    /**
     * Switches to a new directory (built from the current one, so indices are stable) and removes
     * the vendor slots of practitioners who left it or now refuse vendor display, and the manual
     * slots of those who left.
     *
     * @return number of practitioner/source pairs whose slots were removed
     */
    public int updateDirectory(final Directory next) {
        this.directory = Objects.requireNonNull(next, "next");
        int removed = 0;
        for (final Int2ObjectHashMap<SourceState>.EntryIterator it = sources.entrySet().iterator(); it.hasNext(); ) {
            it.next();
            final int source = it.getIntKey();
            final SourceState state = it.getValue();
            final IntArrayList purge = new IntArrayList();
            for (final IntHashSet.IntIterator p = state.practitioners.iterator(); p.hasNext(); ) {
                final int index = p.nextValue();
                final Practitioner practitioner = next.get(index);
                if (practitioner == null || (source != SlotRecord.MANUAL && practitioner.refusesVendorSlots())) {
                    purge.addInt(index);
                }
            }
            for (final int i : inLocalityOrder(purge)) {
                final int index = purge.getInt(i);
                sink.replace(source, index, List.of());
                state.practitioners.remove(index);
                removed++;
            }
        }
        return removed;
    }

    /**
     * Positions {@code 0..n-1} of {@code practitioners}, ordered by the sink's
     * {@link SlotSink#localityKey} of the practitioner there, then by position.
     */
    private int[] inLocalityOrder(final IntArrayList practitioners) {
        // Locality key in the high half, position in the low half: one primitive sort.
        final long[] keys = new long[practitioners.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ((long) sink.localityKey(practitioners.getInt(i)) << 32) | i;
        }
        Arrays.sort(keys);
        final int[] order = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /**
     * Replaces each practitioner's run of {@code kept} (sorted by practitioner) in the sink, in
     * the sink's {@link SlotSink#localityKey} order.
     */
    private int applyGroups(final int source, final List<SlotRecord> kept, final IntHashSet practitioners) {
        final IntArrayList runPractitioner = new IntArrayList();
        final IntArrayList runStart = new IntArrayList();
        for (int i = 0; i < kept.size(); i++) {
            final int practitioner = kept.get(i).practitioner();
            if (i == 0 || kept.get(i - 1).practitioner() != practitioner) {
                runPractitioner.addInt(practitioner);
                runStart.addInt(i);
                practitioners.add(practitioner);
            }
        }
        int changed = 0;
        for (final int run : inLocalityOrder(runPractitioner)) {
            final int end = run + 1 < runStart.size() ? runStart.getInt(run + 1) : kept.size();
            if (sink.replace(source, runPractitioner.getInt(run), kept.subList(runStart.getInt(run), end))) {
                changed++;
            }
        }
        return changed;
    }
}
