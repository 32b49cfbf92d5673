package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Pooling;
import io.tutti.tensor.Tensor;

/**
 * {@code torch.nn.functional.max_pool2d} on {@code [N, C, H, W]} or {@code [C, H, W]}: backward sends
 * each output's gradient to the input element that won its window (the saved indices). After
 * {@link #apply}, {@link #indices()} gives those indices, as {@code return_indices=True}.
 */
public final class MaxPool2dFn extends Function {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;
    private Tensor indices;

    /** A null or empty {@code stride} means "equal to the kernel", as PyTorch's {@code stride=None}. */
    public MaxPool2dFn(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this.kernel = kernel.clone();
        this.stride = stride == null ? null : stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.ceilMode = ceilMode;
    }

    /** The int32 flat index ({@code row * W + column}) of each maximum, once the op has run. */
    public Tensor indices() {
        if (indices == null) {
            throw new IllegalStateException("maxPool2dFn: indices are known only after apply");
        }
        return indices;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Pooling.MaxPoolResult r = Pooling.maxPool2d(in[0], kernel, stride, padding, dilation, ceilMode);
        indices = r.indices();
        ctx.saveForBackward(r.indices());
        return r.values();
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(Pooling.maxPool2dBackward(grad, ctx.saved(0), ctx.inputShape(0)));
    }
}
