package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.tensor.Tensor;

/**
 * {@code torch.nn.BCEWithLogitsLoss}: {@link Losses#binaryCrossEntropyWithLogits} of logits against
 * targets in [0, 1] of the same shape, with an optional element weight and positive-class weight
 * (buffers {@code weight} and {@code pos_weight}, as PyTorch names them).
 */
public final class BCEWithLogitsLoss extends Loss {
    /** Mean over the elements, no weights. */
    public BCEWithLogitsLoss() {
        this(null, Reduction.MEAN, null);
    }

    /** Either weight may be null; the arguments are in PyTorch's order. */
    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        super("BCEWithLogitsLoss", reduction);
        registerOptional("BCEWithLogitsLoss", "weight", weight);
        registerOptional("BCEWithLogitsLoss", "pos_weight", posWeight);
    }

    public Variable forward(Variable input, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(input, target, buffer("weight"), buffer("pos_weight"), reduction());
    }
}
