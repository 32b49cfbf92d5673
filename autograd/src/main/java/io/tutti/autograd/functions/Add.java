package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** {@code a + b} with broadcasting; each input gets the gradient summed back to its shape. */
public final class Add extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        return in[0].add(in[1]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(ctx.needsInputGrad(0) ? sumToShape(grad, ctx.inputShape(0)) : null,
                ctx.needsInputGrad(1) ? sumToShape(grad, ctx.inputShape(1)) : null);
    }
}
