package io.tutti.optim;

import io.tutti.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tutti.optim.Params.f64;
import static io.tutti.optim.Params.grad;
import static io.tutti.optim.Params.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Each optimizer against PyTorch's update formulas, on hand-made numbers in float64. The expected
 * values are derived step by step in the comments (the first step fully; later ones give the
 * intermediate buffers so that a reader can check them with a calculator).
 */
class OptimizerFormulaTest {
    private static final double TOL = 1e-12;

    private static void assertValues(Parameter p, double... expected) {
        double[] got = values(p);
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(got[i]).as("element %d", i).isCloseTo(expected[i], within(TOL));
        }
    }

    @Test
    void sgdWithNesterovMomentumAndWeightDecay() {
        Parameter w = f64(1, -2);
        SGD sgd = new SGD(List.of(w), SGD.options().lr(0.1).momentum(0.9).nesterov(true).weightDecay(0.1));

        // step 1: d = g + 0.1 w = [0.5 + 0.1, 1 - 0.2] = [0.6, 0.8]; the buffer starts as d: b = [0.6, 0.8]
        //         nesterov: d = d + 0.9 b = [1.14, 1.52]; w = w - 0.1 d = [0.886, -2.152]
        grad(w, 0.5, 1);
        sgd.step();
        assertValues(w, 0.886, -2.152);
        assertThat(sgd.state(w).tensor("momentum_buffer").toDoubleArray()).containsExactly(0.6, 0.8);

        // step 2: d = [-1 + 0.0886, 0.25 - 0.2152] = [-0.9114, 0.0348]
        //         b = 0.9 b + d = [-0.3714, 0.7548]; d = d + 0.9 b = [-1.24566, 0.71412]
        //         w = [0.886 + 0.124566, -2.152 - 0.071412]
        grad(w, -1, 0.25);
        sgd.step();
        assertValues(w, 1.010566, -2.223412);

        // step 3: d = [2 + 0.1010566, -0.5 - 0.2223412] = [2.1010566, -0.7223412]
        //         b = [1.7667966, -0.0430212]; d = d + 0.9 b = [3.69117354, -0.76106028]
        grad(w, 2, -0.5);
        sgd.step();
        assertValues(w, 0.641448646, -2.147305972);
    }

    @Test
    void sgdBufferStartsAsTheGradientWithoutDampening() {
        Parameter w = f64(0);
        SGD sgd = new SGD(List.of(w), SGD.options().lr(1).momentum(0.5).dampening(0.5));
        grad(w, 2);
        sgd.step();   // b = g = 2 (dampening is not applied on the first step); w = -2
        assertValues(w, -2);
        grad(w, 4);
        sgd.step();   // b = 0.5 * 2 + (1 - 0.5) * 4 = 3; w = -5
        assertValues(w, -5);
        grad(w, 1);
        sgd.step();   // b = 1.5 + 0.5 = 2; w = -7
        assertValues(w, -7);
    }

    @Test
    void plainSgdIsGradientDescent() {
        Parameter w = f64(1, 2);
        SGD sgd = new SGD(List.of(w), SGD.options().lr(0.5));
        grad(w, 1, -1);
        sgd.step();
        assertValues(w, 0.5, 2.5);
        assertThat(sgd.state(w).isEmpty()).as("no buffer without momentum").isTrue();
    }

    @Test
    void sgdRejectsNesterovWithoutMomentum() {
        Parameter w = f64(1);
        assertThatThrownBy(() -> new SGD(List.of(w), SGD.options().nesterov(true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Nesterov");
        assertThatThrownBy(() -> new SGD(List.of(w), SGD.options().lr(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learning rate");
    }

    @Test
    void adamWithL2WeightDecay() {
        Parameter w = f64(1, -1);
        Adam adam = new Adam(List.of(w), Adam.options().lr(0.1).weightDecay(0.1));

        // step 1: g = g + 0.1 w = [0.6, -2.1]; m = 0.1 g = [0.06, -0.21]; v = 0.001 g² = [0.00036, 0.00441]
        //         bias corrections 0.1 and 0.001 give m̂ = g, √v̂ = |g|, so w = w - 0.1 g / (|g| + 1e-8)
        grad(w, 0.5, -2);
        adam.step();
        assertValues(w, 1 - 0.1 * 0.6 / (0.6 + 1e-8), -1 + 0.1 * 2.1 / (2.1 + 1e-8));
        assertThat(adam.state(w).tensor("exp_avg").toDoubleArray()[1]).isCloseTo(-0.21, within(TOL));
        assertThat(adam.state(w).tensor("exp_avg_sq").toDoubleArray()[1]).isCloseTo(0.00441, within(TOL));
        assertThat(adam.state(w).scalar("step", 0)).isEqualTo(1.0);

        // step 2: g = [-0.3 + 0.09, 1 - 0.09] = [-0.21, 0.91] (to 1e-9);
        //         m = [0.033, -0.098], v = [0.00040374, 0.00523369]; bc1 = 0.19, bc2 = 0.001999
        grad(w, -0.3, 1);
        adam.step();
        assertValues(w, 0.8613529972101512, -0.8681231891743804);
        // step 3: m = [0.05831353, -0.04688123], v = [0.00048521, 0.00539918]; bc1 = 0.271, bc2 = 0.002997001
        grad(w, 0.2, 0.5);
        adam.step();
        assertValues(w, 0.8078745546785667, -0.8552344852638717);
        assertThat(adam.state(w).scalar("step", 0)).isEqualTo(3.0);
    }

    @Test
    void amsgradUsesTheLargestSecondMoment() {
        // betas (0.5, 0.5) make v fall quickly after a large first gradient: v = 4.5, 2.255, 1.1325
        Parameter plain = f64(1);
        Parameter ams = f64(1);
        Adam a = new Adam(List.of(plain), Adam.options().lr(0.1).betas(0.5, 0.5));
        Adam b = new Adam(List.of(ams), Adam.options().lr(0.1).betas(0.5, 0.5).amsgrad(true));
        double[][] expectedPlain = {{0.9000000003333333}, {0.8384842848393971}, {0.7932789825111521}};
        // AMSGrad keeps v̂ = 4.5: step 2 is w₁ - (0.1 / 0.75) · 0.8 / (√4.5 / √0.75 + 1e-8)
        double[][] expectedAms = {{0.9000000003333333}, {0.8564535161949657}, {0.833775647914412}};
        double[] grads = {3, 0.1, 0.1};
        for (int s = 0; s < 3; s++) {
            grad(plain, grads[s]);
            grad(ams, grads[s]);
            a.step();
            b.step();
            assertValues(plain, expectedPlain[s]);
            assertValues(ams, expectedAms[s]);
        }
        assertThat(b.state(ams).tensor("max_exp_avg_sq").item()).isCloseTo(4.5, within(TOL));
        assertThat(expectedAms[0][0] - 0.1 / 0.75 * 0.8 / (Math.sqrt(4.5) / Math.sqrt(0.75) + 1e-8)).isCloseTo(expectedAms[1][0], within(TOL));
    }

    @Test
    void adamWDecaysWeightsOutsideTheMoments() {
        Parameter w = f64(1, -1);
        AdamW adamW = new AdamW(List.of(w), Adam.options().lr(0.1).weightDecay(0.1));
        // step 1: w = w · (1 - 0.1 · 0.1) = [0.99, -0.99]; the moments see the raw g = [0.5, -2]:
        //         m = [0.05, -0.2], v = [0.00025, 0.004]; w = w - 0.1 g / (|g| + 1e-8)
        grad(w, 0.5, -2);
        adamW.step();
        assertValues(w, 0.99 - 0.1 * 0.5 / (0.5 + 1e-8), -0.99 + 0.1 * 2 / (2 + 1e-8));
        assertThat(adamW.state(w).tensor("exp_avg").toDoubleArray()).containsExactly(new double[] {0.05, -0.2}, within(TOL));
        // step 2: w = w · 0.99; m = [0.015, -0.08], v = [0.00033975, 0.004996]
        grad(w, -0.3, 1);
        adamW.step();
        assertValues(w, 0.8619501989217752, -0.8544662966974315);
        grad(w, 0.2, 0.5);
        adamW.step();
        assertValues(w, 0.8185879287816642, -0.8397827474976969);
    }

    @Test
    void adamWDefaultsToWeightDecayOneHundredth() {
        AdamW adamW = new AdamW(List.of(f64(1)), Adam.options());
        Adam adam = new Adam(List.of(f64(1)), Adam.options());
        assertThat(adamW.paramGroups().get(0).weightDecay()).isEqualTo(1e-2);
        assertThat(adam.paramGroups().get(0).weightDecay()).isEqualTo(0.0);
        assertThat(adam.paramGroups().get(0).getDoubles(ParamGroup.BETAS)).containsExactly(0.9, 0.999);
        assertThat(adam.paramGroups().get(0).getDouble(ParamGroup.EPS)).isEqualTo(1e-8);
    }

    @Test
    void adamRejectsBadBetas() {
        assertThatThrownBy(() -> new Adam(List.of(f64(1)), Adam.options().betas(1.0, 0.9)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("betas");
    }

    @Test
    void float32ParametersFollowTheSameUpdate() {
        Parameter w = new Parameter(io.tutti.tensor.Tensor.of(new float[] {1, -2}, 2));
        SGD sgd = new SGD(List.of(w), SGD.options().lr(0.1).momentum(0.9).nesterov(true).weightDecay(0.1));
        double[][] grads = {{0.5, 1}, {-1, 0.25}, {2, -0.5}};
        for (double[] g : grads) {
            grad(w, g);
            sgd.step();
        }
        assertThat(w.data().dtype()).isEqualTo(io.tutti.tensor.DType.FLOAT32);
        assertThat(values(w)[0]).isCloseTo(0.641448646, within(1e-6));
        assertThat(values(w)[1]).isCloseTo(-2.147305972, within(1e-6));
    }
}
