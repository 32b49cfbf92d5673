package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.DropoutFn;
import io.tutti.tensor.Generator;

import java.util.Objects;

/**
 * {@code torch.nn.Dropout}: in training, zeroes each element with probability {@code p} and scales
 * the rest by {@code 1 / (1 - p)}; in evaluation, the identity. Masks come from the generator given
 * to the constructor, so a run is reproducible from its seed.
 */
public class Dropout extends Layer {
    private final double p;
    private final Generator gen;

    public Dropout(double p, Generator gen) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1], got " + p);
        }
        this.p = p;
        this.gen = Objects.requireNonNull(gen, "Dropout: generator");
    }

    public double p() {
        return p;
    }

    @Override
    public Variable forward(Variable x) {
        return DropoutFn.dropout(x, p, isTraining(), gen);
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
