package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.autograd.Variable;
import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;

import java.util.Arrays;

/**
 * Cross entropy of logits {@code x [N, C]} against class indices {@code y [N]} as one node:
 * {@code loss = -Σ_i w_i log softmax(x)[i, y_i] / D}, with per-sample weights {@code w} (zero for an
 * ignored sample) and divisor {@code D} (the summed weights for a mean, 1 for a sum). Its gradient
 * needs no log-softmax backward: {@code dx[i, j] = (w_i g / D) (softmax(x)[i, j] - [j == y_i])}.
 *
 * <p>The composite it replaces (log-softmax, gather, multiply, sum, negate, divide: six nodes, and
 * six backward steps each allocating a small tensor) cost the reference mlp's step about as much as
 * its last linear layer.
 */
public final class CrossEntropyFn extends Function {
    private final Tensor sampleWeight;
    private final Tensor divisor;

    private CrossEntropyFn(Tensor sampleWeight, Tensor divisor) {
        this.sampleWeight = sampleWeight;
        this.divisor = divisor;
    }

    /**
     * The loss of {@code logits [N, C]} against int32 {@code index [N]} (each in {@code [0, C)}),
     * sample {@code i} weighing {@code sampleWeight[i]}, the sum divided by the 0-d {@code divisor}.
     */
    public static Variable crossEntropy(Variable logits, Tensor index, Tensor sampleWeight, Tensor divisor) {
        if (logits.dim() != 2 || index.dtype() != DType.INT32 || !Arrays.equals(index.shape(), new int[] {logits.shape(0)})
                || !Arrays.equals(sampleWeight.shape(), index.shape()) || divisor.dim() != 0) {
            throw new IllegalArgumentException("crossEntropy: logits " + Arrays.toString(logits.shape()) + ", int32 index [N] and weights [N]"
                    + " and a 0-d divisor expected, got index " + Arrays.toString(index.shape()) + " " + index.dtype() + ", weights "
                    + Arrays.toString(sampleWeight.shape()) + ", divisor " + Arrays.toString(divisor.shape()));
        }
        return new CrossEntropyFn(sampleWeight, divisor).apply(logits, new Variable(index));
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor logp = in[0].logSoftmax(1);
        Tensor rows = in[1].unsqueeze(1);
        ctx.saveForBackward(logp, rows);
        Tensor w = sampleWeight.to(logp.dtype());
        return logp.gather(1, rows).reshape(w.shape()).mulInPlace(w).sum().neg().div(divisor.to(logp.dtype()));
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor logp = ctx.saved(0);
        Tensor rows = ctx.saved(1);
        Tensor dx = logp.exp();
        dx.scatterAddInPlace(1, rows, dx.newZeros(rows.shape()).fillInPlace(-1));
        Tensor scale = sampleWeight.to(dx.dtype()).mul(grad.to(dx.dtype())).div(divisor.to(dx.dtype()));
        return grads(dx.mulInPlace(scale.unsqueeze(1)), null);
    }
}
