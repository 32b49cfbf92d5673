package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Log-softmax along a dimension; from the saved result y, d/dx = g - exp(y) sum(g). */
public final class LogSoftmax extends Function {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor y = in[0].logSoftmax(dim);
        ctx.saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor y = ctx.saved(0);
        if (y.dim() == 0) {
            return grads(grad.zerosLike());   // the log-softmax of one element is the constant 0
        }
        return grads(grad.sub(y.exp().mul(grad.sum(dim, true))));
    }
}
