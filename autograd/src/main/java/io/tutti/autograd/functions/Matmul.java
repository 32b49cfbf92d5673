package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/**
 * Matrix product with {@code torch.matmul}'s rules. Backward lifts 1-d operands to matrices as
 * forward did, computes {@code grad @ b^T} and {@code a^T @ grad}, and sums broadcast batch
 * dimensions back to each operand's shape.
 */
public final class Matmul extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[0], in[1]);
        return in[0].matmul(in[1]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor a = ctx.saved(0);
        Tensor b = ctx.saved(1);
        boolean vectorA = a.dim() == 1;
        boolean vectorB = b.dim() == 1;
        Tensor a2 = vectorA ? a.unsqueeze(0) : a;
        Tensor b2 = vectorB ? b.unsqueeze(1) : b;
        Tensor g = grad;
        if (vectorA) {
            g = g.unsqueeze(g.dim() - (vectorB ? 0 : 1));
        }
        if (vectorB) {
            g = g.unsqueeze(g.dim());
        }
        Tensor gradA = null;
        Tensor gradB = null;
        if (ctx.needsInputGrad(0)) {
            gradA = sumToShape(g.matmul(b2.mT()), a2.shape()).reshape(a.shape());
        }
        if (ctx.needsInputGrad(1)) {
            if (b2.dim() == 2 && a2.dim() > 2) {
                // A matrix shared by a batch: one product over all the batch's rows instead of a
                // product per matrix followed by their sum.
                int count = 1;
                for (int d = 0; d < a2.dim() - 1; d++) {
                    count *= a2.shape(d);
                }
                Tensor rows = a2.reshape(count, a2.shape(-1));
                gradB = rows.mT().matmul(g.reshape(count, g.shape(-1))).reshape(b.shape());
            } else {
                gradB = sumToShape(a2.mT().matmul(g), b2.shape()).reshape(b.shape());
            }
        }
        return grads(gradA, gradB);
    }
}
