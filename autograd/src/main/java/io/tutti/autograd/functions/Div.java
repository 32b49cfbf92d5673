package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** {@code a / b} with broadcasting: d/da = 1/b, d/db = -a/b^2. */
public final class Div extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[0], in[1]);
        return in[0].div(in[1]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor a = ctx.saved(0);
        Tensor b = ctx.saved(1);
        Tensor gradA = grad.div(b);
        return grads(ctx.needsInputGrad(0) ? sumToShape(gradA, ctx.inputShape(0)) : null,
                ctx.needsInputGrad(1) ? sumToShape(gradA.mul(a).div(b).neg(), ctx.inputShape(1)) : null);
    }
}
