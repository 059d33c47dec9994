package fr.creneau.pdsa;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What loading the PDSA files kept and left out: a count per {@link PdsaRejectReason} and the first
 * {@value #MAX_MESSAGES} messages. Mutable while loading (one thread), read-only afterwards.
 */
public final class PdsaReport {
    /** Messages kept; the counts go on past it. */
    public static final int MAX_MESSAGES = 100;

    private final Map<PdsaRejectReason, Integer> counts = new EnumMap<>(PdsaRejectReason.class);
    private final List<String> messages = new ArrayList<>();
    private int sectors;
    private int shifts;

    void reject(final PdsaRejectReason reason, final String message) {
        counts.merge(reason, 1, Integer::sum);
        if (messages.size() < MAX_MESSAGES) {
            messages.add(reason + ": " + message);
        }
    }

    void sectorKept() {
        sectors++;
    }

    void shiftKept() {
        shifts++;
    }

    /** Rejections of that reason. */
    public int count(final PdsaRejectReason reason) {
        return counts.getOrDefault(reason, 0);
    }

    /** All rejections. */
    public int rejected() {
        int n = 0;
        for (final int c : counts.values()) {
            n += c;
        }
        return n;
    }

    public int sectorsKept() {
        return sectors;
    }

    public int shiftsKept() {
        return shifts;
    }

    public List<String> messages() {
        return Collections.unmodifiableList(messages);
    }

    @Override
    public String toString() {
        return "sectors " + sectors + ", shifts " + shifts + ", rejected " + counts;
    }
}
