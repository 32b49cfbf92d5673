package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** {@code cond ? a : b} with broadcasting, inputs (cond, a, b); the condition gets no gradient. */
public final class Where extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[0]);
        return Tensor.where(in[0], in[1], in[2]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor cond = ctx.saved(0);
        Tensor zero = grad.scalarLike(0);
        Tensor gradA = ctx.needsInputGrad(1) ? sumToShape(Tensor.where(cond, grad, zero), ctx.inputShape(1)) : null;
        Tensor gradB = ctx.needsInputGrad(2) ? sumToShape(Tensor.where(cond, zero, grad), ctx.inputShape(2)) : null;
        return grads(null, gradA, gradB);
    }
}
