package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.AvgPool1dFn;

/** {@code torch.nn.AvgPool1d} on {@code [N, C, L]} or {@code [C, L]}; the stride defaults to the kernel. */
public class AvgPool1d extends Layer {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    public AvgPool1d(int kernel) {
        this(kernel, kernel, 0, false, true);
    }

    /** A stride of 0 means "equal to the kernel". */
    public AvgPool1d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = kernel;
        this.stride = stride == 0 ? kernel : stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Variable forward(Variable x) {
        return new AvgPool1dFn(kernel, stride, padding, ceilMode, countIncludePad).apply(x);
    }

    @Override
    public String toString() {
        return "AvgPool1d(kernel=" + kernel + ", stride=" + stride + ", padding=" + padding + ")";
    }
}
