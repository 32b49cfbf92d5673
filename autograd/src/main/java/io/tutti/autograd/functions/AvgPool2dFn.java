package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Pooling;
import io.tutti.tensor.Tensor;

/**
 * {@code torch.nn.functional.avg_pool2d} on {@code [N, C, H, W]} or {@code [C, H, W]}: backward
 * spreads each output's gradient, divided by its window's divisor, evenly over the window.
 */
public final class AvgPool2dFn extends Function {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    /** A null or empty {@code stride} means "equal to the kernel". */
    public AvgPool2dFn(int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = kernel.clone();
        this.stride = stride == null ? null : stride.clone();
        this.padding = padding.clone();
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        return Pooling.avgPool2d(in[0], kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(Pooling.avgPool2dBackward(grad, ctx.inputShape(0), kernel, stride, padding, ceilMode, countIncludePad));
    }
}
