package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Mean over dimensions (null or empty: all); each of the n input elements gets 1/n of the gradient. */
public final class Mean extends Function {
    private final int[] dims;
    private final boolean keepDim;

    public Mean(int[] dims, boolean keepDim) {
        this.dims = dims == null ? null : dims.clone();
        this.keepDim = keepDim;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        return dims == null ? in[0].mean() : in[0].mean(dims, keepDim);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        int[] shape = ctx.inputShape(0);
        int[] kept = Reduced.keptShape("mean", shape, dims);
        return grads(Reduced.kept(grad, kept).div(Reduced.count(shape, kept)).expand(shape));
    }
}
