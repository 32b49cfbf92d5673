package io.tutti.nn;

import io.tutti.autograd.Variable;

import java.util.Arrays;

/** {@code torch.nn.BatchNorm2d} on {@code [N, C, H, W]}; see {@link BatchNorm}. */
public class BatchNorm2d extends BatchNorm {
    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** A null momentum means a cumulative average. */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInput(Variable x) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException("BatchNorm2d: expected 4-d [N, C, H, W] input, got shape " + Arrays.toString(x.shape()));
        }
    }
}
