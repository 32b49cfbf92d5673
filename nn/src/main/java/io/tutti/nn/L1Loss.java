package io.tutti.nn;

import io.tutti.autograd.Variable;

/** {@code torch.nn.L1Loss}: {@link Losses#l1Loss}, the absolute error of two tensors of one shape. */
public final class L1Loss extends PairLoss {
    /** Mean over the elements. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        super("L1Loss", reduction);
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        return Losses.l1Loss(input, target, reduction());
    }
}
