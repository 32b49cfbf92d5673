package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Pooling;
import io.tutti.tensor.Tensor;

/**
 * {@code torch.nn.functional.max_pool1d} on {@code [N, C, L]} or {@code [C, L]}; backward as
 * {@link MaxPool2dFn}. After {@link #apply}, {@link #indices()} gives the winners' positions along L.
 */
public final class MaxPool1dFn extends Function {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final boolean ceilMode;
    private Tensor indices;

    /** A {@code stride} of 0 means "equal to the kernel". */
    public MaxPool1dFn(int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
    }

    /** The int32 position of each maximum, once the op has run. */
    public Tensor indices() {
        if (indices == null) {
            throw new IllegalStateException("maxPool1dFn: indices are known only after apply");
        }
        return indices;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Pooling.MaxPoolResult r = Pooling.maxPool1d(in[0], kernel, stride, padding, dilation, ceilMode);
        indices = r.indices();
        ctx.saveForBackward(r.indices());
        return r.values();
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(Pooling.maxPool1dBackward(grad, ctx.saved(0), ctx.inputShape(0)));
    }
}
