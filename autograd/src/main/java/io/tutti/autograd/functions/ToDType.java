package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;

/** A dtype conversion; the gradient is converted back to the input's dtype. */
public final class ToDType extends Function {
    private final DType dtype;

    public ToDType(DType dtype) {
        this.dtype = dtype;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        return in[0].to(dtype);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(grad.to(ctx.inputDType(0)));
    }
}
