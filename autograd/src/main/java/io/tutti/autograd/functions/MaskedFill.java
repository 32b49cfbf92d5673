package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** A constant where the mask (input 1, broadcast, no gradient) is non-zero; no gradient flows to the filled places. */
public final class MaskedFill extends Function {
    private final double value;

    public MaskedFill(double value) {
        this.value = value;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[1]);
        return in[0].maskedFill(in[1], value);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(sumToShape(grad.maskedFill(ctx.saved(0), 0), ctx.inputShape(0)), null);
    }
}
