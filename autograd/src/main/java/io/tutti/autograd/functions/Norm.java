package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/**
 * The p-norm over dimensions. d/dx = sign(x) |x|^(p-1) / norm^(p-1) for finite p (0 where the norm is
 * 0, as PyTorch's subgradient), sign(x) for p = 1, the max/min rule on |x| for p = +-infinity, and 0
 * for p = 0.
 */
public final class Norm extends Function {
    private final double p;
    private final int[] dims;
    private final boolean keepDim;

    public Norm(double p, int[] dims, boolean keepDim) {
        this.p = p;
        this.dims = dims == null ? new int[0] : dims.clone();
        this.keepDim = keepDim;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor y = in[0].norm(p, dims, keepDim);
        ctx.saveForBackward(in[0], y);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        int[] kept = Reduced.keptShape("norm", ctx.inputShape(0), dims);
        Tensor x = ctx.saved(0);
        Tensor y = Reduced.kept(ctx.saved(1), kept);
        Tensor g = Reduced.kept(grad, kept);
        Tensor sign = x.sign();
        if (p == 0) {
            return grads(x.zerosLike());
        } else if (p == 1) {
            return grads(g.mul(sign));
        } else if (Double.isInfinite(p)) {
            return grads(Extremum.reductionGrad(x.abs(), y, g, dims).mul(sign));
        }
        Tensor scaled = p == 2 ? x.div(y) : sign.mul(x.abs().div(y).pow(p - 1));
        return grads(g.mul(scaled.maskedFill(y.eq(0), 0)));
    }
}
