package io.tutti.tensor;

import java.util.Arrays;

/**
 * Operations written once over the backend primitives. They are the defaults of {@link Backend}'s
 * optional fused kernels, and the test suite checks every fused override against them.
 */
public final class Composites {
    private Composites() {
    }

    /** exp(x - max) / sum(exp(x - max)) along {@code dim}; subtracting the max keeps exp from overflowing. */
    public static Tensor softmax(Tensor x, int dim) {
        if (x.numel() == 0) {
            return x.zerosLike();
        }
        Tensor in = x.dim() == 0 ? x.reshape(1) : x;
        Tensor e = in.sub(in.max(dim, true)).exp();
        Tensor r = e.div(e.sum(dim, true));
        return x.dim() == 0 ? r.reshape() : r;
    }

    /** (x - max) - log(sum(exp(x - max))) along {@code dim}. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        if (x.numel() == 0) {
            return x.zerosLike();
        }
        Tensor in = x.dim() == 0 ? x.reshape(1) : x;
        Tensor shifted = in.sub(in.max(dim, true));
        Tensor r = shifted.sub(shifted.exp().sum(dim, true).log());
        return x.dim() == 0 ? r.reshape() : r;
    }

    /**
     * The gradient of {@link #softmax} along {@code dim} from its result {@code y} and the result's
     * gradient: {@code y * (grad - sum(grad * y))}, the sum along {@code dim}.
     */
    public static Tensor softmaxBackward(Tensor y, Tensor grad, int dim) {
        return y.mul(grad.sub(grad.mul(y).sum(dim, true)));
    }

    /**
     * Layer norm over the last {@code normalizedDims} dimensions: the statistics by
     * {@link Normalization#layerNormStats} (two passes, so no cancellation), then
     * {@code (x - mean) * invStd [* weight] [+ bias]}, each step a whole-tensor op.
     */
    public static Normalization.LayerNormOutput layerNorm(Tensor x, int normalizedDims, Tensor weight, Tensor bias, double eps) {
        Normalization.Moments m = Normalization.layerNormStats(x, normalizedDims);
        Tensor invStd = m.variance().add(eps).rsqrt();
        Tensor y = x.sub(m.mean()).mul(invStd);
        if (weight != null) {
            y = y.mul(weight);
        }
        if (bias != null) {
            y = y.add(bias);
        }
        return new Normalization.LayerNormOutput(y, m.mean(), invStd);
    }

    /**
     * The layer-norm gradients, written out: with {@code x̂ = (x - mean) * invStd} and
     * {@code ĝ = grad * weight}, {@code dx = (ĝ - mean(ĝ) - x̂ · mean(ĝ x̂)) * invStd} (means over
     * the normalised dimensions), {@code dweight = Σ grad x̂} and {@code dbias = Σ grad} over the
     * leading dimensions.
     */
    public static Normalization.LayerNormGrads layerNormBackward(Tensor grad, Tensor x, Tensor mean, Tensor invStd, Tensor weight,
            int normalizedDims, boolean inputGrad, boolean affineGrads) {
        int rank = x.dim();
        int[] normDims = new int[normalizedDims];
        for (int i = 0; i < normalizedDims; i++) {
            normDims[i] = rank - normalizedDims + i;
        }
        Tensor xHat = x.sub(mean).mul(invStd);
        Tensor gradX = null;
        if (inputGrad) {
            Tensor gHat = weight == null ? grad : grad.mul(weight);
            gradX = gHat.sub(gHat.mean(normDims, true)).sub(xHat.mul(gHat.mul(xHat).mean(normDims, true))).mul(invStd);
        }
        if (!affineGrads) {
            return new Normalization.LayerNormGrads(gradX, null, null);
        }
        int[] normalizedShape = Arrays.copyOfRange(x.shape(), rank - normalizedDims, rank);
        return new Normalization.LayerNormGrads(gradX, sumLeading(grad.mul(xHat), normalizedShape),
                sumLeading(grad, normalizedShape));
    }

    private static Tensor sumLeading(Tensor t, int[] normalizedShape) {
        int[] leading = new int[t.dim() - normalizedShape.length];
        for (int i = 0; i < leading.length; i++) {
            leading[i] = i;
        }
        return (leading.length == 0 ? t : t.sum(leading, false)).reshape(normalizedShape);
    }
}
