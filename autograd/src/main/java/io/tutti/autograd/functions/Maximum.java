package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Elementwise maximum with broadcasting; the gradient goes to the larger input, split evenly on ties (as PyTorch). */
public final class Maximum extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[0], in[1]);
        return in[0].maximum(in[1]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return Extremum.pairGrads(ctx, grad, true);
    }
}
