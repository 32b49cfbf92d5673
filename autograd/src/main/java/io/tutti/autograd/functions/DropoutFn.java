package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.autograd.Variable;
import io.tutti.tensor.Generator;
import io.tutti.tensor.NnFunctions;
import io.tutti.tensor.Tensor;

/**
 * Dropout as {@code x * mask} on inputs {@code (x, mask)}, where the mask (0 or {@code 1 / (1 - p)},
 * broadcast against {@code x}) is drawn by the caller and gets no gradient; the gradient of
 * {@code x} is {@code grad * mask}. Drawing the mask outside the op keeps the op deterministic and
 * lets the caller choose the generator.
 */
public final class DropoutFn extends Function {
    /**
     * {@code torch.nn.functional.dropout}: in training with {@code p > 0}, multiplies {@code x} by a
     * fresh mask from {@code generator}; otherwise returns {@code x} itself.
     */
    public static Variable dropout(Variable x, double p, boolean training, Generator generator) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1], got " + p);
        }
        if (!training || p == 0) {
            return x;
        }
        Tensor mask = NnFunctions.dropoutMask(generator, p, x.dtype(), x.shape());
        if (!x.device().isCpu()) {
            mask = mask.to(x.device());
        }
        return new DropoutFn().apply(x, new Variable(mask));
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[1]);
        return in[0].mul(in[1]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(sumToShape(grad.mul(ctx.saved(0)), ctx.inputShape(0)), null);
    }
}
