package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** The same elements in a new shape (also squeeze, unsqueeze, flatten and, when strict, view); the gradient is reshaped back. */
public final class Reshape extends Function {
    private final int[] shape;
    private final boolean viewOnly;

    /** {@code viewOnly}: fail like {@link Tensor#view} instead of copying. */
    public Reshape(int[] shape, boolean viewOnly) {
        this.shape = shape.clone();
        this.viewOnly = viewOnly;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        return viewOnly ? in[0].view(shape) : in[0].reshape(shape);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(grad.reshape(ctx.inputShape(0)));
    }
}
