package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/**
 * The smallest element over dimensions (null or empty: all), as {@code torch.amin}: the gradient goes
 * to the elements equal to the result, split evenly among ties.
 */
public final class Min extends Function {
    private final int[] dims;
    private final boolean keepDim;

    public Min(int[] dims, boolean keepDim) {
        this.dims = dims == null ? null : dims.clone();
        this.keepDim = keepDim;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor y = dims == null ? in[0].min() : in[0].min(dims, keepDim);
        ctx.saveForBackward(in[0], y);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        int[] kept = Reduced.keptShape("min", ctx.inputShape(0), dims);
        Tensor x = ctx.saved(0);
        return grads(Extremum.reductionGrad(x, Reduced.kept(ctx.saved(1), kept), Reduced.kept(grad, kept), dims));
    }
}
