package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.BatchNormFn;
import io.tutti.tensor.DType;
import io.tutti.tensor.Normalization;
import io.tutti.tensor.Tensor;

import java.util.Arrays;

/**
 * The shared body of {@link BatchNorm1d} and {@link BatchNorm2d}, as PyTorch's {@code _BatchNorm}:
 * per-channel normalisation of {@code [N, C, ...]} with learnable {@code weight} (ones) and
 * {@code bias} (zeros) when affine, and running statistics when tracked.
 *
 * <p>In training, the batch's statistics normalise (gradients flow through them) and the running
 * ones move towards them: {@code running = (1 - momentum) * running + momentum * batch}, with the
 * unbiased batch variance for {@code running_var}; a null momentum gives the cumulative average
 * ({@code 1 / num_batches_tracked}). In evaluation the running statistics normalise, unless they
 * are not tracked, in which case the batch's are used as in training. {@code num_batches_tracked}
 * is an int32 buffer (int64 in PyTorch; it loads from PyTorch files through safetensors' I64).
 */
public abstract class BatchNorm extends Layer {
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine;
    private final boolean trackRunningStats;

    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": numFeatures must be positive, got " + numFeatures);
        }
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": momentum must be in [0, 1] or null, got " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        if (affine) {
            registerParameter("weight", new Parameter(Tensor.ones(numFeatures)));
            registerParameter("bias", new Parameter(Tensor.zeros(numFeatures)));
        }
        if (trackRunningStats) {
            registerBuffer("running_mean", Tensor.zeros(numFeatures));
            registerBuffer("running_var", Tensor.ones(numFeatures));
            registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT32));
        }
    }

    /** Checks the input's rank; subclasses name the ranks they accept. */
    protected abstract void checkInput(Variable x);

    /** The scale, or null when not affine. */
    public Parameter weight() {
        return parameter("weight");
    }

    /** The shift, or null when not affine. */
    public Parameter bias() {
        return parameter("bias");
    }

    /** The running mean, or null when statistics are not tracked. */
    public Tensor runningMean() {
        return buffer("running_mean");
    }

    /** The running (unbiased) variance, or null when statistics are not tracked. */
    public Tensor runningVar() {
        return buffer("running_var");
    }

    /** How many training batches updated the running statistics, or -1 when they are not tracked. */
    public int numBatchesTracked() {
        Tensor n = buffer("num_batches_tracked");
        return n == null ? -1 : (int) n.item();
    }

    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public Variable forward(Variable x) {
        checkInput(x);
        if (x.shape(1) != numFeatures) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input of shape " + Arrays.toString(x.shape())
                    + " has " + x.shape(1) + " channels, expected " + numFeatures);
        }
        boolean useBatchStats = isTraining() || !trackRunningStats;
        BatchNormFn fn = useBatchStats ? BatchNormFn.training(eps) : BatchNormFn.evaluation(runningMean(), runningVar(), eps);
        Variable y = affine ? fn.apply(x, weight(), bias()) : fn.apply(x);
        if (isTraining() && trackRunningStats) {
            updateRunningStats(fn.batchMoments());
        }
        return y;
    }

    private void updateRunningStats(Normalization.Moments batch) {
        Tensor count = buffer("num_batches_tracked");
        count.fillInPlace(count.item() + 1);
        double factor = momentum != null ? momentum : 1 / count.item();
        Tensor mean = runningMean();
        Tensor var = runningVar();
        mean.mulInPlace(1 - factor).addInPlace(batch.mean().to(mean.dtype()), factor);
        var.mulInPlace(1 - factor).addInPlace(batch.unbiasedVariance().to(var.dtype()), factor);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + affine
                + ", trackRunningStats=" + trackRunningStats + ")";
    }
}
