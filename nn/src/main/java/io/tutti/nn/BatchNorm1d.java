package io.tutti.nn;

import io.tutti.autograd.Variable;

import java.util.Arrays;

/** {@code torch.nn.BatchNorm1d} on {@code [N, C]} or {@code [N, C, L]}; see {@link BatchNorm}. */
public class BatchNorm1d extends BatchNorm {
    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** A null momentum means a cumulative average. */
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInput(Variable x) {
        if (x.dim() != 2 && x.dim() != 3) {
            throw new IllegalArgumentException("BatchNorm1d: expected 2-d [N, C] or 3-d [N, C, L] input, got shape "
                    + Arrays.toString(x.shape()));
        }
    }
}
