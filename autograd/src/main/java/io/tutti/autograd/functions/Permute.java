package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Shapes;
import io.tutti.tensor.Tensor;

/** Reorders dimensions (also transpose, t and mT); the gradient is permuted by the inverse order. */
public final class Permute extends Function {
    private final int[] order;

    public Permute(int[] order) {
        this.order = order.clone();
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        return in[0].permute(order);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[Shapes.axis("permute", order[i], order.length)] = i;
        }
        return grads(grad.permute(inverse));
    }
}
