package fr.creneau.slot;

/**
 * Memory and content of a {@link SlotIndex} at one moment.
 *
 * @param offHeapBytes  direct memory held by record pages (free pages included)
 * @param heapBytes     primitive arrays and maps around the pages: chain heads, cell table,
 *                      per-practitioner chains
 * @param liveSlots     records in live buckets that are not GONE (free, held or booked)
 * @param pages         pages allocated
 * @param freePages     pages waiting for reuse
 * @param cells         occupied H3 cells
 */
public record IndexStats(long offHeapBytes, long heapBytes, long liveSlots, int pages, int freePages, int cells) {
    /** Every byte the index holds, off-heap and heap, per live slot ({@code NaN} when empty). */
    public double bytesPerSlot() {
        return liveSlots == 0 ? Double.NaN : (double) (offHeapBytes + heapBytes) / liveSlots;
    }

    /** Off-heap bytes per live slot ({@code NaN} when empty). */
    public double offHeapBytesPerSlot() {
        return liveSlots == 0 ? Double.NaN : (double) offHeapBytes / liveSlots;
    }
}
