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

    /** {@code t [..., r, c]} as one matrix {@code [product of the leading sizes, c]}. */
    private static Tensor flattenRows(Tensor t) {
        int rows = 1;
        for (int d = 0; d < t.dim() - 1; d++) {
            rows *= t.shape(d);
        }
        return t.reshape(rows, t.shape(-1));
    }

    /** Whether the matrices of m are laid out column by column: transposed views of row-major ones. */
    private static boolean isColumnMajor(Tensor m) {
        int r = m.dim();
        return m.stride(r - 2) == 1 && m.stride(r - 1) != 1 && m.shape(r - 1) > 1;
    }

    /** Whether the gradient's batch dimensions are b's own, so that nothing has to be summed back. */
    private static boolean sameBatch(Tensor g, Tensor b) {
        if (g.dim() != b.dim()) {
            return false;
        }
        for (int d = 0; d < b.dim() - 2; d++) {
            if (g.shape(d) != b.shape(d)) {
                return false;
            }
        }
        return true;
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
            if (b2.dim() == 2) {
                // A matrix shared by every row of a (a linear layer): one product over all of a's rows,
                // not a product per matrix of a batch followed by their sum.
                Tensor rows = flattenRows(a2);
                Tensor gradRows = flattenRows(g);
                gradB = isColumnMajor(b2)
                        // b is a transposed view (a linear layer's weight.t()): its gradient is computed
                        // transposed too, so the gradient that reaches the weight is contiguous.
                        ? gradRows.mT().matmul(rows).mT()
                        : rows.mT().matmul(gradRows);
                gradB = gradB.reshape(b.shape());
            } else if (isColumnMajor(b2) && sameBatch(g, b2)) {
                // A batch of transposed views (attention's k.mT()): the gradient computed transposed
                // lands in k's own layout, so what flows back to k needs no strided copy.
                gradB = g.mT().matmul(a2).mT().reshape(b.shape());
            } else {
                gradB = sumToShape(a2.mT().matmul(g), b2.shape()).reshape(b.shape());
            }
        }
        return grads(gradA, gradB);
    }
}
