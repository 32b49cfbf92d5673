package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Logistic sigmoid; d/dx = s (1 - s), from the saved result. */
public final class Sigmoid extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = in[0];
        Tensor y = x.sigmoid();
        ctx.saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor s = ctx.saved(0);
        return grads(grad.mul(s.mul(s.neg().add(1))));
    }
}
