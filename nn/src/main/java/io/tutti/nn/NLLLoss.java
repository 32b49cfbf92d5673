package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.tensor.Tensor;

/**
 * {@code torch.nn.NLLLoss}: {@link Losses#nllLoss} of log-probabilities {@code [N, C, d...]} against
 * int32 class indices, with an optional class weight (a buffer), ignore index and reduction.
 */
public final class NLLLoss extends Loss {
    private final int ignoreIndex;

    /** Mean over the samples, no class weight, ignore index -100. */
    public NLLLoss() {
        this(null, Losses.IGNORE_INDEX, Reduction.MEAN);
    }

    /** {@code weight [C]} may be null. */
    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        super("NLLLoss", reduction);
        registerOptional("NLLLoss", "weight", weight);
        this.ignoreIndex = ignoreIndex;
    }

    public Variable forward(Variable input, Tensor target) {
        return Losses.nllLoss(input, target, buffer("weight"), ignoreIndex, reduction());
    }
}
