package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** {@code |x|}; d/dx = sign(x), 0 at 0 as in PyTorch. */
public final class Abs extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = in[0];
        Tensor y = x.abs();
        ctx.saveForBackward(x);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(grad.mul(ctx.saved(0).sign()));
    }
}
