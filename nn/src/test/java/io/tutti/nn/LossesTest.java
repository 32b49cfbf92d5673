package io.tutti.nn;

import io.tutti.autograd.GradCheck;
import io.tutti.autograd.Variable;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.tutti.nn.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Losses against PyTorch's values (fixture {@code losses.io.safetensors}), by hand, and through GradCheck. */
class LossesTest {
    private static final Map<String, Tensor> IO = Fixtures.io("losses");
    private static final int IGNORE = Losses.IGNORE_INDEX;

    private static Variable v(String name) {
        return new Variable(IO.get(name));
    }

    private static Tensor t(String name) {
        return IO.get(name);
    }

    @Test
    void crossEntropyMatchesPyTorchForEveryReductionWeightAndSmoothing() {
        Variable logits = v("logits");
        Tensor target = t("target");
        Tensor weight = t("weight");
        assertClose("mean", Losses.crossEntropy(logits, target).data(), t("ce_mean"));
        assertClose("sum", Losses.crossEntropy(logits, target, null, IGNORE, 0, Reduction.SUM).data(), t("ce_sum"));
        assertClose("none", Losses.crossEntropy(logits, target, null, IGNORE, 0, Reduction.NONE).data(), t("ce_none"));
        assertClose("weighted", Losses.crossEntropy(logits, target, weight, IGNORE, 0, Reduction.MEAN).data(), t("ce_weighted"));
        assertClose("smoothed", Losses.crossEntropy(logits, target, null, IGNORE, 0.1, Reduction.MEAN).data(), t("ce_smooth"));
        assertClose("weighted, smoothed", Losses.crossEntropy(logits, target, weight, IGNORE, 0.2, Reduction.MEAN).data(),
                t("ce_weighted_smooth"));
        assertClose("weighted, smoothed, none", Losses.crossEntropy(logits, target, weight, IGNORE, 0.2, Reduction.NONE).data(),
                t("ce_weighted_smooth_none"));
        assertClose("probabilities", Losses.crossEntropy(logits, t("probs"), weight, IGNORE, 0.1, Reduction.MEAN).data(),
                t("ce_probs"));
        assertClose("spatial [N, C, H, W]", Losses.crossEntropy(v("spatial"), t("spatial_target"), weight.narrow(0, 0, 3), IGNORE,
                0, Reduction.MEAN).data(), t("ce_spatial"));
    }

    @Test
    void crossEntropyGradientMatchesPyTorch() {
        Variable logits = new Variable(t("logits"), true);
        Losses.crossEntropy(logits, t("target"), t("weight"), IGNORE, 0.2, Reduction.MEAN).backward();
        assertClose("d loss / d logits", logits.grad(), t("ce_weighted_smooth_grad"));
    }

    @Test
    void theOtherLossesMatchPyTorch() {
        assertClose("nll", Losses.nllLoss(v("logits").logSoftmax(1), t("target"), t("weight"), IGNORE, Reduction.MEAN).data(),
                t("nll_weighted"));
        assertClose("bce", Losses.binaryCrossEntropyWithLogits(v("bce_input"), t("bce_target")).data(), t("bce"));
        assertClose("bce weighted", Losses.binaryCrossEntropyWithLogits(v("bce_input"), t("bce_target"), t("bce_weight"),
                t("pos_weight"), Reduction.SUM).data(), t("bce_weighted"));
        assertClose("mse", Losses.mseLoss(v("a"), v("b")).data(), t("mse"));
        assertClose("l1", Losses.l1Loss(v("a"), v("b"), Reduction.SUM).data(), t("l1_sum"));
        assertClose("kl batchmean", Losses.klDiv(v("log_q"), v("p")).data(), t("kl_batchmean"));
        assertClose("kl none", Losses.klDiv(v("log_q"), v("p"), Reduction.NONE, false).data(), t("kl_none"));
        assertClose("kl with log target", Losses.klDiv(v("log_q"), new Variable(t("p").add(1e-30).log()), Reduction.NONE, true)
                .data(), t("kl_none"), 1e-5, 1e-4);
    }

