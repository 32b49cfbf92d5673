package io.tutti.multimodal.lora;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.Conv2dFn;
import io.tutti.nn.Conv2d;
import io.tutti.nn.Parameter;
import io.tutti.tensor.Generator;

/**
 * LoRA on a {@link Conv2d} layer, treating the k×k convolution as a linear map on unfolded patches
 * (METHODS.md §5.2): A ∈ R^{r×(C_in·kH·kW)}, B ∈ R^{C_out×r}. It is computed without unfolding, as
 * a convolution with A reshaped to an r-channel kernel (same stride, padding and dilation as the
 * layer) followed by a 1×1 convolution with B; merging adds (α/r)·(B A) reshaped to
 * [C_out, C_in, kH, kW]. Grouped convolutions are not supported.
 */
public final class LoraConv2d extends LoraAdapter {
    private static final int[] ONE = {1, 1};
    private static final int[] ZERO = {0, 0};

    private final Conv2d layer;
    private final int[] kernel;

    /** Builds the adapter for {@code layer}; attach it with {@link Lora#adapt(Conv2d, LoraConfig, Generator)}. */
    LoraConv2d(Conv2d layer, LoraConfig config, Generator gen) {
        super(checkGroups(layer).inChannels() * layer.kernelSize()[0] * layer.kernelSize()[1], layer.outChannels(),
                layer.weight().dtype(), config, gen);
        this.layer = layer;
        this.kernel = layer.kernelSize();
    }

    private static Conv2d checkGroups(Conv2d layer) {
        if (layer.groups() != 1) {
            throw new IllegalArgumentException("LoRA: grouped convolutions are not supported (groups = " + layer.groups() + ")");
        }
        return layer;
    }

    @Override
    protected Parameter baseWeight() {
        return layer.weight();
    }

    @Override
    protected Variable lowRank(Variable x) {
        Variable down = a().reshape(rank(), layer.inChannels(), kernel[0], kernel[1]);
        Variable up = b().reshape(layer.outChannels(), rank(), 1, 1);
        Variable h = Conv2dFn.conv2d(x, down, null, layer.stride(), layer.padding(), layer.dilation(), 1);
        return Conv2dFn.conv2d(h, up, null, ONE, ZERO, ONE, 1);
    }

    @Override
    public String toString() {
        return "LoraConv2d(r=" + rank() + ", scale=" + scale() + ", merged=" + isMerged() + ")";
    }
}
