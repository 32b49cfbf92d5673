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
        // The 1/0 mask is a fresh tensor: multiplying the gradient into it saves a second whole-size result.
        return grads(ctx.saved(0).gt(0).mulInPlace(grad));
    }
}
