package fr.creneau.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import fr.creneau.feed.SlotRecord;
import fr.creneau.index.SlotIndex;
import fr.creneau.rank.RankingConfig;
import fr.creneau.rank.RingTables;
import fr.creneau.rank.Searcher;

/**
 * Loads a {@link DataSet} into Créneau's off-heap {@link SlotIndex} through its public writer API,
 * {@code replace(source, practitioner, slots)}, one (practitioner, source) run at a time, as the
 * {@code Ingestor} does after validation. Setup and ingest benchmarks only.
 */
public final class CreneauIndex {
    private CreneauIndex() {
    }

    /**
     * A new index holding every slot of {@code data} (records built on the fly, run by run), in
     * {@link #order}.
     */
    public static SlotIndex load(final DataSet data) {
        final SlotIndex index = new SlotIndex(data.directory, data.clock);
        final List<SlotRecord> run = new ArrayList<>();
        for (final long key : order(data, index)) {
            int i = (int) key;
            final int p = data.practitioner[i];
            final int s = data.source[i];
            run.clear();
            while (i < data.size && data.practitioner[i] == p && data.source[i] == s) {
                run.add(data.record(i++));
            }
            index.replace(s, p, run);
        }
        return index;
    }

    /**
     * Every (practitioner, source) run of {@code data} as the parsed records the index takes, in
     * {@link #order} (for an index built on {@code data.directory}).
     */
    public static List<Run> runs(final DataSet data) {
        final List<Run> runs = new ArrayList<>();
        for (final long key : order(data, new SlotIndex(data.directory, data.clock))) {
            int i = (int) key;
            final int p = data.practitioner[i];
            final int s = data.source[i];
            final List<SlotRecord> list = new ArrayList<>();
            while (i < data.size && data.practitioner[i] == p && data.source[i] == s) {
                list.add(data.record(i++));
            }
            runs.add(new Run(s, p, List.copyOf(list)));
        }
        return runs;
    }

    /**
     * The first record of each (practitioner, source) run in the order the engine's
     * {@code Ingestor} gives them to the index when the sources' snapshots are applied one after
     * another: by source, then by the index's {@code localityKey} (the practitioner's cell and entry), then
     * by practitioner. Each long holds the source, the key and, in its low 32 bits, the position.
     */
    static long[] order(final DataSet data, final SlotIndex index) {
        long[] keys = new long[1024];
        int n = 0;
        int i = 0;
        while (i < data.size) {
            final int p = data.practitioner[i];
            final int s = data.source[i];
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, n * 2);
            }
            keys[n++] = ((long) s << 56) | ((long) (index.localityKey(p) + 1) << 32) | i;
            while (i < data.size && data.practitioner[i] == p && data.source[i] == s) {
                i++;
            }
        }
        keys = Arrays.copyOf(keys, n);
        Arrays.sort(keys);
        return keys;
    }

    /** The slots of one practitioner from one source. */
    public record Run(int source, int practitioner, List<SlotRecord> slots) {
    }

    /** A searcher with the default ranking. */
    public static Searcher searcher(final SlotIndex index, final DataSet data) {
        final RankingConfig config = RankingConfig.DEFAULTS;
        return new Searcher(index, data.vendors, config,
            new RingTables(config.ringCacheEntries(), config.ringTableRadiusKm()), Ranking.PROTOCOL);
    }
}
