package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Gradient routing shared by max/min ops: to the extreme elements, split evenly among ties. */
final class Extremum {
    private Extremum() {
    }

    /** Gradients of {@code maximum(a, b)} (or minimum) from the saved a and b. */
    static Tensor[] pairGrads(Context ctx, Tensor grad, boolean max) {
        Tensor a = ctx.saved(0);
        Tensor b = ctx.saved(1);
        Tensor half = a.eq(b).mul(0.5);
        Tensor gradA = null;
        Tensor gradB = null;
        if (ctx.needsInputGrad(0)) {
            Tensor wins = max ? a.gt(b) : a.lt(b);
            gradA = Function.sumToShape(grad.mul(wins.add(half)), ctx.inputShape(0));
        }
        if (ctx.needsInputGrad(1)) {
            Tensor wins = max ? b.gt(a) : b.lt(a);
            gradB = Function.sumToShape(grad.mul(wins.add(half)), ctx.inputShape(1));
        }
        return new Tensor[] {gradA, gradB};
    }

    /** Gradient of a max or min reduction: {@code x} the input, {@code yKeep} and {@code gradKeep} with reduced dims kept. */
    static Tensor reductionGrad(Tensor x, Tensor yKeep, Tensor gradKeep, int[] dims) {
        Tensor hits = x.eq(yKeep);
        Tensor count = hits.sum(dims == null ? new int[0] : dims, true);
        return gradKeep.mul(hits).div(count);
    }
}
