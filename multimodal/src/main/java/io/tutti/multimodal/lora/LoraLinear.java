package io.tutti.multimodal.lora;

import io.tutti.autograd.Variable;
import io.tutti.nn.Linear;
import io.tutti.nn.Parameter;
import io.tutti.tensor.Generator;

/** LoRA on a {@link Linear} layer: y = x W₀ᵀ + b + (α/r)·x Aᵀ Bᵀ. */
public final class LoraLinear extends LoraAdapter {
    private final Linear layer;

    /** Builds the adapter for {@code layer}; attach it with {@link Lora#adapt(Linear, LoraConfig, Generator)}. */
    LoraLinear(Linear layer, LoraConfig config, Generator gen) {
        super(layer.inFeatures(), layer.outFeatures(), layer.weight().dtype(), config, gen);
        this.layer = layer;
    }

    @Override
    protected Parameter baseWeight() {
        return layer.weight();
    }

    @Override
    protected Variable lowRank(Variable x) {
        return x.matmul(a().t()).matmul(b().t());
    }

    @Override
    public String toString() {
        return "LoraLinear(r=" + rank() + ", scale=" + scale() + ", merged=" + isMerged() + ")";
    }
}
