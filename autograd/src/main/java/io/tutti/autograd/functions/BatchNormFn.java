package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Normalization;
import io.tutti.tensor.Tensor;

import java.util.Arrays;

/**
 * Batch normalisation over the channel dimension 1 of {@code x [N, C, ...]}, on inputs {@code (x)}
 * or {@code (x, weight [C], bias [C])}: {@code y = (x - mean) / sqrt(var + eps) * weight + bias}.
 *
 * <p>{@link #training} normalises with the batch's own statistics (biased variance) and
 * differentiates through them: with {@code x̂} the normalised input and {@code ĝ = grad * weight},
 * {@code dx = (ĝ - mean(ĝ) - x̂ · mean(ĝ x̂)) / sqrt(var + eps)}, the means taken per channel. The
 * layer reads the statistics back through {@link #batchMoments()} to update its running averages.
 * {@link #evaluation} normalises with given (running) statistics, which are constants, so the input
 * gradient is just {@code grad * weight / sqrt(var + eps)}.
 */
public final class BatchNormFn extends Function {
    private final Tensor fixedMean;
    private final Tensor fixedVar;
    private final double eps;
    private Normalization.Moments moments;

    private BatchNormFn(Tensor fixedMean, Tensor fixedVar, double eps) {
        if (!(eps > 0)) {
            throw new IllegalArgumentException("batchNorm: eps must be positive, got " + eps);
        }
        this.fixedMean = fixedMean;
        this.fixedVar = fixedVar;
        this.eps = eps;
    }

    /** Normalises with the statistics of the batch itself (PyTorch's training mode). */
    public static BatchNormFn training(double eps) {
        return new BatchNormFn(null, null, eps);
    }

    /** Normalises with fixed per-channel statistics {@code mean [C]} and {@code var [C]} (evaluation mode). */
    public static BatchNormFn evaluation(Tensor mean, Tensor var, double eps) {
        if (mean == null || var == null) {
            throw new IllegalArgumentException("batchNorm: evaluation needs a mean and a variance");
        }
        return new BatchNormFn(mean, var, eps);
    }

    /** The batch's mean, biased variance and count per channel, once a {@link #training} op has run. */
    public Normalization.Moments batchMoments() {
        if (moments == null) {
            throw new IllegalStateException("batchNormFn: batch statistics exist only after a training-mode apply");
        }
        return moments;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor x = in[0];
        if (in.length != 1 && in.length != 3) {
            throw new IllegalArgumentException("batchNorm: expects (x) or (x, weight, bias), got " + in.length + " inputs");
        }
        if (x.dim() < 2) {
            throw new IllegalArgumentException("batchNorm: input of shape " + Arrays.toString(x.shape())
                    + " must have a channel dimension: [N, C, ...]");
        }
        Tensor mean = fixedMean;
        Tensor var = fixedVar;
        if (mean == null) {
            moments = Normalization.batchNormStats(x);
            if (moments.count() < 2) {
                throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training, got input of shape "
                        + Arrays.toString(x.shape()));
            }
            mean = moments.mean();
            var = moments.variance();
        }
        int c = x.shape(1);
        for (Tensor t : in.length == 3 ? new Tensor[] {mean, var, in[1], in[2]} : new Tensor[] {mean, var}) {
            if (t.dim() != 1 || t.shape(0) != c) {
                throw new IllegalArgumentException("batchNorm: statistics and affine parameters must be [" + c + "] for input of shape "
                        + Arrays.toString(x.shape()) + ", got " + Arrays.toString(t.shape()));
            }
        }
        int[] perChannel = perChannelShape(x);
        Tensor invStd = var.add(eps).rsqrt().reshape(perChannel);
        Tensor xHat = x.sub(mean.reshape(perChannel)).mul(invStd);
        Tensor weight = in.length == 3 ? in[1].reshape(perChannel) : null;
        if (weight == null) {
            ctx.saveForBackward(xHat, invStd);
        } else {
            ctx.saveForBackward(xHat, invStd, weight);
        }
        Tensor y = weight == null ? xHat : xHat.mul(weight);
        return in.length == 3 ? y.add(in[2].reshape(perChannel)) : y;
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor xHat = ctx.saved(0);
        Tensor invStd = ctx.saved(1);
        boolean affine = ctx.inputCount() == 3;
        int[] dims = reducedDims(xHat.dim());
        Tensor gradX = null;
        if (ctx.needsInputGrad(0)) {
            Tensor gHat = affine ? grad.mul(ctx.saved(2)) : grad;
            if (fixedMean != null) {
                gradX = gHat.mul(invStd);
            } else {
                Tensor centred = gHat.sub(gHat.mean(dims, true)).sub(xHat.mul(gHat.mul(xHat).mean(dims, true)));
                gradX = centred.mul(invStd);
            }
        }
        if (!affine) {
            return grads(gradX);
        }
        Tensor gradW = ctx.needsInputGrad(1) ? grad.mul(xHat).sum(dims, false) : null;
        Tensor gradB = ctx.needsInputGrad(2) ? grad.sum(dims, false) : null;
        return grads(gradX, gradW, gradB);
    }

    private static int[] perChannelShape(Tensor x) {
        int[] s = new int[x.dim()];
        Arrays.fill(s, 1);
        s[1] = x.shape(1);
        return s;
    }

    private static int[] reducedDims(int rank) {
        int[] dims = new int[rank - 1];
        for (int i = 0, k = 0; i < rank; i++) {
            if (i != 1) {
                dims[k++] = i;
            }
        }
        return dims;
    }
}
