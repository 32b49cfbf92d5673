package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Hyperbolic tangent; d/dx = 1 - tanh(x)^2, from the saved result. */
public final class Tanh extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = in[0];
        Tensor y = x.tanh();
        ctx.saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor t = ctx.saved(0);
        return grads(grad.mul(t.square().neg().add(1)));
    }
}
