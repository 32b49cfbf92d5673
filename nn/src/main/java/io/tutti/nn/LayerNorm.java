package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.LayerNormFn;
import io.tutti.tensor.Tensor;

import java.util.Arrays;

/**
 * {@code torch.nn.LayerNorm}: normalises each sample over its trailing {@code normalizedShape}
 * dimensions (biased variance, eps 1e-5 by default), then applies the elementwise {@code weight}
 * (ones) and {@code bias} (zeros).
 */
public class LayerNorm extends Layer {
    private final int[] normalizedShape;
    private final double eps;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalized shape must name at least one dimension");
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        if (elementwiseAffine) {
            registerParameter("weight", new Parameter(Tensor.ones(normalizedShape)));
            registerParameter("bias", new Parameter(Tensor.zeros(normalizedShape)));
        }
    }

    /** The scale, or null without elementwise affine. */
    public Parameter weight() {
        return parameter("weight");
    }

    /** The shift, or null without elementwise affine. */
    public Parameter bias() {
        return parameter("bias");
    }

    @Override
    public Variable forward(Variable x) {
        LayerNormFn fn = new LayerNormFn(normalizedShape, eps);
        return weight() == null ? fn.apply(x) : fn.apply(x, weight(), bias());
    }

    @Override
    public String toString() {
        return "LayerNorm(" + Arrays.toString(normalizedShape) + ", eps=" + eps + ", affine=" + (weight() != null) + ")";
    }
}
