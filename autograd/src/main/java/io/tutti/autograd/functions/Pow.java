package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/**
 * {@code a^b} with broadcasting: d/da = b a^(b-1), d/db = a^b log(a). As in PyTorch, the exponent's
 * gradient is 0 where a = 0 and b >= 0 (instead of 0 * log 0 = NaN).
 */
public final class Pow extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor y = in[0].pow(in[1]);
        ctx.saveForBackward(in[0], in[1], y);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor a = ctx.saved(0);
        Tensor b = ctx.saved(1);
        Tensor gradA = null;
        Tensor gradB = null;
        if (ctx.needsInputGrad(0)) {
            gradA = sumToShape(grad.mul(b).mul(a.pow(b.sub(1))), ctx.inputShape(0));
        }
        if (ctx.needsInputGrad(1)) {
            Tensor g = grad.mul(ctx.saved(2)).mul(a.log());
            g = g.maskedFill(a.eq(0).mul(b.ge(0)), 0);
            gradB = sumToShape(g, ctx.inputShape(1));
        }
        return grads(gradA, gradB);
    }
}
