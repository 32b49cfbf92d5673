package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.tensor.Tensor;

/**
 * A loss between an input and a target of the same shape ({@link MSELoss}, {@link L1Loss},
 * {@link KLDivLoss}), where the target may itself require a gradient or be a constant.
 */
public abstract class PairLoss extends Loss {
    protected PairLoss(String op, Reduction reduction) {
        super(op, reduction);
    }

    PairLoss(String op, Reduction reduction, boolean batchMean) {
        super(op, reduction, batchMean);
    }

    /** The loss; {@code target} may itself require a gradient. */
    public abstract Variable forward(Variable input, Variable target);

    /** The loss against a constant target. */
    public final Variable forward(Variable input, Tensor target) {
        return forward(input, new Variable(target));
    }
}
