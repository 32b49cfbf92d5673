package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.NnFunctions;
import io.tutti.tensor.Tensor;

/** Softmax along a dimension; from the saved result y, d/dx = y (g - sum(g y)), by the backend's fused kernel. */
public final class Softmax extends Function {
    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor y = in[0].softmax(dim);
        ctx.saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(NnFunctions.softmaxBackward(ctx.saved(0), grad, dim));
    }
}
