package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Whole slices along a dimension picked by a 1-d int32 index (input 1, no gradient); backward index-adds. */
public final class IndexSelect extends Function {
    private final int dim;

    public IndexSelect(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[1]);
        return in[0].indexSelect(dim, in[1]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(grad.newZeros(ctx.inputShape(0)).indexAdd(dim, ctx.saved(0), grad), null);
    }
}
