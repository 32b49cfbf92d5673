package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.tutti.nn.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The loss modules against the values PyTorch's own modules give on the same fixtures (the ones
 * {@link LossesTest} checks the functions with), their buffers in the state dict, and their
 * argument checks.
 */
class LossModulesTest {
    private static final Map<String, Tensor> IO = Fixtures.io("losses");

    private static Variable v(String name) {
        return new Variable(IO.get(name));
    }

    private static Tensor t(String name) {
        return IO.get(name);
    }

    @Test
    void crossEntropyLossMatchesPyTorch() {
        assertClose("default", new CrossEntropyLoss().forward(v("logits"), t("target")).data(), t("ce_mean"));
        assertClose("weighted, smoothed, none",
                new CrossEntropyLoss(t("weight"), Losses.IGNORE_INDEX, Reduction.NONE, 0.2).forward(v("logits"), t("target")).data(),
                t("ce_weighted_smooth_none"));
        assertClose("probabilities", new CrossEntropyLoss(t("weight"), Losses.IGNORE_INDEX, Reduction.MEAN, 0.1)
                .forward(v("logits"), t("probs")).data(), t("ce_probs"));
    }

    @Test
    void crossEntropyLossGradientIsTheFunctionsGradient() {
        Variable a = new Variable(t("logits").copy(), true);
        Variable b = new Variable(t("logits").copy(), true);
        new CrossEntropyLoss(t("weight"), Losses.IGNORE_INDEX, Reduction.MEAN, 0.2).forward(a, t("target")).backward();
        Losses.crossEntropy(b, t("target"), t("weight"), Losses.IGNORE_INDEX, 0.2, Reduction.MEAN).backward();
        assertClose("grad", a.grad(), b.grad());
        assertClose("grad against PyTorch", a.grad(), t("ce_weighted_smooth_grad"));
    }

    @Test
    void otherLossesMatchPyTorch() {
        Tensor logProbs = v("logits").logSoftmax(1).data();
        assertClose("nll weighted", new NLLLoss(t("weight"), Losses.IGNORE_INDEX, Reduction.MEAN)
                .forward(new Variable(logProbs), t("target")).data(), t("nll_weighted"));
        assertClose("bce", new BCEWithLogitsLoss().forward(v("bce_input"), t("bce_target")).data(), t("bce"));
        assertClose("bce weighted", new BCEWithLogitsLoss(t("bce_weight"), Reduction.SUM, t("pos_weight"))
                .forward(v("bce_input"), t("bce_target")).data(), t("bce_weighted"));
        assertClose("mse", new MSELoss().forward(v("a"), v("b")).data(), t("mse"));
        assertClose("mse, constant target", new MSELoss().forward(v("a"), t("b")).data(), t("mse"));
        assertClose("l1 sum", new L1Loss(Reduction.SUM).forward(v("a"), t("b")).data(), t("l1_sum"));
        assertClose("kl batchmean", new KLDivLoss(Reduction.BATCH_MEAN, false).forward(v("log_q"), v("p")).data(),
                t("kl_batchmean"));
        assertClose("kl none", new KLDivLoss(Reduction.NONE, false).forward(v("log_q"), t("p")).data(), t("kl_none"));
    }

    @Test
    void klDivLossDefaultsToPyTorchsElementwiseMean() {
        Tensor none = new KLDivLoss(Reduction.NONE, false).forward(v("log_q"), v("p")).data();
        assertClose("mean", new KLDivLoss().forward(v("log_q"), v("p")).data(), none.mean());
        assertThat(new KLDivLoss().reduction()).isEqualTo(Reduction.MEAN);
    }

    @Test
    void weightsAreBuffersNamedAsPyTorchNamesThem() {
        assertThat(new CrossEntropyLoss().stateDict()).isEmpty();
        assertThat(new CrossEntropyLoss(t("weight"), Losses.IGNORE_INDEX, Reduction.MEAN, 0).stateDict()).containsOnlyKeys("weight");
        assertThat(new BCEWithLogitsLoss(null, Reduction.MEAN, t("pos_weight")).stateDict()).containsOnlyKeys("pos_weight");
        assertThat(new BCEWithLogitsLoss(t("bce_weight"), Reduction.MEAN, t("pos_weight")).stateDict())
                .containsOnlyKeys("weight", "pos_weight");
        assertThat(new MSELoss().parameters()).isEmpty();
        // Converted with the module, as a buffer is: the loss then runs in the new dtype.
        CrossEntropyLoss loss = new CrossEntropyLoss(t("weight"), Losses.IGNORE_INDEX, Reduction.MEAN, 0);
        loss.to(DType.FLOAT64);
        assertThat(loss.stateDict().get("weight").dtype()).isEqualTo(DType.FLOAT64);
        Variable logits64 = new Variable(t("logits").to(DType.FLOAT64));
        assertClose("weighted, float64", loss.forward(logits64, t("target")).data().to(DType.FLOAT32), t("ce_weighted"));
    }

    @Test
    void badArgumentsAreRefusedAtConstructionNamingTheLoss() {
        assertThatThrownBy(() -> new CrossEntropyLoss(null, Losses.IGNORE_INDEX, Reduction.MEAN, 1.5))
                .hasMessage("CrossEntropyLoss: label smoothing must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> new CrossEntropyLoss(null, Losses.IGNORE_INDEX, Reduction.BATCH_MEAN, 0))
                .hasMessageContaining("CrossEntropyLoss: reduction must be NONE, MEAN or SUM");
        assertThatThrownBy(() -> new NLLLoss(Tensor.zeros(DType.INT32, 3), Losses.IGNORE_INDEX, Reduction.MEAN))
                .hasMessage("NLLLoss: weight must be floating, got INT32");
        assertThatThrownBy(() -> new MSELoss(null)).hasMessageContaining("MSELoss: reduction must be NONE, MEAN or SUM");
        assertThatThrownBy(() -> new KLDivLoss(null, false)).hasMessageContaining("KLDivLoss: reduction");
        // Shape problems surface at forward, in the function's words.
        assertThatThrownBy(() -> new L1Loss().forward(v("a"), Tensor.zeros(3))).hasMessageContaining("l1Loss: target of shape [3]");
    }

    @Test
    void printsAsPyTorchDoes() {
        for (Loss loss : List.of(new CrossEntropyLoss(), new NLLLoss(), new BCEWithLogitsLoss(), new MSELoss(), new L1Loss(),
                new KLDivLoss())) {
            assertThat(loss.toString()).isEqualTo(loss.getClass().getSimpleName() + "()");
        }
    }
}
