package io.tutti.nn;

import io.tutti.tensor.Generator;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds multi-layer perceptrons as a {@link Sequential} of {@code Linear, activation[, Dropout]}
 * repeated, ending in a bare {@code Linear}: {@code Mlp.of(gen, ReLU::new, 784, 128, 10)}. Layers
 * are numbered as in PyTorch's {@code nn.Sequential}, so the state dict of
 * {@code nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))} loads into it.
 */
public final class Mlp {
    private Mlp() {
    }

    /** Linear layers between consecutive {@code sizes}, with {@code activation} between them and no dropout. */
    public static Sequential of(Generator gen, Supplier<? extends Layer> activation, int... sizes) {
        return of(gen, activation, 0, sizes);
    }

    /** As {@link #of(Generator, Supplier, int...)}, with a dropout of {@code p} after every activation when {@code p > 0}. */
    public static Sequential of(Generator gen, Supplier<? extends Layer> activation, double dropout, int... sizes) {
        Objects.requireNonNull(gen, "Mlp: generator");
        if (sizes.length < 2) {
            throw new IllegalArgumentException("Mlp: needs at least an input and an output size, got " + sizes.length + " sizes");
        }
        Sequential s = new Sequential();
        for (int i = 0; i + 1 < sizes.length; i++) {
            s.append(new Linear(sizes[i], sizes[i + 1], gen));
            if (i + 2 < sizes.length) {
                s.append(activation.get());
                if (dropout > 0) {
                    s.append(new Dropout(dropout, gen));
                }
            }
        }
        return s;
    }
}
