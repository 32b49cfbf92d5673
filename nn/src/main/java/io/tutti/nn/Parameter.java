package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.tensor.Tensor;

/**
 * A learnable tensor of a {@link Module}: a leaf {@link Variable} that requires a gradient unless the
 * module is frozen. Optimizers update {@link #data()} in place, so views of it stay valid.
 */
public class Parameter extends Variable {
    public Parameter(Tensor data) {
        super(data, true);
    }

    public Parameter(Tensor data, boolean requiresGrad) {
        super(data, requiresGrad);
    }
}
