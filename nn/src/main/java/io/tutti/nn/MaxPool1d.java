package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.MaxPool1dFn;

/**
 * {@code torch.nn.MaxPool1d} on {@code [N, C, L]} or {@code [C, L]}; the stride defaults to the
 * kernel. {@link #forwardWithIndices} also returns the winners' positions.
 */
public class MaxPool1d extends Layer {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final boolean ceilMode;

    public MaxPool1d(int kernel) {
        this(kernel, kernel, 0, 1, false);
    }

    /** A stride of 0 means "equal to the kernel". */
    public MaxPool1d(int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        this.kernel = kernel;
        this.stride = stride == 0 ? kernel : stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
    }

    @Override
    public Variable forward(Variable x) {
        return new MaxPool1dFn(kernel, stride, padding, dilation, ceilMode).apply(x);
    }

    public MaxPool2d.Pooled forwardWithIndices(Variable x) {
        MaxPool1dFn fn = new MaxPool1dFn(kernel, stride, padding, dilation, ceilMode);
        Variable values = fn.apply(x);
        return new MaxPool2d.Pooled(values, fn.indices());
    }

    @Override
    public String toString() {
        return "MaxPool1d(kernel=" + kernel + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation
                + ", ceilMode=" + ceilMode + ")";
    }
}
