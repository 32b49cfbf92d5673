package io.tutti.optim;

import io.tutti.nn.Parameter;
import io.tutti.tensor.Tensor;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba) with bias correction, optional AMSGrad and L2 weight decay, with PyTorch's
 * update ({@code torch.optim.Adam}). With gradient g, step count t, betas β1, β2:
 *
 * <pre>
 * g = g + λ w                                  (L2 weight decay, when λ != 0)
 * m = β1 m + (1 − β1) g
 * v = β2 v + (1 − β2) g²
 * v̂ = max(v̂, v)                                (AMSGrad; otherwise v̂ = v)
 * w = w − (η / (1 − β1^t)) · m / (√v̂ / √(1 − β2^t) + ε)
 * </pre>
 *
 * State per parameter, under PyTorch's names: {@code step}, {@code exp_avg}, {@code exp_avg_sq} and,
 * with AMSGrad, {@code max_exp_avg_sq}. {@link AdamW} differs only in how it decays weights.
 */
public class Adam extends Optimizer {

    /** Adam's hyperparameters, with PyTorch's defaults (AdamW's weight decay default is 1e-2). */
    public static final class Options {
        private double lr = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private Double weightDecay;
        private boolean amsgrad;

        public Options lr(double lr) {
            this.lr = lr;
            return this;
        }

        public Options betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        public Options eps(double eps) {
            this.eps = eps;
            return this;
        }

        public Options weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Options amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return this;
        }

        Map<String, Object> toMap(double defaultWeightDecay) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(ParamGroup.LR, lr);
            m.put(ParamGroup.BETAS, new double[] {beta1, beta2});
            m.put(ParamGroup.EPS, eps);
            m.put(ParamGroup.WEIGHT_DECAY, weightDecay == null ? defaultWeightDecay : weightDecay);
            m.put(ParamGroup.AMSGRAD, amsgrad);
            return m;
        }
    }

    public static Options options() {
        return new Options();
    }

    private final boolean decoupledWeightDecay;

    /** One group of {@code params}. */
    public Adam(Collection<? extends Parameter> params, Options options) {
        this(oneGroup(List.copyOf(params)), options);
    }

    /** Several groups; options they do not set come from {@code options}. */
    public Adam(List<ParamGroup> groups, Options options) {
        this(groups, options.toMap(0.0), false);
    }

    Adam(List<ParamGroup> groups, Map<String, Object> defaults, boolean decoupledWeightDecay) {
        super(groups, defaults);
        this.decoupledWeightDecay = decoupledWeightDecay;
    }

    @Override
    protected void validate(ParamGroup g) {
        super.validate(g);
        double[] betas = g.getDoubles(ParamGroup.BETAS);
        if (betas.length != 2 || !(betas[0] >= 0 && betas[0] < 1) || !(betas[1] >= 0 && betas[1] < 1)) {
            throw new IllegalArgumentException(name() + ": betas must be two numbers in [0, 1), got " + OptionCodec.encode(betas));
        }
        if (!(g.getDouble(ParamGroup.EPS) >= 0)) {
            throw new IllegalArgumentException(name() + ": eps must be non-negative, got " + g.getDouble(ParamGroup.EPS));
        }
        if (!(g.weightDecay() >= 0)) {
            throw new IllegalArgumentException(name() + ": weight decay must be non-negative, got " + g.weightDecay());
        }
    }

    @Override
    protected void update(ParamGroup group, Parameter param, Tensor grad, ParamState state) {
        double lr = group.lr();
        double weightDecay = group.weightDecay();
        double[] betas = group.getDoubles(ParamGroup.BETAS);
        double beta1 = betas[0];
        double beta2 = betas[1];
        boolean amsgrad = group.getBoolean(ParamGroup.AMSGRAD);
        Tensor w = param.data();

        if (state.isEmpty()) {
            state.putTensor("exp_avg", w.zerosLike());
            state.putTensor("exp_avg_sq", w.zerosLike());
            if (amsgrad) {
                state.putTensor("max_exp_avg_sq", w.zerosLike());
            }
        }
        double step = state.scalar("step", 0) + 1;
        state.putScalar("step", step);

        Tensor g = grad;
        if (weightDecay != 0) {
            if (decoupledWeightDecay) {
                w.mulInPlace(1 - lr * weightDecay);
            } else {
                g = g.add(w, weightDecay);
            }
        }
        Tensor expAvg = state.tensor("exp_avg");
        Tensor expAvgSq = state.tensor("exp_avg_sq");
        expAvg.mulInPlace(beta1).addInPlace(g, 1 - beta1);
        expAvgSq.mulInPlace(beta2).addInPlace(g.square(), 1 - beta2);

        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        Tensor second = expAvgSq;
        if (amsgrad) {
            Tensor max = state.tensor("max_exp_avg_sq");
            if (max == null) {   // amsgrad switched on after the first step
                max = expAvgSq.copy();
                state.putTensor("max_exp_avg_sq", max);
            }
            max.copyFrom(max.maximum(expAvgSq));
            second = max;
        }
        Tensor denom = second.sqrt().div(Math.sqrt(biasCorrection2)).add(group.getDouble(ParamGroup.EPS));
        w.addInPlace(expAvg.div(denom), -lr / biasCorrection1);
    }
}
