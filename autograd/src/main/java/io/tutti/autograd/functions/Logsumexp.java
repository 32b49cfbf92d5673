package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** log(sum(exp(x))) over dimensions; d/dx = exp(x - result), the softmax of x. */
public final class Logsumexp extends Function {
    private final int[] dims;
    private final boolean keepDim;

    public Logsumexp(int[] dims, boolean keepDim) {
        this.dims = dims == null ? new int[0] : dims.clone();
        this.keepDim = keepDim;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor y = in[0].logsumexp(dims, keepDim);
        ctx.saveForBackward(in[0], y);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        int[] kept = Reduced.keptShape("logsumexp", ctx.inputShape(0), dims);
        Tensor softmax = ctx.saved(0).sub(Reduced.kept(ctx.saved(1), kept)).exp();
        return grads(Reduced.kept(grad, kept).mul(softmax));
    }
}
