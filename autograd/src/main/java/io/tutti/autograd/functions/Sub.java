package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** {@code a - b} with broadcasting. */
public final class Sub extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        return in[0].sub(in[1]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(ctx.needsInputGrad(0) ? sumToShape(grad, ctx.inputShape(0)) : null,
                ctx.needsInputGrad(1) ? sumToShape(grad.neg(), ctx.inputShape(1)) : null);
    }
}
