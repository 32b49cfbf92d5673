package io.tutti.nn;

import io.tutti.autograd.Variable;

import java.util.Objects;

/** {@code torch.nn.GELU}: {@code x * Φ(x)}, exact (erf) or with PyTorch's tanh approximation. */
public class GELU extends Layer {
    /** PyTorch's {@code approximate} argument: {@code "none"} or {@code "tanh"}. */
    public enum Approximation {
        NONE, TANH
    }

    private final Approximation approximation;

    public GELU() {
        this(Approximation.NONE);
    }

    public GELU(Approximation approximation) {
        this.approximation = Objects.requireNonNull(approximation, "GELU: approximation");
    }

    @Override
    public Variable forward(Variable x) {
        return approximation == Approximation.TANH ? x.geluTanh() : x.gelu();
    }

    @Override
    public String toString() {
        return "GELU(approximate=" + approximation.name().toLowerCase() + ")";
    }
}
