package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** {@code 1/x}; d/dx = -1/x^2 = -y^2. */
public final class Reciprocal extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = in[0];
        Tensor y = x.reciprocal();
        ctx.saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(grad.mul(ctx.saved(0).square()).neg());
    }
}
