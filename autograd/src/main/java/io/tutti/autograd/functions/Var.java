package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Variance over dimensions with a correction (1: unbiased); d/dx = 2 (x - mean) / (n - correction). */
public final class Var extends Function {
    private final int[] dims;
    private final int correction;
    private final boolean keepDim;

    public Var(int[] dims, int correction, boolean keepDim) {
        this.dims = dims == null ? new int[0] : dims.clone();
        this.correction = correction;
        this.keepDim = keepDim;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[0]);
        return in[0].var(dims, correction, keepDim);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        int[] shape = ctx.inputShape(0);
        int[] kept = Reduced.keptShape("var", shape, dims);
        Tensor x = ctx.saved(0);
        double denominator = Math.max(0, Reduced.count(shape, kept) - correction);
        Tensor centred = x.sub(x.mean(dims, true));
        return grads(Reduced.kept(grad, kept).mul(centred).mul(2 / denominator));
    }
}
