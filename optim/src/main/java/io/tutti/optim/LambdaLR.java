package io.tutti.optim;

import java.util.function.IntToDoubleFunction;

/** The base rate times a factor of the step count: {@code base · factor(t)}, as PyTorch's {@code LambdaLR}. */
public final class LambdaLR extends LRScheduler {
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction factor) {
        super(optimizer, schedule(factor));
    }

    private static Schedule schedule(IntToDoubleFunction factor) {
        if (factor == null) {
            throw new IllegalArgumentException("LambdaLR: factor must not be null");
        }
        return (base, t) -> base * factor.applyAsDouble(t);
    }
}
