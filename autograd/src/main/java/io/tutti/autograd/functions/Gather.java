package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Picks elements along a dimension by an int32 index (input 1, which gets no gradient); backward scatter-adds. */
public final class Gather extends Function {
    private final int dim;

    public Gather(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[1]);
        return in[0].gather(dim, in[1]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor g = grad.newZeros(ctx.inputShape(0)).scatterAddInPlace(dim, ctx.saved(0), grad);
        return grads(g, null);
    }
}
