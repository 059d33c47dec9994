package fr.creneau.examples.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A finite distribution: values with non-negative weights (not necessarily summing to 1), drawn
 * with exactly one {@code nextDouble()} per draw so that the random stream, hence the output,
 * stays stable when a weight changes. Values may be {@code null} (e.g. "no vendor").
 *
 * <p>Immutable and thread-safe (the caller owns the {@link SplittableRandom}).
 *
 * @param <T> value type
 */
final class Weighted<T> {
    private final List<T> values;
    /** cumulative[i] = sum of weights 0..i, normalised so the last one is 1. */
    private final double[] cumulative;

    private Weighted(final List<T> values, final double[] weights) {
        double total = 0;
        for (final double w : weights) {
            if (!(w >= 0)) {
                throw new IllegalArgumentException("weights must be >= 0: " + Arrays.toString(weights));
            }
            total += w;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("weights sum to 0");
        }
        this.values = values;
        this.cumulative = new double[weights.length];
        double run = 0;
        for (int i = 0; i < weights.length; i++) {
            run += weights[i];
            cumulative[i] = run / total;
        }
        cumulative[weights.length - 1] = 1.0;
    }

    static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** One value, drawn with one {@code nextDouble()}. */
    T pick(final SplittableRandom rng) {
        final double u = rng.nextDouble();
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return values.get(i);
            }
        }
        return values.get(values.size() - 1);
    }

    /** Probability of {@code value} (summed if it appears several times). */
    double probability(final T value) {
        double p = 0;
        for (int i = 0; i < cumulative.length; i++) {
            final T v = values.get(i);
            if (v == null ? value == null : v.equals(value)) {
                p += cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
            }
        }
        return p;
    }

    /** The values in declaration order. */
    List<T> values() {
        return values;
    }

    /** Not thread-safe. */
    static final class Builder<T> {
        private final List<T> values = new ArrayList<>();
        private final List<Double> weights = new ArrayList<>();

        Builder<T> add(final T value, final double weight) {
            values.add(value);
            weights.add(weight);
            return this;
        }

        Weighted<T> build() {
            final double[] w = new double[weights.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = weights.get(i);
            }
            return new Weighted<>(Collections.unmodifiableList(new ArrayList<>(values)), w);
        }
    }
}
