package fr.creneau.feed;

import java.util.List;

/**
 * Where validated slots go: the slot index. The ingestion replaces one practitioner's slots from
 * one source at a time, so that a reader never sees a practitioner with neither the old nor the new
 * slots.
 *
 * <p>Called by one writer thread at a time (the {@link Ingestor}'s caller); implementations say
 * what readers may do concurrently.
 */
public interface SlotSink {
    /**
     * Replaces every slot of {@code practitioner} from {@code source} by {@code slots}.
     *
     * @param source       vendor id, or {@link SlotRecord#MANUAL}
     * @param practitioner directory index
     * @param slots        the new slots, sorted by start, not overlapping; empty to remove all
     * @return {@code true} when anything changed (a slot added, removed or modified)
     */
    boolean replace(int source, int practitioner, List<SlotRecord> slots);

    /**
     * The order in which the sink prefers to receive the practitioners of one input: the
     * {@link Ingestor} replaces them by increasing key (ties in directory order). The index returns
     * the practitioner's H3 cell, so that the records of one cell are written one after another
     * and a query reads them sequentially instead of one cache miss each. Default: no preference.
     */
    default int localityKey(final int practitioner) {
        return 0;
    }
}