    @Test
    void crossEntropyByHand() {
        // logits [0, ln 3]: p = [1/4, 3/4]; -log p = [ln 4, ln 4/3]
        Variable logits = new Variable(Tensor.of(new double[] {0, Math.log(3), 0, Math.log(3)}, 2, 2));
        Tensor target = Tensor.of(new int[] {0, 1}, 2);
        double a = Math.log(4);
        double b = Math.log(4.0 / 3);
        assertThat(Losses.crossEntropy(logits, target).item()).isCloseTo((a + b) / 2, org.assertj.core.data.Offset.offset(1e-12));
        // weights [1, 3]: sum(w_y * loss) / sum(w_y) = (a + 3b) / 4, not the plain mean of weighted losses
        Tensor w = Tensor.of(new double[] {1, 3}, 2);
        assertThat(Losses.crossEntropy(logits, target, w, IGNORE, 0, Reduction.MEAN).item())
                .isCloseTo((a + 3 * b) / 4, org.assertj.core.data.Offset.offset(1e-12));
        // an ignored target drops out of both sums
        assertThat(Losses.crossEntropy(logits, Tensor.of(new int[] {0, IGNORE}, 2), w, IGNORE, 0, Reduction.MEAN).item())
                .isCloseTo(a, org.assertj.core.data.Offset.offset(1e-12));
        // one sample, unbatched
        assertThat(Losses.crossEntropy(logits.select(0, 0), Tensor.scalar(1, DType.INT32)).item())
                .isCloseTo(b, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void everyLossPassesGradCheckInFloat64() {
        Generator g = new Generator(3);
        Variable x = new Variable(g.normal(0, 1, DType.FLOAT64, 4, 3), true);
        Variable y = new Variable(g.normal(0, 1, DType.FLOAT64, 4, 3), true);
        Tensor target = Tensor.of(new int[] {2, 0, IGNORE, 1}, 4);
        Tensor weight = Tensor.of(new double[] {0.5, 2, 1}, 3);
        Tensor raw = g.uniform(0.1, 1, DType.FLOAT64, 4, 3);
        Tensor probs = raw.div(raw.sum(1, true));
        Tensor bits = g.uniform(0, 1, DType.FLOAT64, 4, 3);
        Tensor posWeight = Tensor.of(new double[] {1, 2, 0.5}, 3);
        Variable logProbs = new Variable(g.normal(0, 1, DType.FLOAT64, 4, 3).logSoftmax(1), true);
        Tensor zeroLogit = Tensor.of(new double[] {0}, 1);

        GradCheck.check(in -> Losses.crossEntropy(in.get(0), target, weight, IGNORE, 0.2, Reduction.MEAN), x);
        GradCheck.check(in -> Losses.crossEntropy(in.get(0), target, null, IGNORE, 0, Reduction.NONE), x);
        // Without smoothing the loss is one fused node (CrossEntropyFn): weighted mean with an ignored target, and sum.
        GradCheck.check(in -> Losses.crossEntropy(in.get(0), target, weight, IGNORE, 0, Reduction.MEAN), x);
        GradCheck.check(in -> Losses.crossEntropy(in.get(0), target, null, IGNORE, 0, Reduction.SUM), x);
        GradCheck.check(in -> Losses.crossEntropy(in.get(0), probs, weight, IGNORE, 0.1, Reduction.SUM), x);
        GradCheck.check(in -> Losses.nllLoss(in.get(0), target, weight, IGNORE, Reduction.MEAN), x);
        GradCheck.check(in -> Losses.binaryCrossEntropyWithLogits(in.get(0), bits, null, posWeight, Reduction.MEAN), x);
        GradCheck.check(in -> Losses.binaryCrossEntropyWithLogits(in.get(0), Tensor.of(new double[] {1}, 1)),
                new Variable(zeroLogit.copy(), true));
        GradCheck.check(in -> Losses.mseLoss(in.get(0), in.get(1)), x, y);
        GradCheck.check(in -> Losses.l1Loss(in.get(0), in.get(1), Reduction.SUM), x, y);
        GradCheck.check(in -> Losses.klDiv(in.get(0), in.get(1)), logProbs, new Variable(probs.copy(), true));
    }

    @Test
    void badArgumentsAreNamed() {
        Variable logits = new Variable(Tensor.zeros(2, 3));
        assertThatThrownBy(() -> Losses.crossEntropy(logits, Tensor.of(new int[] {0, 3}, 2)))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("crossEntropy: target 3 is out of range for 3 classes");
        assertThatThrownBy(() -> Losses.crossEntropy(logits, Tensor.of(new int[] {0, 1, 2}, 3)))
                .hasMessageContaining("crossEntropy: target of shape [3] must be [2]");
        assertThatThrownBy(() -> Losses.crossEntropy(logits, Tensor.of(new int[] {0, 1}, 2), Tensor.ones(2), IGNORE, 0, Reduction.MEAN))
                .hasMessageContaining("class weight must be a floating [3]");
        assertThatThrownBy(() -> Losses.mseLoss(logits, new Variable(Tensor.zeros(3))))
                .hasMessageContaining("mseLoss: target of shape [3] must have the input's shape [2, 3]");
        assertThatThrownBy(() -> Losses.mseLoss(logits, logits, Reduction.BATCH_MEAN)).hasMessageContaining("NONE, MEAN or SUM");
    }
}
