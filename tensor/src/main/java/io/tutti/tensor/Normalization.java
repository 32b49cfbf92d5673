package io.tutti.tensor;

import java.util.Arrays;

/**
 * Batch and layer normalisation written as compositions of reductions and broadcasting arithmetic:
 * the statistics (what the training forward pass and the running averages need) and the
 * normalising forward functions ({@code torch.nn.functional.batch_norm} in evaluation form, and
 * {@code layer_norm}).
 */
public final class Normalization {
    private Normalization() {
    }

    /**
     * The mean and biased variance of a set of values, and how many values each statistic covers.
     * The biased variance (divided by {@code count}) is what normalises; the unbiased one is what
     * PyTorch folds into {@code running_var}.
     */
    public record Moments(Tensor mean, Tensor variance, int count) {
        /** {@code variance * count / (count - 1)}; needs more than one value per statistic. */
        public Tensor unbiasedVariance() {
            if (count < 2) {
                throw new IllegalArgumentException("unbiasedVariance: needs more than 1 value per statistic, got " + count
                        + " (PyTorch's batch norm refuses to train on this too)");
            }
            return variance.mul((double) count / (count - 1));
        }
    }

    /**
     * Batch-norm statistics of {@code x} over {@code dims} (for {@code [N, C, H, W]}: {@code {0, 2, 3}}).
     * The reduced dimensions are removed, so the moments have the shape of PyTorch's running
     * statistics ({@code [C]}).
     */
    public static Moments batchNormStats(Tensor x, int[] dims) {
        requireFloating("batchNormStats", x);
        if (dims == null || dims.length == 0) {
            throw new IllegalArgumentException("batchNormStats: dims must name at least one dimension of shape "
                    + Arrays.toString(x.shape()));
        }
        return moments("batchNormStats", x, dims, false);
    }

    /** Batch-norm statistics over every dimension except the channel dimension 1. */
    public static Moments batchNormStats(Tensor x) {
        requireChannels("batchNormStats", x);
        int[] dims = new int[x.dim() - 1];
        for (int i = 0, k = 0; i < x.dim(); i++) {
            if (i != 1) {
                dims[k++] = i;
            }
        }
        return batchNormStats(x, dims);
    }

    /**
     * Layer-norm statistics over the last {@code normalizedDims} dimensions. The reduced dimensions
     * are kept with size 1 (as in PyTorch's {@code native_layer_norm}), so the moments broadcast
     * straight back against {@code x}.
     */
    public static Moments layerNormStats(Tensor x, int normalizedDims) {
        requireFloating("layerNormStats", x);
        if (normalizedDims <= 0 || normalizedDims > x.dim()) {
            throw new IllegalArgumentException("layerNormStats: cannot normalise the last " + normalizedDims
                    + " dimensions of shape " + Arrays.toString(x.shape()));
        }
        int[] dims = new int[normalizedDims];
        for (int i = 0; i < normalizedDims; i++) {
            dims[i] = x.dim() - normalizedDims + i;
        }
        return moments("layerNormStats", x, dims, true);
    }

    /**
     * {@code (x - mean) / sqrt(var + eps) * weight + bias} with per-channel statistics: {@code x} is
     * {@code [N, C, ...]}, and {@code mean}, {@code var}, {@code weight} and {@code bias} are
     * {@code [C]} ({@code weight} and {@code bias} may be null).
     */
    public static Tensor batchNorm(Tensor x, Tensor mean, Tensor var, Tensor weight, Tensor bias, double eps) {
        requireChannels("batchNorm", x);
        requireFloating("batchNorm", x);
        int c = x.shape(1);
        int[] perChannel = new int[x.dim()];
        Arrays.fill(perChannel, 1);
        perChannel[1] = c;
        Tensor m = channelVector("batchNorm", "mean", mean, x).reshape(perChannel);
        Tensor v = channelVector("batchNorm", "var", var, x).reshape(perChannel);
        Tensor y = x.sub(m).mul(v.add(eps).rsqrt());
        if (weight != null) {
            y = y.mul(channelVector("batchNorm", "weight", weight, x).reshape(perChannel));
        }
        if (bias != null) {
            y = y.add(channelVector("batchNorm", "bias", bias, x).reshape(perChannel));
        }
        return y;
    }

    /**
     * {@code torch.nn.functional.layer_norm}: normalises over the trailing {@code normalizedShape}
     * dimensions with the biased variance, then applies the optional elementwise {@code weight} and
     * {@code bias} of shape {@code normalizedShape}.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return layerNormForward(x, normalizedShape, weight, bias, eps).output();
    }

    /**
     * What the layer-norm forward pass gives training: the output, and per normalised row the mean
     * and {@code 1 / sqrt(var + eps)} that backward needs (PyTorch's {@code native_layer_norm}).
     * The statistics have the input's shape with size 1 on the normalised dimensions, so they
     * broadcast straight back against it.
     */
    public record LayerNormOutput(Tensor output, Tensor mean, Tensor invStd) {
    }

