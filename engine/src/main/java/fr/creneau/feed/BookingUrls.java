package fr.creneau.feed;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.agrona.collections.Long2ObjectHashMap;

import fr.creneau.slot.Minutes;

/**
 * The deep links of vendor slots (the guide's {@code Slot.comment}: the practitioner's agenda at
 * the vendor), kept beside the off-heap index, which stores no strings. A {@link SlotSink} in
 * front of the index: every replacement of one (source, practitioner) first records the URLs of
 * the slots it lists, then goes on to the index.
 *
 * <h2>Memory layout</h2>
 * One entry per (source, practitioner) with a URL, keyed by {@code source << 32 | practitioner}
 * in an open-addressing {@code long} map. The value is the URL itself when every slot of that
 * replacement that has one has the same (the guide's case: the URL is the agenda's, not the
 * slot's), so a practitioner with 40 slots costs one map entry and one string, about 24 B of map
 * (load factor 0.65) plus the string (40 B + its length, compact Latin-1): ~140 B for a typical
 * 70-character URL, ~14 MB for 100,000 practitioners, against ~70 MB for the same strings kept
 * per slot (560,000 slots), or 12 B a slot of keys even with the strings shared. A vendor that gives each slot its own URL gets a {@link PerSlot}:
 * the start minutes sorted in an {@code int[]}, their URLs beside them ({@code null} where a slot
 * has none), found by binary search. {@link #heapBytes()} measures it.
 *
 * <p>Slots are named by their index identity (source, practitioner, start minute), the same as
 * {@link fr.creneau.slot.SlotId}'s. A URL that is not an absolute {@code http}/{@code https}
 * URI of at most {@link #MAX_URL_LENGTH} characters without spaces or control characters is not
 * kept (the slot stays; it has no deep link): it would be shown to an operator as a link.
 *
 * <p>Thread-safety: {@link #replace} on the index's single writer thread; {@link #url} and
 * {@link #heapBytes} from any thread (a read lock; the writer holds the write lock for one map
 * update). Readers look a URL up only for the rows they print, never in the search loop.
 */
public final class BookingUrls implements SlotSink {
    /** Longest URL kept, in characters (browsers and proxies commonly cap at 2,048). */
    public static final int MAX_URL_LENGTH = 2048;

    private final SlotSink next;
    private final Long2ObjectHashMap<Object> bySource = new Long2ObjectHashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** The URLs of one replacement whose slots do not share one; immutable once published. */
    private static final class PerSlot {
        final int[] minutes;
        final String[] urls;

        PerSlot(final int[] minutes, final String[] urls) {
            this.minutes = minutes;
            this.urls = urls;
        }
    }

