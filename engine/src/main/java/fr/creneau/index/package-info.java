/**
 * The off-heap slot index: fixed-size slot records in direct {@link java.nio.ByteBuffer} pages,
 * grouped in one-hour time buckets (a ring that expires as the clock moves) and, inside a bucket,
 * chained per H3 cell of the practitioner. One writer thread; any number of readers, lock-free.
 * See {@link fr.creneau.index.SlotIndex} for the design and {@link fr.creneau.index.SlotDescriptor}
 * for the record layout.
 */
package fr.creneau.index;
