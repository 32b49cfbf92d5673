package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Broadcasts to a larger shape without copying; the gradient is summed back over the broadcast dimensions. */
public final class Expand extends Function {
    private final int[] shape;

    public Expand(int[] shape) {
        this.shape = shape.clone();
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        return in[0].expand(shape);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(sumToShape(grad, ctx.inputShape(0)));
    }
}
