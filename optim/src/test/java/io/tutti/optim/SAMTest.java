package io.tutti.optim;

import io.tutti.autograd.Variable;
import io.tutti.nn.Parameter;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.tutti.optim.Params.f64;
import static io.tutti.optim.Params.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** SAM on the quadratic L(w) = ½ Σ a_i w_i², whose gradient a ⊙ w makes every step hand-computable. */
class SAMTest {
    private static final double TOL = 1e-12;

    private static Variable quadratic(Parameter w, double... a) {
        return w.square().mul(Tensor.of(a, a.length)).sum().mul(0.5);
    }

    /** Backward of the quadratic at the current weights; returns the loss. */
    private static double backward(Parameter w, double... a) {
        Variable loss = quadratic(w, a);
        loss.backward();
        return loss.item();
    }

    @Test
    void oneGlobalStepMatchesTheHandComputation() {
        Parameter w = f64(1, 1);
        SAM sam = new SAM(new SGD(List.of(w), SGD.options().lr(0.1)), SAM.options().rho(0.1));
        List<double[]> evaluatedAt = new ArrayList<>();
        backward(w, 1, 4);   // g = [1, 4], ‖g‖ = √17
        double loss = sam.step(() -> {
            evaluatedAt.add(values(w));
            return backward(w, 1, 4);
        });
        // e = 0.1 g / √17, so the closure runs at w + e = [1 + 0.1/√17, 1 + 0.4/√17]
        double s = Math.sqrt(17);
        assertThat(evaluatedAt.get(0)).containsExactly(new double[] {1 + 0.1 / s, 1 + 0.4 / s}, within(TOL));
        assertThat(loss).isCloseTo(0.5 * (Math.pow(1 + 0.1 / s, 2) + 4 * Math.pow(1 + 0.4 / s, 2)), within(TOL));
        // the step starts again from w = [1, 1] with the gradient there: g' = [1 + 0.1/√17, 4 (1 + 0.4/√17)]
        assertThat(values(w)).containsExactly(new double[] {1 - 0.1 * (1 + 0.1 / s), 1 - 0.4 * (1 + 0.4 / s)}, within(TOL));
    }

    @Test
    void adaptiveVariantScalesByTheWeights() {
        Parameter w = f64(1, 2);
        SAM sam = new SAM(new SGD(List.of(w), SGD.options().lr(0.0)), SAM.options().rho(0.5).adaptive(true));
        List<double[]> evaluatedAt = new ArrayList<>();
        backward(w, 1, 4);   // g = [1, 8]; |w| g = [1, 16], norm √257; w² g = [1, 32]
        sam.step(() -> {
            evaluatedAt.add(values(w));
            return backward(w, 1, 4);
        });
        double n = Math.sqrt(257);
        assertThat(evaluatedAt.get(0)).containsExactly(new double[] {1 + 0.5 / n, 2 + 0.5 * 32 / n}, within(TOL));
        assertThat(values(w)).containsExactly(1.0, 2.0);
    }

    @Test
    void restoresTheOriginalWeightsBitForBit() {
        Generator gen = new Generator(7);
        Parameter w = new Parameter(gen.normal(0, 3, DType.FLOAT32, 64));
        Tensor x = gen.normal(0, 1, DType.FLOAT32, 16, 64);
        float[] before = w.data().toFloatArray();
        SAM sam = new SAM(new SGD(List.of(w), SGD.options().lr(0.0)), SAM.options().rho(0.7));
        Closure closure = () -> {
            Variable loss = new Variable(x).matmul(w).tanh().square().mean();
            loss.backward();
            return loss.item();
        };
        closure.evaluate();
        Tensor e = w.grad().mul(0.7 / w.grad().norm().item());
        sam.step(closure);
        assertThat(w.data().toFloatArray()).containsExactly(before);
        // why the weights are saved: (w + e) - e is not w in float32
        float[] roundTrip = Tensor.of(before, 64).add(e).sub(e).toFloatArray();
        assertThat(roundTrip).isNotEqualTo(before);
    }

    @Test
    void perTensorVariantWithoutRestoreKeepsThePerturbation() {
        Parameter a = f64(3, 4);
        Parameter b = f64(2);
        SGD base = new SGD(List.of(ParamGroup.of(a), ParamGroup.of(b).set(SAM.RHO, 0.2)), SGD.options().lr(0.0));
        SAM sam = new SAM(base, SAM.Options.releasedMie(0.1));
        a.grad(Tensor.of(new double[] {3, 4}, 2));   // ‖g_a‖ = 5
        b.grad(Tensor.of(new double[] {8}, 1));      // ‖g_b‖ = 8
        sam.step(() -> {
            backward(a, 1, 1);
            return backward(b, 4);
        });
        // each tensor moves by its own ρ along its own unit gradient, and stays there (lr 0)
        assertThat(values(a)).containsExactly(new double[] {3 + 0.1 * 0.6, 4 + 0.1 * 0.8}, within(TOL));
        assertThat(values(b)).containsExactly(new double[] {2 + 0.2}, within(TOL));
    }

    @Test
    void keepingTheFirstGradientSumsBothLosses() {
        // MIE's mixed loss (1 - β) L(w) + β L(w + e): scale both backward passes and keep the first gradient
        Parameter w = f64(1, 1);
        SAM sam = new SAM(new SGD(List.of(w), SGD.options().lr(1.0)), SAM.options().rho(0.1));
        double beta = 0.3;
        quadratic(w, 1, 4).mul(1 - beta).backward();
        sam.firstStep(false);
        quadratic(w, 1, 4).mul(beta).backward();
        sam.secondStep();
        double s = Math.sqrt(17);
        double[] gAtW = {1, 4};
        double[] gAtPerturbed = {1 + 0.1 / s, 4 * (1 + 0.4 / s)};
        assertThat(values(w)).containsExactly(new double[] {
            1 - ((1 - beta) * gAtW[0] + beta * gAtPerturbed[0]),
            1 - ((1 - beta) * gAtW[1] + beta * gAtPerturbed[1])}, within(TOL));
    }

    @Test
    void aFailingClosureLeavesTheWeightsAsTheyWere() {
        Parameter w = f64(1, 1);
        SAM sam = new SAM(new SGD(List.of(w), SGD.options().lr(0.1)), SAM.options());
        backward(w, 1, 1);
        assertThatThrownBy(() -> sam.step(() -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(values(w)).containsExactly(1.0, 1.0);
        assertThatThrownBy(sam::secondStep).hasMessageContaining("without firstStep");
    }

    @Test
    void parametersWithoutGradientsAreNeitherPerturbedNorStepped() {
        Parameter used = f64(1);
        Parameter unused = f64(5);
        SAM sam = new SAM(new SGD(List.of(used, unused), SGD.options().lr(0.1)), SAM.options());
        backward(used, 1);
        sam.step(() -> backward(used, 1));
        assertThat(values(unused)).containsExactly(5.0);
        assertThat(values(used)[0]).isCloseTo(1 - 0.1 * (1 + 0.05), within(TOL));
    }
}