    public BookingUrls(final SlotSink next) {
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public boolean replace(final int source, final int practitioner, final List<SlotRecord> slots) {
        final Object value = source == SlotRecord.MANUAL ? null : valueOf(slots);
        final long key = key(source, practitioner);
        lock.writeLock().lock();
        try {
            if (value == null) {
                bySource.remove(key);
            } else {
                bySource.put(key, value);
            }
        } finally {
            lock.writeLock().unlock();
        }
        return next.replace(source, practitioner, slots);
    }

    @Override
    public int localityKey(final int practitioner) {
        return next.localityKey(practitioner);
    }

    /**
     * The URL of that slot as the vendor gave it, or {@code null}. Any thread.
     *
     * @param startMinute the slot's start, minutes since {@link Minutes#EPOCH_SECOND}
     */
    public String url(final int source, final int practitioner, final int startMinute) {
        final Object v;
        lock.readLock().lock();
        try {
            v = bySource.get(key(source, practitioner));
        } finally {
            lock.readLock().unlock();
        }
        if (v == null || v instanceof String) {
            return (String) v;
        }
        final PerSlot p = (PerSlot) v;
        final int i = Arrays.binarySearch(p.minutes, startMinute);
        return i < 0 ? null : p.urls[i];
    }

    /** {@code url} with the platform's {@code origin} query parameter added (before a fragment), or {@code null}. */
    public static String withOrigin(final String url, final String origin) {
        if (url == null || origin == null || origin.isEmpty()) {
            return url;
        }
        final int hash = url.indexOf('#');
        final String head = hash < 0 ? url : url.substring(0, hash);
        final String tail = hash < 0 ? "" : url.substring(hash);
        final String param = "origin=" + java.net.URLEncoder.encode(origin, java.nio.charset.StandardCharsets.UTF_8);
        final char sep = head.indexOf('?') < 0 ? '?' : head.endsWith("?") || head.endsWith("&") ? 0 : '&';
        return head + (sep == 0 ? "" : String.valueOf(sep)) + param + tail;
    }

    /** (Source, practitioner) pairs with at least one URL. Any thread. */
    public int entries() {
        lock.readLock().lock();
        try {
            return bySource.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Heap held by the table, in bytes, estimated from its arrays and strings (64-bit JVM,
     * compressed references, compact strings; a string shared by two entries is counted twice).
     * Any thread; walks the table.
     */
    public long heapBytes() {
        lock.readLock().lock();
        try {
            // Agrona's map: a long[] of keys and an Object[] of values, both of its capacity.
            final int capacity = bySource.capacity();
            long bytes = 16L + 8L * capacity + 16L + 4L * capacity + 64;
            for (final Object v : bySource.values()) {
                if (v instanceof String) {
                    bytes += stringBytes((String) v);
                } else {
                    final PerSlot p = (PerSlot) v;
                    bytes += 16 + 16 + 4L * p.minutes.length + 16 + 4L * p.urls.length;
                    String previous = null;
                    for (final String u : p.urls) {
                        if (u != null && !u.equals(previous)) {
                            bytes += stringBytes(u);
                        }
                        previous = u;
                    }
                }
            }
            return bytes;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static long stringBytes(final String s) {
        return 24 + 16 + ((s.length() + 7) & ~7); // String object + byte[] header + Latin-1 bytes
    }

    private static long key(final int source, final int practitioner) {
        return ((long) source << 32) | (practitioner & 0xFFFF_FFFFL);
    }

    /** One string when every URL given is the same; a {@link PerSlot} when they differ; {@code null} when none. */
    private static Object valueOf(final List<SlotRecord> slots) {
        String common = null;
        boolean differ = false;
        int withUrl = 0;
        for (final SlotRecord s : slots) {
            final String u = accepted(s.bookingUrl());
            if (u == null) {
                continue;
            }
            withUrl++;
            if (common == null) {
                common = u;
            } else if (!common.equals(u)) {
                differ = true;
            }
        }
        if (withUrl == 0) {
            return null;
        }
        if (!differ && withUrl == slots.size()) {
            return common;
        }
        // Slots come sorted by start, not overlapping, whole minutes: minutes strictly increase.
        final int[] minutes = new int[slots.size()];
        final String[] urls = new String[slots.size()];
        String previous = null;
        for (int i = 0; i < minutes.length; i++) {
            final SlotRecord s = slots.get(i);
            minutes[i] = Minutes.floor(s.start());
            String u = accepted(s.bookingUrl());
            if (u != null && u.equals(previous)) {
                u = previous; // one string per run of equal URLs
            }
            urls[i] = u;
            previous = u == null ? previous : u;
        }
        return new PerSlot(minutes, urls);
    }

    /** The URL if it may be shown as a link, else {@code null}. */
    static String accepted(final String url) {
        if (url == null || url.isEmpty() || url.length() > MAX_URL_LENGTH) {
            return null;
        }
        for (int i = 0; i < url.length(); i++) {
            final char c = url.charAt(i);
            if (c <= 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || Character.getType(c) == Character.FORMAT) {
                return null;
            }
        }
        try {
            final URI uri = new URI(url);
            final String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                || uri.getHost() == null) {
                return null;
            }
        } catch (final java.net.URISyntaxException e) {
            return null;
        }
        return url;
    }
}
