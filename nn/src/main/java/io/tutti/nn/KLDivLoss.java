package io.tutti.nn;

import io.tutti.autograd.Variable;

/**
 * {@code torch.nn.KLDivLoss}: {@link Losses#klDiv} of log-probabilities against probabilities (or
 * log-probabilities with {@code logTarget}). The default reduction is PyTorch's, MEAN over the
 * elements, which is not the KL divergence; {@link Reduction#BATCH_MEAN} is.
 */
public final class KLDivLoss extends PairLoss {
    private final boolean logTarget;

    /** MEAN over the elements (PyTorch's default), probability targets. */
    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    public KLDivLoss(Reduction reduction, boolean logTarget) {
        super("KLDivLoss", reduction, true);
        this.logTarget = logTarget;
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        return Losses.klDiv(input, target, reduction(), logTarget);
    }
}
