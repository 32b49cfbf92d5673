package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.MaxPool2dFn;
import io.tutti.tensor.Tensor;

import java.util.Arrays;

/**
 * {@code torch.nn.MaxPool2d} on {@code [N, C, H, W]} or {@code [C, H, W]}. The stride defaults to the
 * kernel; padding counts as minus infinity. {@link #forwardWithIndices} also returns the winners'
 * flat indices, as {@code return_indices=True}.
 */
public class MaxPool2d extends Layer {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;

    /** The pooled values and the int32 flat index ({@code row * W + column}) of each in its input plane. */
    public record Pooled(Variable values, Tensor indices) {
    }

    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this(new int[] {kernel}, new int[] {stride}, new int[] {padding}, new int[] {1}, false);
    }

    /** A null stride means "equal to the kernel". */
    public MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this.kernel = kernel.clone();
        this.stride = stride == null ? null : stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.ceilMode = ceilMode;
    }

    @Override
    public Variable forward(Variable x) {
        return new MaxPool2dFn(kernel, stride, padding, dilation, ceilMode).apply(x);
    }

    public Pooled forwardWithIndices(Variable x) {
        MaxPool2dFn fn = new MaxPool2dFn(kernel, stride, padding, dilation, ceilMode);
        Variable values = fn.apply(x);
        return new Pooled(values, fn.indices());
    }

    @Override
    public String toString() {
        return "MaxPool2d(kernel=" + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride == null ? kernel : stride)
                + ", padding=" + Arrays.toString(padding) + ", dilation=" + Arrays.toString(dilation) + ", ceilMode=" + ceilMode + ")";
    }
}
