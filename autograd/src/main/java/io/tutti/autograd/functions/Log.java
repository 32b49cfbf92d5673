package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Natural logarithm; d/dx = 1/x. */
public final class Log extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = in[0];
        Tensor y = x.log();
        ctx.saveForBackward(x);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(grad.div(ctx.saved(0)));
    }
}
