package io.tutti.optim;

import io.tutti.autograd.Autograd;
import io.tutti.autograd.Variable;
import io.tutti.tensor.Tensor;

/**
 * Gradient clipping with PyTorch's semantics ({@code torch.nn.utils.clip_grad_norm_} and
 * {@code clip_grad_value_}). Both change the gradients in place and skip variables without one.
 * Use them between backward and {@code step()}, or register them as gradient transforms
 * ({@link GradientTransform#clipNorm}).
 */
public final class GradientClipping {
    /** Added to the total norm before dividing, as PyTorch does, so tiny norms cannot blow up. */
    public static final double EPS = 1e-6;

    private GradientClipping() {
    }

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} without failing on a non-finite norm. */
    public static double clipGradNorm(Iterable<? extends Variable> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales all gradients together so that their total {@code normType}-norm (the norm of the
     * per-tensor norms, i.e. the norm of all gradients concatenated) is at most {@code maxNorm}:
     * they are multiplied by {@code min(1, maxNorm / (total + 1e-6))}.
     *
     * @param normType a positive p, or {@code Double.POSITIVE_INFINITY} for the largest magnitude
     * @return the total norm before clipping (0 when no variable has a gradient)
     * @throws IllegalStateException when {@code errorIfNonfinite} and the total norm is NaN or infinite
     */
    @SuppressWarnings("try")   // the scope is opened only to be closed
    public static double clipGradNorm(Iterable<? extends Variable> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clipGradNorm: maxNorm must be non-negative, got " + maxNorm);
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException("clipGradNorm: normType must be positive (or infinity), got " + normType);
        }
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            double total = totalNorm(params, normType);
            if (errorIfNonfinite && !Double.isFinite(total)) {
                throw new IllegalStateException("clipGradNorm: the total " + normType + "-norm of the gradients is " + total
                        + "; a loss or gradient is NaN or infinite");
            }
            double coef = Math.min(1.0, maxNorm / (total + EPS));
            if (coef != 1.0) {   // multiplying by exactly 1 would change nothing
                for (Variable v : params) {
                    if (v.grad() != null) {
                        scale(v, coef);
                    }
                }
            }
            return total;
        }
    }

    /** The total {@code normType}-norm of all gradients (0 when there are none), without changing them. */
    public static double totalNorm(Iterable<? extends Variable> params, double normType) {
        boolean inf = normType == Double.POSITIVE_INFINITY;
        double acc = 0;
        boolean any = false;
        for (Variable v : params) {
            Tensor g = v.grad();
            if (g == null) {
                continue;
            }
            any = true;
            double n = g.norm(normType, null, false).item();
            if (inf) {
                acc = Double.isNaN(n) || Double.isNaN(acc) ? Double.NaN : Math.max(acc, n);
            } else {
                acc += Math.pow(n, normType);
            }
        }
        if (!any) {
            return 0;
        }
        return inf ? acc : Math.pow(acc, 1.0 / normType);
    }

    /** Clamps every gradient element into [-clipValue, clipValue]. */
    public static void clipGradValue(Iterable<? extends Variable> params, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipGradValue: clipValue must be non-negative, got " + clipValue);
        }
        for (Variable v : params) {
            Tensor g = v.grad();
            if (g != null) {
                writable(v).clampInPlace(-clipValue, clipValue);
            }
        }
    }

    private static void scale(Variable v, double coef) {
        writable(v).mulInPlace(coef);
    }

    /** The gradient, replaced by a private copy first if it is an expanded view that cannot be written. */
    private static Tensor writable(Variable v) {
        Tensor g = v.grad();
        if (g.hasOverlap()) {
            g = g.copy();
            v.grad(g);
        }
        return g;
    }
}
