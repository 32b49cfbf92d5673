package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** {@code x^2}; d/dx = 2x. */
public final class Square extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = in[0];
        Tensor y = x.square();
        ctx.saveForBackward(x);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(grad.mul(ctx.saved(0)).mul(2));
    }
}
