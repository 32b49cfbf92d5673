package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.tensor.Tensor;

/**
 * {@code torch.nn.CrossEntropyLoss}: {@link Losses#crossEntropy} of logits {@code [N, C, d...]}
 * against int32 class indices or class probabilities, with an optional class weight (a buffer),
 * ignore index, reduction and label smoothing.
 */
public final class CrossEntropyLoss extends Loss {
    private final int ignoreIndex;
    private final double labelSmoothing;

    /** Mean over the samples, no class weight, ignore index -100, no label smoothing. */
    public CrossEntropyLoss() {
        this(null, Losses.IGNORE_INDEX, Reduction.MEAN, 0);
    }

    /** {@code weight [C]} may be null. */
    public CrossEntropyLoss(Tensor weight, int ignoreIndex, Reduction reduction, double labelSmoothing) {
        super("CrossEntropyLoss", reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        registerOptional("CrossEntropyLoss", "weight", weight);
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    public Variable forward(Variable input, Tensor target) {
        return Losses.crossEntropy(input, target, buffer("weight"), ignoreIndex, labelSmoothing, reduction());
    }
}
