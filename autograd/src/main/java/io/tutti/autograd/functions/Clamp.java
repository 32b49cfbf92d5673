package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Clamps into [lo, hi]; the gradient passes where lo <= x <= hi (bounds included, as PyTorch). */
public final class Clamp extends Function {
    private final double lo;
    private final double hi;

    public Clamp(double lo, double hi) {
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[0]);
        return in[0].clamp(lo, hi);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor x = ctx.saved(0);
        Tensor inside = x.ge(lo).mul(x.le(x.scalarLike(hi)));
        return grads(grad.mul(inside));
    }
}
