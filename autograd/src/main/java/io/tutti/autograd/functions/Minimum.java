package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Elementwise minimum with broadcasting; the gradient goes to the smaller input, split evenly on ties. */
public final class Minimum extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[0], in[1]);
        return in[0].minimum(in[1]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return Extremum.pairGrads(ctx, grad, false);
    }
}
