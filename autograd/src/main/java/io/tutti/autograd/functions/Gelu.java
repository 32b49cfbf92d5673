package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;
import io.tutti.tensor.UnaryOp;

/** GELU, exact erf form; the derivative is the fused {@link UnaryOp#GELU_GRAD} kernel. */
public final class Gelu extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = in[0];
        Tensor y = x.gelu();
        ctx.saveForBackward(x);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(grad.mul(ctx.saved(0).unary(UnaryOp.GELU_GRAD)));
    }
}
