package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code torch.nn.Linear}: {@code y = x Wᵀ + b} over the last dimension of {@code x [..., in]},
 * with {@code weight [out, in]} and {@code bias [out]}, initialised as PyTorch does (uniform in
 * {@code ±1/sqrt(in)} for both).
 */
public class Linear extends Layer {
    private final int inFeatures;
    private final int outFeatures;
    private final List<Adapter> adapters = new ArrayList<>();

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

    /**
     * Attaches an adapter (a LoRA branch) as a child named {@code name}: from now on the output is
     * the adapter's {@link Adapter#adapt} of the plain output. Returns the adapter.
     */
    public <A extends Adapter> A addAdapter(String name, A adapter) {
        adapters.add(registerModule(name, Objects.requireNonNull(adapter, "Linear: adapter")));
        return adapter;
    }

    /** Detaches an adapter attached with {@link #addAdapter}; the layer computes what it did before. */
    public void removeAdapter(Adapter adapter) {
        if (!adapters.remove(adapter)) {
            throw new IllegalArgumentException("Linear: the adapter is not attached");
        }
        namedChildren().entrySet().stream().filter(e -> e.getValue() == adapter).map(Map.Entry::getKey).findFirst()
                .ifPresent(this::unregisterModule);
    }

    /** The attached adapters, in the order they are applied. */
    public List<Adapter> adapters() {
        return Collections.unmodifiableList(adapters);
    }

    @Override
    public Variable forward(Variable x) {
        if (x.dim() == 0 || x.shape(-1) != inFeatures) {
            throw new IllegalArgumentException("Linear: input of shape " + Arrays.toString(x.shape()) + " must end in "
                    + inFeatures + " features");
        }
        Variable y = x.matmul(weight().t());
        Parameter b = bias();
        if (b != null) {
            y = y.add(b);
        }
        for (Adapter a : adapters) {
            y = a.adapt(x, y);
        }
        return y;
    }

    @Override
    public String toString() {
        return "Linear(in=" + inFeatures + ", out=" + outFeatures + ", bias=" + (bias() != null) + ")";
    }
}
