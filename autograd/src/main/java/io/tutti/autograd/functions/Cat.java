package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Shapes;
import io.tutti.tensor.Tensor;

import java.util.Arrays;

/** Concatenation along a dimension (also stack); each input's gradient is its own slice of the output gradient. */
public final class Cat extends Function {
    private final int dim;

    public Cat(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        return Tensor.cat(dim, Arrays.asList(in));
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        int axis = Shapes.axis("cat", dim, grad.dim());
        Tensor[] result = new Tensor[ctx.inputCount()];
        int at = 0;
        for (int i = 0; i < result.length; i++) {
            int length = ctx.inputShape(i)[axis];
            if (ctx.needsInputGrad(i)) {
                result[i] = grad.narrow(axis, at, length);
            }
            at += length;
        }
        return result;
    }
}
