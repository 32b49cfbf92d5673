package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** {@code max(x, 0)}; the gradient passes where the result is positive (x > 0). */
public final class Relu extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = in[0];
        Tensor y = x.relu();
        ctx.saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        // y itself is the condition (y != 0 exactly where x > 0, and NaN passes the gradient as in
        // PyTorch's threshold_backward): one pass over y and grad, no mask.
        Tensor y = ctx.saved(0);
        return grads(Tensor.where(y, grad, grad.scalarLike(0)));
    }
}
