package io.tutti.multimodal.lora;

import io.tutti.autograd.Autograd;
import io.tutti.autograd.Variable;
import io.tutti.nn.Adapter;
import io.tutti.nn.Dropout;
import io.tutti.nn.Init;
import io.tutti.nn.Parameter;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

/**
 * Low-rank adaptation (Hu et al., 2021) of one frozen layer with weight W₀: the layer computes
 * W₀x + (α/r)·B A x, with A ∈ R^{r×in} and B ∈ R^{out×r} the only trainable tensors. B starts at
 * zero, so a freshly adapted layer computes exactly what it did before. Dropout, when configured,
 * applies to the input of the low-rank path only, as in PyTorch's LoRA.
 *
 * <p>Attached to its layer as the child {@code lora}, so the layer keeps its keys
 * ({@code conv1.weight}) and gains {@code conv1.lora.A} and {@code conv1.lora.B}.
 *
 * <p>{@link #merge()} folds (α/r)·B A into W₀ for inference (the low-rank path is then skipped);
 * {@link #unmerge()} puts the saved W₀ back bit for bit. A merged adapter does not train: gradients
 * do not reach A and B through the merged weight.
 */
public abstract sealed class LoraAdapter extends Adapter permits LoraLinear, LoraConv2d {
    private final int rank;
    private final double scale;
    private final Dropout dropout;
    private Tensor savedWeight;

    /** A and B take the layer's weight dtype. */
    protected LoraAdapter(int inFeatures, int outFeatures, DType dtype, LoraConfig config, Generator gen) {
        this.rank = config.rank();
        this.scale = config.scale();
        Parameter a = registerParameter("A", new Parameter(Tensor.zeros(dtype, rank, inFeatures)));
        registerParameter("B", new Parameter(Tensor.zeros(dtype, outFeatures, rank)));
        this.dropout = config.dropout() > 0 ? registerModule("dropout", new Dropout(config.dropout(), gen)) : null;
        switch (config.init()) {
            case KAIMING_UNIFORM -> {
                double bound = 1.0 / Math.sqrt(inFeatures);
                Init.uniform(a.data(), -bound, bound, gen);
            }
            case GAUSSIAN -> Init.normal(a.data(), 0, 1.0 / rank, gen);
        }
    }

    /** The down-projection A, shape [r, in] (for a convolution, in = C_in·kH·kW). */
    public Parameter a() {
        return parameter("A");
    }

    /** The up-projection B, shape [out, r], zero at the start. */
    public Parameter b() {
        return parameter("B");
    }

    public int rank() {
        return rank;
    }

    /** α / r. */
    public double scale() {
        return scale;
    }

    public boolean isMerged() {
        return savedWeight != null;
    }

    /** The adapted layer's current weight parameter (read through the layer, which may have replaced it). */
    protected abstract Parameter baseWeight();

    /** B A x on the (dropped-out) input, before scaling. */
    protected abstract Variable lowRank(Variable x);

    /** The change LoRA makes to the frozen weight, (α/r)·B A, shaped like that weight. */
    public Tensor deltaWeight() {
        Tensor w = baseWeight().data();
        return b().data().matmul(a().data()).mul(scale).to(w.dtype()).reshape(w.shape());
    }

    /** Adds (α/r)·B A into the frozen weight and skips the low-rank path from now on. */
    @SuppressWarnings("try")   // the scope is opened only to be closed
    public void merge() {
        if (isMerged()) {
            throw new IllegalStateException("LoRA: merge called on an adapter that is already merged");
        }
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor w = baseWeight().data();
            Tensor delta = deltaWeight();
            savedWeight = w.copy();
            w.addInPlace(delta);
        }
    }

    /** Puts the weight saved by {@link #merge()} back (exactly) and re-enables the low-rank path. */
    @SuppressWarnings("try")   // the scope is opened only to be closed
    public void unmerge() {
        if (!isMerged()) {
            throw new IllegalStateException("LoRA: unmerge called on an adapter that is not merged");
        }
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            baseWeight().data().copyFrom(savedWeight);
        }
        savedWeight = null;
    }

    @Override
    public Variable adapt(Variable input, Variable output) {
        if (isMerged()) {
            return output;
        }
        Variable x = dropout == null ? input : dropout.forward(input);
        return output.add(lowRank(x).mul(scale));
    }
}
