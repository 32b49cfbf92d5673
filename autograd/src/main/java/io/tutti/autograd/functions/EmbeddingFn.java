package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.NnFunctions;
import io.tutti.tensor.Tensor;

/**
 * {@code torch.nn.functional.embedding} on inputs {@code (weight [V, D], indices)} with int32
 * indices of any shape (no gradient): backward adds each output row's gradient into the weight row
 * it came from. With a padding index, that row gets no gradient, as PyTorch's {@code padding_idx}.
 */
public final class EmbeddingFn extends Function {
    private final int paddingIdx;

    /** An embedding lookup without a padding index. */
    public EmbeddingFn() {
        this(-1);
    }

    /** {@code paddingIdx} in {@code [0, V)} names the row that never learns; -1 for none. */
    public EmbeddingFn(int paddingIdx) {
        this.paddingIdx = paddingIdx;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor weight = in[0];
        if (paddingIdx < -1 || (weight.dim() == 2 && paddingIdx >= weight.shape(0))) {
            throw new IllegalArgumentException("embedding: padding index " + paddingIdx + " is out of range for "
                    + weight.shape(0) + " embeddings");
        }
        ctx.saveForBackward(in[1]);
        return NnFunctions.embedding(weight, in[1]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor g = NnFunctions.embeddingBackward(grad, ctx.saved(0), ctx.inputShape(0)[0]);
        if (paddingIdx >= 0) {
            g.select(0, paddingIdx).zeroInPlace();
        }
        return grads(g, null);
    }
}
