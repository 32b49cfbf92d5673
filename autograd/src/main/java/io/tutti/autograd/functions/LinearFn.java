package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.autograd.Variable;
import io.tutti.tensor.Tensor;

import java.util.Arrays;

/**
 * {@code torch.nn.functional.linear}: {@code y = x Wᵀ + b} on inputs {@code (x [..., in], weight
 * [out, in])} or {@code (x, weight, bias [out])}, as one node rather than a product and a
 * broadcast add. Forward adds the bias into the product's fresh output in place, so a linear layer
 * allocates one output instead of two. Backward treats every leading position of x as one more row:
 * {@code dx = grad · W}, {@code dW = gradᵀ · x} over all rows at once (one product that lands in the
 * weight's own [out, in] layout), and {@code db} sums grad over the rows.
 */
public final class LinearFn extends Function {
    /** Applies the layer; {@code bias} may be null. */
    public static Variable linear(Variable x, Variable weight, Variable bias) {
        LinearFn fn = new LinearFn();
        return bias == null ? fn.apply(x, weight) : fn.apply(x, weight, bias);
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = in[0];
        Tensor w = in[1];
        Tensor b = in.length > 2 ? in[2] : null;
        check(x, w, b);
        ctx.saveForBackward(x, w);
        Tensor y = x.matmul(w.t());
        if (b == null) {
            return y;
        }
        // The product is a new tensor no one else holds: the bias can go straight into it.
        return y.dtype() == b.dtype() ? y.addInPlace(b) : y.add(b);
    }

    private static void check(Tensor x, Tensor w, Tensor b) {
        if (w.dim() != 2) {
            throw new IllegalArgumentException("linear: weight of shape " + Arrays.toString(w.shape()) + " must be [out, in]");
        }
        if (x.dim() == 0 || x.shape(-1) != w.shape(1)) {
            throw new IllegalArgumentException("linear: input of shape " + Arrays.toString(x.shape()) + " must end in "
                    + w.shape(1) + " features for weight of shape " + Arrays.toString(w.shape()));
        }
        if (b != null && (b.dim() != 1 || b.shape(0) != w.shape(0))) {
            throw new IllegalArgumentException("linear: bias of shape " + Arrays.toString(b.shape()) + " must be ["
                    + w.shape(0) + "] for weight of shape " + Arrays.toString(w.shape()));
        }
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor x = ctx.saved(0);
        Tensor w = ctx.saved(1);
        int out = w.shape(0);
        int rows = 1;
        for (int d = 0; d < x.dim() - 1; d++) {
            rows *= x.shape(d);
        }
        Tensor gradX = ctx.needsInputGrad(0) ? grad.matmul(w) : null;
        boolean wantBias = ctx.inputCount() == 3 && ctx.needsInputGrad(2);
        Tensor gradW = null;
        Tensor gradB = null;
        if (ctx.needsInputGrad(1) || wantBias) {
            Tensor gradRows = grad.reshape(rows, out);
            gradW = ctx.needsInputGrad(1) ? gradRows.mT().matmul(x.reshape(rows, w.shape(1))) : null;
            gradB = wantBias ? gradRows.sum(new int[] {0}, false) : null;
        }
        return ctx.inputCount() == 2 ? grads(gradX, gradW) : grads(gradX, gradW, gradB);
    }
}
