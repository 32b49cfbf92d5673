package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Sum over dimensions (null or empty: all); every input element gets the gradient of its sum. */
public final class Sum extends Function {
    private final int[] dims;
    private final boolean keepDim;

    public Sum(int[] dims, boolean keepDim) {
        this.dims = dims == null ? null : dims.clone();
        this.keepDim = keepDim;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        return dims == null ? in[0].sum() : in[0].sum(dims, keepDim);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        int[] shape = ctx.inputShape(0);
        return grads(Reduced.kept(grad, Reduced.keptShape("sum", shape, dims)).expand(shape));
    }
}
