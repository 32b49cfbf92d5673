package io.tutti.optim;

import io.tutti.autograd.Autograd;
import io.tutti.nn.Parameter;
import io.tutti.tensor.Tensor;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sharpness-aware minimisation (Foret et al., 2021) around any optimizer: it takes the base
 * optimizer's step with the gradient computed at the worst nearby point w + e(w) rather than at w.
 *
 * <p>Two variants:
 * <ul>
 *   <li>{@link Normalization#GLOBAL} (the default, Foret et al.): e(w) = ρ g / (‖g‖ + 1e-12) with
 *       ‖g‖ the norm of all gradients together. The adaptive variant (ASAM, Kwon et al.) uses
 *       e(w) = ρ w² g / (‖w g‖ + 1e-12), which makes the radius scale-invariant. After the
 *       closure the original weights are put back exactly (they are saved, not recomputed as
 *       w + e − e, which float rounding would spoil), then the base optimizer steps.</li>
 *   <li>{@link Normalization#PER_TENSOR} with {@code restore(false)}: the variant of the released
 *       MIE/IGM code (METHODS.md section 6.4): each tensor is moved by ρ g_p / (‖g_p‖ + 1e-12) with
 *       its own norm, and the perturbation is never undone: the base step starts from w + e.
 *       {@link Options#releasedMie} sets this up.</li>
 * </ul>
 * The radius can differ per group (MIE's ρ_enc and ρ_cls): a group option {@code rho} overrides
 * {@link Options#rho}.
 *
 * <p>Usage: compute the loss and gradients at w yourself, then call {@link #step(Closure)}; the
 * closure recomputes them at the perturbed weights (its gradients start from zero).
 *
 * <pre>{@code
 * SAM sam = new SAM(new SGD(model.parameters(), SGD.options().lr(0.1)), SAM.options().rho(0.05));
 * loss(model, batch).backward();
 * sam.step(() -> { Variable l = loss(model, batch); l.backward(); return l.item(); });
 * sam.zeroGrad();
 * }</pre>
 *
 * {@link #firstStep(boolean)} and {@link #secondStep()} expose the two halves for training loops
 * that need something in between. Keeping the first gradient ({@code firstStep(false)}) makes the
 * closure's backward add to it, which gives the gradient of a mixed loss such as MIE's
 * (1 − β) L(w) + β L(w + e) when the two losses are scaled by (1 − β) and β.
 *
 * <p>SAM keeps no state of its own between steps: checkpoint {@link #base()}.
 */
public final class SAM {
    /** How the perturbation is normalised. */
    public enum Normalization {
        /** One norm over all parameters' gradients (Foret et al.). */
        GLOBAL,
        /** Each tensor by its own gradient norm (the released MIE/IGM code). */
        PER_TENSOR
    }

    /** Added to gradient norms before dividing. */
    public static final double EPS = 1e-12;

    /** The group option that overrides the radius for one group. */
    public static final String RHO = "rho";

    /** SAM's settings; the defaults are Foret et al.'s (ρ = 0.05, global, restored). */
    public static final class Options {
        private double rho = 0.05;
        private boolean adaptive;
        private Normalization normalization = Normalization.GLOBAL;
        private boolean restore = true;

        public Options rho(double rho) {
            if (!(rho >= 0)) {
                throw new IllegalArgumentException("SAM: rho must be non-negative, got " + rho);
            }
            this.rho = rho;
            return this;
        }

        /** ASAM: scale the perturbation by w² (and the norm by |w|). */
        public Options adaptive(boolean adaptive) {
            this.adaptive = adaptive;
            return this;
        }

        public Options normalization(Normalization normalization) {
            if (normalization == null) {
                throw new IllegalArgumentException("SAM: normalization must not be null");
            }
            this.normalization = normalization;
            return this;
        }

        /** Whether to put the original weights back before the base step (true in Foret et al.). */
        public Options restore(boolean restore) {
            this.restore = restore;
            return this;
        }

        /** The released MIE/IGM code: per-tensor normalisation, perturbation never undone. */
        public static Options releasedMie(double rho) {
            return new Options().rho(rho).normalization(Normalization.PER_TENSOR).restore(false);
        }
    }

    public static Options options() {
        return new Options();
    }

    private final Optimizer base;
    private final double rho;
    private final boolean adaptive;
    private final Normalization normalization;
    private final boolean restore;
    private final Map<Parameter, Tensor> saved = new IdentityHashMap<>();
    private boolean perturbed;

    public SAM(Optimizer base, Options options) {
        if (base == null || options == null) {
            throw new IllegalArgumentException("SAM: base optimizer and options must not be null");
        }
        this.base = base;
        this.rho = options.rho;
        this.adaptive = options.adaptive;
        this.normalization = options.normalization;
        this.restore = options.restore;
    }

    /** The wrapped optimizer (its param groups, state and checkpoints are SAM's). */
    public Optimizer base() {
        return base;
    }

    public List<ParamGroup> paramGroups() {
        return base.paramGroups();
    }

    public void zeroGrad() {
        base.zeroGrad();
    }

    /**
     * One SAM step: perturb the weights from the current gradients, zero the gradients, call the
     * closure at the perturbed weights (with gradients enabled), undo the perturbation (unless
     * configured not to), and step the base optimizer with the new gradients. Returns the closure's loss.
     */
    @SuppressWarnings("try")   // the scope is opened only to be closed
    public double step(Closure closure) {
        if (closure == null) {
            throw new IllegalArgumentException("SAM: step needs a closure that recomputes the loss and gradients");
        }
        firstStep(true);
        double loss;
        try (Autograd.Scope ignored = Autograd.enableGrad()) {
            loss = closure.evaluate();
        } catch (RuntimeException | Error e) {
            undoPerturbation();
            perturbed = false;
            throw e;
        }
        secondStep();
        return loss;
    }

    /**
     * Moves every parameter that has a gradient to w + e(w), remembering w when restoring; with
     * {@code zeroGrad} the gradients are then cleared so the next backward computes them afresh.
     */
    @SuppressWarnings("try")   // the scope is opened only to be closed
    public void firstStep(boolean zeroGrad) {
        if (perturbed) {
            throw new IllegalStateException("SAM: firstStep called twice without secondStep");
        }
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            double globalNorm = normalization == Normalization.GLOBAL ? globalNorm() : Double.NaN;
            for (ParamGroup g : base.paramGroups()) {
                double groupRho = g.has(RHO) ? g.getDouble(RHO) : rho;
                for (Parameter p : g.params()) {
                    Tensor grad = p.grad();
                    if (grad == null) {
                        continue;
                    }
                    Tensor w = p.data();
                    double norm = normalization == Normalization.GLOBAL ? globalNorm : scaledGrad(w, grad).norm().item();
                    Tensor e = adaptive ? grad.mul(w.square()) : grad;
                    e = e.mul(groupRho / (norm + EPS));
                    if (restore) {
                        saved.put(p, w.copy());
                    }
                    w.addInPlace(e);
                }
            }
        }
        if (zeroGrad) {
            base.zeroGrad();
        }
        perturbed = true;
    }

    /** Puts the original weights back (when restoring) and steps the base optimizer with the current gradients. */
    public void secondStep() {
        if (!perturbed) {
            throw new IllegalStateException("SAM: secondStep called without firstStep");
        }
        undoPerturbation();
        perturbed = false;
        base.step();
    }

    @SuppressWarnings("try")   // the scope is opened only to be closed
    private void undoPerturbation() {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            saved.forEach((p, w) -> p.data().copyFrom(w));
        }
        saved.clear();
    }

    /** The 2-norm over all parameters of g (or |w| g when adaptive). */
    private double globalNorm() {
        double sumSquares = 0;
        for (Parameter p : base.parameters()) {
            if (p.grad() != null) {
                double n = scaledGrad(p.data(), p.grad()).norm().item();
                sumSquares += n * n;
            }
        }
        return Math.sqrt(sumSquares);
    }

    private Tensor scaledGrad(Tensor w, Tensor grad) {
        return adaptive ? grad.mul(w.abs()) : grad;
    }
}
