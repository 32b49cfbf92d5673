package io.tutti.nn;

import io.tutti.autograd.Variable;

/** {@code torch.nn.MSELoss}: {@link Losses#mseLoss}, the squared error of two tensors of one shape. */
public final class MSELoss extends PairLoss {
    /** Mean over the elements. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super("MSELoss", reduction);
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        return Losses.mseLoss(input, target, reduction());
    }
}
