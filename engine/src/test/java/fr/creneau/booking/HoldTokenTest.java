package fr.creneau.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.Creneau;
import fr.creneau.slot.SlotId;
import fr.creneau.index.SteppedClock;

/**
 * Hold tokens are the vendor's idempotency key and the LRM's appointment id: one token must not
 * tell anyone the next one. The attack below is what works on {@code ThreadLocalRandom} (a
 * SplitMix64 whose output function is invertible): recover the seed from one token and step it.
 */
class HoldTokenTest {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    @TempDir
    Path dir;

    @Test
    void aTokenDoesNotRevealTheNextOne() {
        final World w = new World(dir);
        final long doc = w.gp("MARTIN", "Doctolib");
        final List<SlotId> slots = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            slots.add(w.slot("Doctolib", doc, 30 + 30 * i));
        }
        try (Creneau c = w.start(World.builder(new SteppedClock(World.NOW)))) {
            final List<UUID> tokens = new ArrayList<>();
            for (final SlotId s : slots) {
                tokens.add(c.bookings().hold(s, World.operator("anne")).token().uuid());
            }
            for (int i = 0; i + 1 < tokens.size(); i++) {
                assertThat(predictedAfter(tokens.get(i))).as("token %d predicted from token %d", i + 1, i)
                    .doesNotContain(tokens.get(i + 1));
            }
            assertThat(tokens).doesNotHaveDuplicates().allSatisfy(t -> {
                assertThat(t.version()).isEqualTo(4);
                assertThat(t.variant()).isEqualTo(2);
            });
        }
    }

    /** The tokens a SplitMix64 generator on this thread could give after {@code t} (a few steps ahead). */
    private static List<UUID> predictedAfter(final UUID t) {
        final List<UUID> out = new ArrayList<>();
        final long tid = Thread.currentThread().getId();
        for (final long gamma : new long[] {GOLDEN_GAMMA, GOLDEN_GAMMA + (tid << 1)}) {
            for (int v = 0; v < 16; v++) { // the 4 bits the version overwrote
                final long hi = (t.getMostSignificantBits() & ~0xF000L) | ((long) v << 12);
                final long seed = unmix64(hi);
                final long lo = mix64(seed + gamma);
                if ((lo & 0x3FFF_FFFF_FFFF_FFFFL) != (t.getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL)) {
                    continue;
                }
                for (int step = 1; step <= 64; step++) {
                    final long nextHi = mix64(seed + (2L * step) * gamma);
                    final long nextLo = mix64(seed + (2L * step + 1) * gamma);
                    out.add(new UUID((nextHi & ~0xF000L) | 0x4000L,
                        (nextLo & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L));
                }
            }
        }
        return out;
    }

    private static long mix64(final long x) {
        long z = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static long unmix64(final long x) {
        long z = x ^ (x >>> 33); // a shift of 33 or more: x ^ x>>>33 is its own inverse
        z *= inverse(0xc4ceb9fe1a85ec53L);
        z ^= z >>> 33;
        z *= inverse(0xff51afd7ed558ccdL);
        return z ^ (z >>> 33);
    }

    /** Multiplicative inverse modulo 2^64 of an odd number (Newton). */
    private static long inverse(final long a) {
        long x = a;
        for (int i = 0; i < 6; i++) {
            x *= 2 - a * x;
        }
        return x;
    }
}
