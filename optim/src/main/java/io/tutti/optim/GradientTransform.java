package io.tutti.optim;

import io.tutti.nn.Parameter;
import io.tutti.tensor.Tensor;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Rewrites gradients after backward and before the optimizer's update: the hook through which
 * training methods change what the optimizer sees (OGM-GE's per-modality modulation, MLA's
 * orthogonal projection, MIE's flat projection) without reaching into any layer.
 *
 * <p>A transform gets every parameter of the optimizer, in state-dict order, and replaces
 * gradients with {@link Parameter#grad(Tensor)} or changes them in place. Transforms run in the
 * order they were added ({@link Optimizer#addGradientTransform}), under
 * {@link io.tutti.autograd.Autograd#noGrad()}.
 */
@FunctionalInterface
public interface GradientTransform {
    void apply(List<Parameter> params);

    /**
     * A transform applied to each parameter that has a gradient: {@code fn(param, grad)} returns the
     * new gradient (or {@code grad} itself after changing it in place, or null to leave it).
     */
    static GradientTransform perParameter(BiFunction<Parameter, Tensor, Tensor> fn) {
        return params -> {
            for (Parameter p : params) {
                Tensor g = p.grad();
                if (g != null) {
                    Tensor out = fn.apply(p, g);
                    if (out != null && out != g) {
                        p.grad(out);
                    }
                }
            }
        };
    }

    /** Clips the gradients' total 2-norm to {@code maxNorm} before every step (see {@link GradientClipping#clipGradNorm}). */
    static GradientTransform clipNorm(double maxNorm) {
        return params -> GradientClipping.clipGradNorm(params, maxNorm, 2.0);
    }

    /** Clamps every gradient element to [-clipValue, clipValue] before every step. */
    static GradientTransform clipValue(double clipValue) {
        return params -> GradientClipping.clipGradValue(params, clipValue);
    }
}
