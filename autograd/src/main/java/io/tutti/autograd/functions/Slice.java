package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/**
 * Elements start, start+step, ... below end along one dimension (a view; also narrow, select, split
 * and chunk). The gradient is zero outside the slice: a zero tensor of the input's shape with the
 * output gradient copied into the same slice of it. When the input is sliced several times (query,
 * key and value out of one projection), the engine adds each slice's gradient straight into the
 * summed gradient instead ({@link #viewsPartOfInput}).
 */
public final class Slice extends Function {
    private final int dim;
    private final int start;
    private final int end;
    private final int step;

    public Slice(int dim, int start, int end, int step) {
        this.dim = dim;
        this.start = start;
        this.end = end;
        this.step = step;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        return in[0].slice(dim, start, end, step);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor g = grad.newZeros(ctx.inputShape(0));
        partOfInput(g).copyFrom(grad);
        return grads(g);
    }

    @Override
    protected boolean viewsPartOfInput() {
        return true;
    }

    @Override
    protected Tensor partOfInput(Tensor whole) {
        return whole.slice(dim, start, end, step);
    }
}
