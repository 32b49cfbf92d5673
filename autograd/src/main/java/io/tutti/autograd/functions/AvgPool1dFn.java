package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Pooling;
import io.tutti.tensor.Tensor;

/** {@code torch.nn.functional.avg_pool1d} on {@code [N, C, L]} or {@code [C, L]}; backward as {@link AvgPool2dFn}. */
public final class AvgPool1dFn extends Function {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    /** A {@code stride} of 0 means "equal to the kernel". */
    public AvgPool1dFn(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        return Pooling.avgPool1d(in[0], kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(Pooling.avgPool1dBackward(grad, ctx.inputShape(0), kernel, stride, padding, ceilMode, countIncludePad));
    }
}
