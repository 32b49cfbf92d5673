package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Normalization;
import io.tutti.tensor.Tensor;

/**
 * {@code torch.nn.functional.layer_norm} over the trailing {@code normalizedShape} dimensions, on
 * inputs {@code (x)} or {@code (x, weight, bias)} (both of shape {@code normalizedShape}). The fused
 * backward is batch norm's with the roles of the dimensions swapped: with {@code x̂} the normalised
 * input and {@code ĝ = grad * weight}, {@code dx = (ĝ - mean(ĝ) - x̂ · mean(ĝ x̂)) / sqrt(var + eps)},
 * the means taken over the normalised dimensions; the weight's gradient sums {@code grad · x̂} and the
 * bias' sums {@code grad} over the leading dimensions. Both directions run as one fused backend
 * kernel ({@link Normalization#layerNormForward}, {@link Normalization#layerNormBackward}), which
 * also checks the shapes.
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
        Normalization.LayerNormOutput out = Normalization.layerNormForward(x, normalizedShape, weight, bias, eps);
        // x and the small row statistics, not x̂: backward recomputes x̂ row by row (as PyTorch does),
        // which costs less than keeping a second input-sized tensor alive.
        if (weight == null) {
            ctx.saveForBackward(x, out.mean(), out.invStd());
        } else {
            ctx.saveForBackward(x, out.mean(), out.invStd(), weight);
        }
        return out.output();
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        boolean affine = ctx.inputCount() == 3;
        Normalization.LayerNormGrads g = Normalization.layerNormBackward(grad, ctx.saved(0), ctx.saved(1), ctx.saved(2),
                affine ? ctx.saved(3) : null, normalizedShape, ctx.needsInputGrad(0),
                affine && (ctx.needsInputGrad(1) || ctx.needsInputGrad(2)));
        if (!affine) {
            return grads(g.input());
        }
        return grads(g.input(), ctx.needsInputGrad(1) ? g.weight() : null, ctx.needsInputGrad(2) ? g.bias() : null);
    }
}
