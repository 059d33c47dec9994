package fr.creneau.examples.data;

/**
 * Derives independent seeds from a seed and a key (SplitMix64 finaliser), so that each
 * département, practitioner and day draws from its own stream and adding one does not shift the
 * others.
 *
 * <p>Stateless and thread-safe.
 */
final class Mix {
    private Mix() {
    }

    /** A well-mixed 64-bit seed for ({@code seed}, {@code key}). */
    static long mix(final long seed, final long key) {
        long z = seed + 0x9E3779B97F4A7C15L * (key + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