    /** The layer-norm gradients; each is null when it was not asked for. */
    public record LayerNormGrads(Tensor input, Tensor weight, Tensor bias) {
    }

    /**
     * {@link #layerNorm} keeping the row statistics for {@link #layerNormBackward}. Runs the
     * backend's fused kernel ({@link Backend#layerNorm}) where it has one.
     */
    public static LayerNormOutput layerNormForward(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        checkLayerNorm("layerNorm", x, normalizedShape, weight, bias);
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("layerNorm: eps must be non-negative, got " + eps);
        }
        return x.backend().layerNorm(x, normalizedShape.length, weight, bias, eps);
    }

    /**
     * The gradients of {@link #layerNormForward} given the output's gradient {@code grad}, the input
     * {@code x}, the statistics the forward pass returned, and the {@code weight} it used (null for
     * none). {@code inputGrad} and {@code affineGrads} say which gradients to compute; the affine
     * ones (for the weight and the bias, of shape {@code normalizedShape}) are sums over the rows of
     * {@code grad * x̂} and {@code grad}. Runs the backend's fused kernel
     * ({@link Backend#layerNormBackward}) where it has one.
     */
    public static LayerNormGrads layerNormBackward(Tensor grad, Tensor x, Tensor mean, Tensor invStd, Tensor weight,
            int[] normalizedShape, boolean inputGrad, boolean affineGrads) {
        String op = "layerNormBackward";
        checkLayerNorm(op, x, normalizedShape, weight, null);
        if (!Arrays.equals(grad.shape(), x.shape())) {
            throw new IllegalArgumentException(op + ": gradient of shape " + Arrays.toString(grad.shape())
                    + " must have the input's shape " + Arrays.toString(x.shape()));
        }
        int[] statsShape = x.shape();
        Arrays.fill(statsShape, x.dim() - normalizedShape.length, x.dim(), 1);
        for (Tensor stat : new Tensor[] {mean, invStd}) {
            if (stat == null || !Arrays.equals(stat.shape(), statsShape)) {
                throw new IllegalArgumentException(op + ": " + (stat == mean ? "mean" : "invStd") + " of shape "
                        + (stat == null ? "null" : Arrays.toString(stat.shape())) + " must be " + Arrays.toString(statsShape)
                        + " for input of shape " + Arrays.toString(x.shape()));
            }
        }
        return x.backend().layerNormBackward(grad, x, mean, invStd, weight, normalizedShape.length, inputGrad, affineGrads);
    }

    private static void checkLayerNorm(String op, Tensor x, int[] normalizedShape, Tensor weight, Tensor bias) {
        requireFloating(op, x);
        int k = normalizedShape.length;
        int[] shape = x.shape();
        if (k == 0 || k > shape.length
                || !Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape)) {
            throw new IllegalArgumentException(op + ": normalized shape " + Arrays.toString(normalizedShape)
                    + " is not the trailing shape of input " + Arrays.toString(shape));
        }
        if (Shapes.numel(normalizedShape) == 0) {
            throw new IllegalArgumentException(op + ": no values to normalise in normalized shape "
                    + Arrays.toString(normalizedShape));
        }
        for (Tensor affine : new Tensor[] {weight, bias}) {
            if (affine != null && !Arrays.equals(affine.shape(), normalizedShape)) {
                throw new IllegalArgumentException(op + ": " + (affine == weight ? "weight" : "bias") + " of shape "
                        + Arrays.toString(affine.shape()) + " must be " + Arrays.toString(normalizedShape));
            }
        }
    }

    private static Moments moments(String op, Tensor x, int[] dims, boolean keepDim) {
        boolean[] reduced = Shapes.axesMask(op, dims, x.dim());
        int count = 1;
        for (int i = 0; i < reduced.length; i++) {
            if (reduced[i]) {
                count *= x.shape(i);
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException(op + ": no values to take statistics of in shape " + Arrays.toString(x.shape()));
        }
        // Two passes (mean, then squared deviations) avoid the cancellation of E[x^2] - E[x]^2.
        Tensor mean = x.mean(dims, true);
        Tensor variance = x.sub(mean).square().mean(dims, keepDim);
        return new Moments(keepDim ? mean : mean.reshape(variance.shape()), variance, count);
    }

    private static Tensor channelVector(String op, String what, Tensor t, Tensor x) {
        if (t == null || t.dim() != 1 || t.shape(0) != x.shape(1)) {
            throw new IllegalArgumentException(op + ": " + what + " of shape " + (t == null ? "null" : Arrays.toString(t.shape()))
                    + " must be [" + x.shape(1) + "] for input of shape " + Arrays.toString(x.shape()));
        }
        return t;
    }

    private static void requireChannels(String op, Tensor x) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException(op + ": input of shape " + Arrays.toString(x.shape())
                    + " must have a channel dimension: [N, C, ...]");
        }
    }

    private static void requireFloating(String op, Tensor x) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": needs a floating tensor, got " + x.dtype());
        }
    }
}
