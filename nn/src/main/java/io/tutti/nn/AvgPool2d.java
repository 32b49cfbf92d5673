package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.AvgPool2dFn;

import java.util.Arrays;

/**
 * {@code torch.nn.AvgPool2d} on {@code [N, C, H, W]} or {@code [C, H, W]}: zero padding, counted in
 * the divisor when {@code countIncludePad} (the default); the stride defaults to the kernel.
 */
public class AvgPool2d extends Layer {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        this(new int[] {kernel}, new int[] {stride}, new int[] {padding}, false, true);
    }

    /** A null stride means "equal to the kernel". */
    public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = kernel.clone();
        this.stride = stride == null ? null : stride.clone();
        this.padding = padding.clone();
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Variable forward(Variable x) {
        return new AvgPool2dFn(kernel, stride, padding, ceilMode, countIncludePad).apply(x);
    }

    @Override
    public String toString() {
        return "AvgPool2d(kernel=" + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride == null ? kernel : stride)
                + ", padding=" + Arrays.toString(padding) + ", ceilMode=" + ceilMode + ", countIncludePad=" + countIncludePad + ")";
    }
}
