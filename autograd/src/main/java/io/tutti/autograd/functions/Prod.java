package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/**
 * Product over dimensions (null or empty: all). The derivative for an element is the product of the
 * others: y / x where x is not zero; where x is zero it is the product of the non-zero others if x is
 * the group's only zero, and 0 otherwise. Dividing by x alone would give NaN there.
 */
public final class Prod extends Function {
    private final int[] dims;
    private final boolean keepDim;

    public Prod(int[] dims, boolean keepDim) {
        this.dims = dims == null ? new int[0] : dims.clone();
        this.keepDim = keepDim;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor y = in[0].prod(dims, keepDim);
        ctx.saveForBackward(in[0], y);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        int[] kept = Reduced.keptShape("prod", ctx.inputShape(0), dims);
        Tensor x = ctx.saved(0);
        Tensor y = Reduced.kept(ctx.saved(1), kept);
        Tensor g = Reduced.kept(grad, kept);
        Tensor isZero = x.eq(0);
        Tensor nonZero = x.maskedFill(isZero, 1);
        Tensor othersWhereNonZero = y.div(nonZero);
        Tensor loneZero = isZero.sum(dims, true).eq(1);
        Tensor othersWhereZero = nonZero.prod(dims, true).mul(loneZero);
        return grads(g.mul(Tensor.where(isZero, othersWhereZero, othersWhereNonZero)));
    }
}
