package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** {@code a * b} with broadcasting; each input's gradient is the output gradient times the other input. */
public final class Mul extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[0], in[1]);
        return in[0].mul(in[1]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor a = ctx.saved(0);
        Tensor b = ctx.saved(1);
        return grads(ctx.needsInputGrad(0) ? sumToShape(grad.mul(b), ctx.inputShape(0)) : null,
                ctx.needsInputGrad(1) ? sumToShape(grad.mul(a), ctx.inputShape(1)) : null);
    }
}
