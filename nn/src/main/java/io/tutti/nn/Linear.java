package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.LinearFn;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * {@code torch.nn.Linear}: {@code y = x Wᵀ + b} over the last dimension of {@code x [..., in]},
 * with {@code weight [out, in]} and {@code bias [out]}, initialised as PyTorch does (uniform in
 * {@code ±1/sqrt(in)} for both).
 */
public class Linear extends AdaptableLayer {
    private final int inFeatures;
    private final int outFeatures;

    public Linear(int inFeatures, int outFeatures, Generator gen) {
        this(inFeatures, outFeatures, true, gen);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        Objects.requireNonNull(gen, "Linear: generator");
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: feature counts must be non-negative, got " + inFeatures + " -> " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        Parameter w = registerParameter("weight", new Parameter(Tensor.zeros(outFeatures, inFeatures)));
        Parameter b = registerParameter("bias", bias ? new Parameter(Tensor.zeros(outFeatures)) : null);
        Init.linearDefault(w.data(), b == null ? null : b.data(), gen);
    }

    public Parameter weight() {
        return parameter("weight");
    }

    /** The bias, or null without one. */
    public Parameter bias() {
        return parameter("bias");
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Variable forward(Variable x) {
        if (x.dim() == 0 || x.shape(-1) != inFeatures) {
            throw new IllegalArgumentException("Linear: input of shape " + Arrays.toString(x.shape()) + " must end in "
                    + inFeatures + " features");
        }
        return adapted(x, LinearFn.linear(x, weight(), bias()));
    }

    @Override
    public String toString() {
        return "Linear(in=" + inFeatures + ", out=" + outFeatures + ", bias=" + (bias() != null) + ")";
    }
}
