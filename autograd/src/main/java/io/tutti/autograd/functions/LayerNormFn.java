package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Normalization;
import io.tutti.tensor.Tensor;

import java.util.Arrays;

/**
 * {@code torch.nn.functional.layer_norm} over the trailing {@code normalizedShape} dimensions, on
 * inputs {@code (x)} or {@code (x, weight, bias)} (both of shape {@code normalizedShape}). The fused
 * backward is batch norm's with the roles of the dimensions swapped: with {@code x̂} the normalised
 * input and {@code ĝ = grad * weight}, {@code dx = (ĝ - mean(ĝ) - x̂ · mean(ĝ x̂)) / sqrt(var + eps)},
 * the means taken over the normalised dimensions.
 */
public final class LayerNormFn extends Function {
    private final int[] normalizedShape;
    private final double eps;

    public LayerNormFn(int[] normalizedShape, double eps) {
        if (normalizedShape == null || normalizedShape.length == 0) {
            throw new IllegalArgumentException("layerNorm: normalized shape must name at least one dimension");
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("layerNorm: eps must be positive, got " + eps);
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        if (in.length != 1 && in.length != 3) {
            throw new IllegalArgumentException("layerNorm: expects (x) or (x, weight, bias), got " + in.length + " inputs");
        }
        Tensor x = in[0];
        Tensor weight = in.length == 3 ? in[1] : null;
        Tensor bias = in.length == 3 ? in[2] : null;
        checkShapes(x, weight, bias);
        Normalization.Moments m = Normalization.layerNormStats(x, normalizedShape.length);
        Tensor invStd = m.variance().add(eps).rsqrt();
        Tensor xHat = x.sub(m.mean()).mul(invStd);
        if (weight == null) {
            ctx.saveForBackward(xHat, invStd);
        } else {
            ctx.saveForBackward(xHat, invStd, weight);
        }
        Tensor y = weight == null ? xHat : xHat.mul(weight);
        return bias == null ? y : y.add(bias);
    }

    private void checkShapes(Tensor x, Tensor weight, Tensor bias) {
        int k = normalizedShape.length;
        int[] shape = x.shape();
        if (k > shape.length || !Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape)) {
            throw new IllegalArgumentException("layerNorm: normalized shape " + Arrays.toString(normalizedShape)
                    + " is not the trailing shape of input " + Arrays.toString(shape));
        }
        for (Tensor affine : new Tensor[] {weight, bias}) {
            if (affine != null && !Arrays.equals(affine.shape(), normalizedShape)) {
                throw new IllegalArgumentException("layerNorm: " + (affine == weight ? "weight" : "bias") + " of shape "
                        + Arrays.toString(affine.shape()) + " must be " + Arrays.toString(normalizedShape));
            }
        }
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor xHat = ctx.saved(0);
        Tensor invStd = ctx.saved(1);
        boolean affine = ctx.inputCount() == 3;
        int k = normalizedShape.length;
        int rank = xHat.dim();
        int[] normDims = new int[k];
        for (int i = 0; i < k; i++) {
            normDims[i] = rank - k + i;
        }
        Tensor gradX = null;
        if (ctx.needsInputGrad(0)) {
            Tensor gHat = affine ? grad.mul(ctx.saved(2)) : grad;
            gradX = gHat.sub(gHat.mean(normDims, true)).sub(xHat.mul(gHat.mul(xHat).mean(normDims, true))).mul(invStd);
        }
        if (!affine) {
            return grads(gradX);
        }
        int[] leading = new int[rank - k];
        for (int i = 0; i < leading.length; i++) {
            leading[i] = i;
        }
        Tensor gradW = ctx.needsInputGrad(1) ? sumLeading(grad.mul(xHat), leading) : null;
        Tensor gradB = ctx.needsInputGrad(2) ? sumLeading(grad, leading) : null;
        return grads(gradX, gradW, gradB);
    }

    private Tensor sumLeading(Tensor t, int[] leading) {
        Tensor s = leading.length == 0 ? t : t.sum(leading, false);
        return s.reshape(normalizedShape);
    }
}
