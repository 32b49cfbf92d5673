package io.tutti.optim;

import io.tutti.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tutti.optim.Params.f64;
import static io.tutti.optim.Params.grad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GradientClippingTest {

    @Test
    void clipsTheTotalTwoNormWithPyTorchsEpsilon() {
        Parameter a = f64(0, 0);
        Parameter b = f64(0);
        Parameter unused = f64(0);
        grad(a, 3, 4);
        grad(b, 12);
        double total = GradientClipping.clipGradNorm(List.of(a, b, unused), 6.5, 2);
        assertThat(total).isCloseTo(13.0, within(1e-12));   // √(9 + 16 + 144)
        double coef = 6.5 / (13 + 1e-6);
        assertThat(a.grad().toDoubleArray()).containsExactly(new double[] {3 * coef, 4 * coef}, within(1e-15));
        assertThat(b.grad().toDoubleArray()).containsExactly(new double[] {12 * coef}, within(1e-15));
        assertThat(unused.grad()).isNull();
    }

    @Test
    void leavesSmallGradientsUntouched() {
        Parameter a = f64(0, 0);
        grad(a, 0.3, -0.4);
        assertThat(GradientClipping.clipGradNorm(List.of(a), 1.0, 2)).isCloseTo(0.5, within(1e-15));
        assertThat(a.grad().toDoubleArray()).containsExactly(0.3, -0.4);
    }

    @Test
    void otherNorms() {
        Parameter a = f64(0, 0);
        Parameter b = f64(0);
        grad(a, 3, -4);
        grad(b, -5);
        assertThat(GradientClipping.totalNorm(List.of(a, b), Double.POSITIVE_INFINITY)).isEqualTo(5.0);
        assertThat(GradientClipping.totalNorm(List.of(a, b), 1)).isCloseTo(12.0, within(1e-12));
        assertThat(GradientClipping.totalNorm(List.of(a, b), 3)).isCloseTo(Math.cbrt(27 + 64 + 125), within(1e-12));
        double total = GradientClipping.clipGradNorm(List.of(a, b), 1.0, Double.POSITIVE_INFINITY);
        assertThat(total).isEqualTo(5.0);
        assertThat(b.grad().item()).isCloseTo(-5 / (5 + 1e-6), within(1e-15));
    }

    @Test
    void noGradientsGiveZero() {
        assertThat(GradientClipping.clipGradNorm(List.of(f64(1)), 1.0, 2)).isEqualTo(0.0);
    }

    @Test
    void nonFiniteNormsFailOnlyWhenAsked() {
        Parameter a = f64(0, 0);
        grad(a, Double.NaN, 1);
        assertThatThrownBy(() -> GradientClipping.clipGradNorm(List.of(a), 1.0, 2, true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("NaN");
        assertThat(GradientClipping.clipGradNorm(List.of(a), 1.0, 2)).isNaN();
    }

    @Test
    void clipsByValue() {
        Parameter a = f64(0, 0, 0);
        grad(a, -3, 0.5, 2);
        GradientClipping.clipGradValue(List.of(a), 1.0);
        assertThat(a.grad().toDoubleArray()).containsExactly(-1.0, 0.5, 1.0);
        assertThatThrownBy(() -> GradientClipping.clipGradValue(List.of(a), -1)).hasMessageContaining("clipValue");
    }
}
