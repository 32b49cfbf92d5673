package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.AdaptiveAvgPool2dFn;

/**
 * {@code torch.nn.AdaptiveAvgPool2d}: averages {@code [N, C, H, W]} (or {@code [C, H, W]}) down to a
 * fixed {@code [outH, outW]} whatever the input size; {@code (1, 1)} is global average pooling.
 */
public class AdaptiveAvgPool2d extends Layer {
    private final int outH;
    private final int outW;

    public AdaptiveAvgPool2d(int size) {
        this(size, size);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got [" + outH + ", " + outW + "]");
        }
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Variable forward(Variable x) {
        return new AdaptiveAvgPool2dFn(outH, outW).apply(x);
    }

    @Override
    public String toString() {
        return "AdaptiveAvgPool2d(" + outH + ", " + outW + ")";
    }
}
