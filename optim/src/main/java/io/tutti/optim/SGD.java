package io.tutti.optim;

import io.tutti.nn.Parameter;
import io.tutti.tensor.Tensor;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay,
 * with PyTorch's exact update ({@code torch.optim.SGD}). With gradient g, parameter w, weight decay
 * λ, momentum μ, dampening τ and learning rate η:
 *
 * <pre>
 * d = g + λ w
 * b = d                      on the parameter's first step (the buffer starts as the gradient)
 * b = μ b + (1 − τ) d        afterwards
 * d = d + μ b  (Nesterov)    or   d = b
 * w = w − η d
 * </pre>
 *
 * The buffer is kept per parameter as {@code momentum_buffer}, PyTorch's name.
 */
public final class SGD extends Optimizer {

    /** SGD's hyperparameters, with PyTorch's defaults. */
    public static final class Options {
        private double lr = 1e-3;
        private double momentum;
        private double dampening;
        private double weightDecay;
        private boolean nesterov;

        public Options lr(double lr) {
            this.lr = lr;
            return this;
        }

        public Options momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Options dampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        public Options weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Options nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(ParamGroup.LR, lr);
            m.put(ParamGroup.MOMENTUM, momentum);
            m.put(ParamGroup.DAMPENING, dampening);
            m.put(ParamGroup.WEIGHT_DECAY, weightDecay);
            m.put(ParamGroup.NESTEROV, nesterov);
            return m;
        }
    }

    public static Options options() {
        return new Options();
    }

    /** One group of {@code params}. */
    public SGD(Collection<? extends Parameter> params, Options options) {
        this(oneGroup(List.copyOf(params)), options);
    }

    /** Several groups; options they do not set come from {@code options}. */
    public SGD(List<ParamGroup> groups, Options options) {
        super(groups, options.toMap());
    }

    @Override
    protected void validate(ParamGroup g) {
        super.validate(g);
        double momentum = g.momentum();
        if (!(momentum >= 0)) {
            throw new IllegalArgumentException("SGD: momentum must be non-negative, got " + momentum);
        }
        if (!(g.weightDecay() >= 0)) {
            throw new IllegalArgumentException("SGD: weight decay must be non-negative, got " + g.weightDecay());
        }
        if (g.getBoolean(ParamGroup.NESTEROV) && (momentum <= 0 || g.getDouble(ParamGroup.DAMPENING) != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a positive momentum and zero dampening, got momentum "
                    + momentum + " and dampening " + g.getDouble(ParamGroup.DAMPENING));
        }
    }

    @Override
    protected void update(ParamGroup group, Parameter param, Tensor grad, ParamState state) {
        double lr = group.lr();
        double weightDecay = group.weightDecay();
        double momentum = group.momentum();
        Tensor w = param.data();
        Tensor d = weightDecay != 0 ? grad.add(w, weightDecay) : grad;
        if (momentum != 0) {
            Tensor buf = state.tensor("momentum_buffer");
            if (buf == null) {
                buf = d.to(w.dtype()).copy();
                state.putTensor("momentum_buffer", buf);
            } else {
                buf.mulInPlace(momentum).addInPlace(d, 1 - group.getDouble(ParamGroup.DAMPENING));
            }
            d = group.getBoolean(ParamGroup.NESTEROV) ? d.add(buf, momentum) : buf;
        }
        w.addInPlace(d, -lr);
    }
}
