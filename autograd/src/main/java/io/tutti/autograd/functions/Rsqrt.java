package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** {@code 1/sqrt(x)}; d/dx = -x^(-3/2) / 2 = -y^3 / 2. */
public final class Rsqrt extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = in[0];
        Tensor y = x.rsqrt();
        ctx.saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor r = ctx.saved(0);
        return grads(grad.mul(r.square().mul(r)).mul(-0.5));
    }
}
