package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.tensor.Tensor;

/** {@code torch.nn.MSELoss}: {@link Losses#mseLoss}, the squared error of two tensors of one shape. */
public final class MSELoss extends Loss {
    /** Mean over the elements. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super("MSELoss", reduction);
    }

    /** The target may itself require a gradient. */
    public Variable forward(Variable input, Variable target) {
        return Losses.mseLoss(input, target, reduction());
    }

    /** Against a constant target. */
    public Variable forward(Variable input, Tensor target) {
        return forward(input, new Variable(target));
    }
}
