package io.tutti.multimodal.methods;

import io.tutti.multimodal.MethodContext;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.StepInfo;
import io.tutti.nn.Parameter;
import io.tutti.optim.GradientTransform;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OGM-GE (METHODS.md 3): joint training in which, at every step, the encoder of each currently
 * dominant modality gets its gradient scaled down, plus Gaussian noise (GE).
 *
 * <p>Per step, after backward: head-split logits {@code z_m} (concat or sum fusion) give confidence
 * scores {@code s_m = Σ_i softmax(z_m,i)[y_i]} over the samples that have modality m;
 * {@code ρ_m = s_m / Σ_{j≠m} s_j} (for two modalities the paper's {@code ρ_v = s_v / s_a});
 * every m with {@code ρ_m > 1} gets {@code k_m = 1 − tanh(α ρ_m)} (the paper's α·ρ, not α·(ρ − 1)),
 * the others 1 (the generalisation to M >= 3 of METHODS.md 3.5). Inside the modulation window
 * (epochs {@code modulation_starts..modulation_ends}, inclusive), the optimizer's gradient-transform
 * hook rewrites every gradient of encoder m: OGM {@code g <- k_m g}; OGM-GE
 * {@code g <- k_m g + ε}, {@code ε ~ N(0, σ²)} with {@code σ = std(g) + 1e-8} of the un-modulated
 * gradient, one σ per tensor. The fusion head is never modulated.
 *
 * <p>Options ({@code --opt key=value}):
 * <ul>
 *   <li>{@code alpha} (default 0.3, as MLA's and BalanceMM's configs; the README suggests 0.1-0.8),</li>
 *   <li>{@code modulation_starts} (default 0), {@code modulation_ends} (default: half the epochs,
 *       as the released 0..50 of 100),</li>
 *   <li>{@code mode}: {@code ogm-ge} (default), {@code ogm} (no noise) or {@code normal} (plain joint training),</li>
 *   <li>{@code conv_only} (default false): modulate only rank-4 gradients (convolution kernels), as the
 *       released code; by default every parameter of the encoder, as the paper.</li>
 * </ul>
 * The noise draws from the method's generator, whose position the checkpoint saves.
 */
public class OgmGe extends JointTraining {
    private double alpha;
    private int modulationStarts;
    private int modulationEnds;
    private String mode;
    private boolean convOnly;
    private Generator noise;
    private final Map<Parameter, String> owner = new IdentityHashMap<>();
    private final Map<String, Double> coefficients = new LinkedHashMap<>();

    @Override
    public String name() {
        return "ogm-ge";
    }

    @Override
    public void init(MethodContext ctx) {
        super.init(ctx);
        if (!model.fusion().supportsHeadSplit()) {
            throw new IllegalArgumentException("ogm-ge: needs concat or sum fusion (its coefficients use the head-splitting probe), got '"
                    + ctx.fusion() + "'");
        }
        alpha = ctx.options().getDouble("alpha", 0.3);
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("ogm-ge: alpha must be positive, got " + alpha);
        }
        modulationStarts = ctx.options().getInt("modulation_starts", 0);
        modulationEnds = ctx.options().getInt("modulation_ends", ctx.config().epochs() / 2);
        mode = ctx.options().getChoice("mode", "ogm-ge", "ogm-ge", "ogm", "normal");
        convOnly = ctx.options().getBoolean("conv_only", false);
        noise = ctx.generator();
        model.encoders().asMap().forEach((m, e) -> e.parameters().forEach(p -> owner.put(p, m)));
        optimizer.addGradientTransform(GradientTransform.perParameter(this::modulate));
    }

    @Override
    protected void beforeStep(MultimodalBatch batch, StepInfo info, Map<String, Tensor> headSplitLogits) {
        coefficients.clear();
        boolean active = !mode.equals("normal") && info.epoch() >= modulationStarts && info.epoch() <= modulationEnds;
        if (!active) {
            return;
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        headSplitLogits.forEach((m, z) -> scores.put(m, confidence(z, batch.labels(), batch.present(m))));
        coefficients.putAll(coefficients(scores, alpha));
    }

    /** {@code s = Σ_i present_i softmax(z_i)[y_i]}: the summed confidence in the true class. */
    static double confidence(Tensor logits, Tensor labels, Tensor present) {
        Tensor p = logits.softmax(1).gather(1, labels.reshape(labels.shape(0), 1)).reshape(labels.shape(0));
        return p.mul(present.to(p.dtype())).sum().item();
    }

    /**
     * The coefficients {@code k_m} from the confidence scores: {@code ρ_m = s_m / Σ_{j≠m} s_j},
     * {@code k_m = 1 − tanh(α ρ_m)} where {@code ρ_m > 1}, else 1.
     */
    public static Map<String, Double> coefficients(Map<String, Double> scores, double alpha) {
        double total = 0;
        for (double s : scores.values()) {
            total += s;
        }
        Map<String, Double> k = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            double others = total - e.getValue();
            double rho = others > 0 ? e.getValue() / others : e.getValue() > 0 ? Double.POSITIVE_INFINITY : 1;
            k.put(e.getKey(), rho > 1 ? 1 - Math.tanh(alpha * Math.max(rho, 0)) : 1.0);
        }
        return k;
    }

    /** The gradient transform: scales (and perturbs) the gradients of modulated encoders. */
    private Tensor modulate(Parameter p, Tensor g) {
        String m = owner.get(p);
        if (m == null || !coefficients.containsKey(m)) {
            return null;
        }
        if (convOnly && g.dim() != 4) {
            return null;
        }
        return modulatedGradient(g, coefficients.get(m), mode.equals("ogm-ge"), noise);
    }

    /**
     * {@code k g}, plus with {@code ge} Gaussian noise of standard deviation {@code std(g) + 1e-8}
     * (the unbiased std of the un-modulated gradient, one scalar per tensor, as {@code torch.std}).
     */
    public static Tensor modulatedGradient(Tensor g, double k, boolean ge, Generator gen) {
        Tensor out = g.mul(k);
        if (ge) {
            double sigma = (g.numel() > 1 ? g.std(null, 1, false).item() : 0) + 1e-8;
            out = out.add(gen.normal(0, sigma, g.dtype(), g.shape()));
        }
        return out;
    }

    /** The coefficients of the last step (empty outside the modulation window). */
    public Map<String, Double> lastCoefficients() {
        return Map.copyOf(coefficients);
    }

}
