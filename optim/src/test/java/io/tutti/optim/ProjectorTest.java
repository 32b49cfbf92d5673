package io.tutti.optim;

import io.tutti.nn.Parameter;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The OWM and flat projectors against their definitions (METHODS.md sections 4.3 and 6.5). */
class ProjectorTest {
    private static final double TOL = 1e-12;

    private static double[] times(Tensor m, double[] v) {
        return m.matmul(Tensor.of(v, v.length)).toDoubleArray();
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    // ------------------------------------------------------------------ OWM

    @Test
    void owmUpdateMatchesTheHandComputation() {
        OwmProjector owm = new OwmProjector(2, false, OwmProjector.Mode.REPLACE);
        owm.update(Tensor.of(new double[] {0, 1, 2, 3}, 2, 2), 0.5);   // r = row mean = [1, 2]
        // k = I rᵀ = [1, 2]ᵀ, r k = 5, P = I - k kᵀ / (0.5 + 5)
        double[] expected = {1 - 1 / 5.5, -2 / 5.5, -2 / 5.5, 1 - 4 / 5.5};
        assertThat(owm.matrix().toDoubleArray()).containsExactly(expected, within(TOL));
        assertThat(owm.updates()).isEqualTo(1);

        OwmProjector normalised = new OwmProjector(2);
        normalised.update(Tensor.of(new double[] {1, 2}, 1, 2), 0.5);
        double frob = norm(expected);
        double[] scaled = new double[4];
        for (int i = 0; i < 4; i++) {
            scaled[i] = expected[i] / frob;
        }
        assertThat(normalised.matrix().toDoubleArray()).containsExactly(scaled, within(TOL));
    }

    @Test
    void eachUpdateShrinksPrByAlphaOverAlphaPlusRk() {
        // P' rᵀ = P rᵀ - k (r k) / (α + r k) = k α / (α + r k): the identity behind orthogonality as α → 0
        Generator gen = new Generator(3);
        OwmProjector owm = new OwmProjector(4, false, OwmProjector.Mode.REPLACE);
        owm.update(gen.normal(0, 1, DType.FLOAT64, 4), 0.3);
        double[] r = gen.normal(0, 1, DType.FLOAT64, 4).toDoubleArray();
        Tensor before = owm.matrix();
        double[] k = times(before, r);
        double rk = 0;
        for (int i = 0; i < 4; i++) {
            rk += r[i] * k[i];
        }
        double alpha = 0.7;
        owm.update(Tensor.of(r, 4), alpha);
        double[] after = times(owm.matrix(), r);
        for (int i = 0; i < 4; i++) {
            assertThat(after[i]).isCloseTo(k[i] * alpha / (alpha + rk), within(TOL));
        }
    }

    @Test
    void projectedGradientIsOrthogonalToTheStoredFeaturesAsAlphaGoesToZero() {
        Generator gen = new Generator(11);
        int d = 6;
        double[] r1 = gen.normal(0, 1, DType.FLOAT64, d).toDoubleArray();
        double[] r2 = gen.normal(0, 1, DType.FLOAT64, d).toDoubleArray();
        Tensor g = gen.normal(0, 1, DType.FLOAT64, 3, d);
        double previousResidual = Double.POSITIVE_INFINITY;
        for (double alpha : new double[] {1.0, 1e-3, 1e-9}) {
            OwmProjector owm = new OwmProjector(d);   // with Frobenius normalisation, as released
            owm.update(Tensor.of(r1, d), alpha);
            owm.update(Tensor.of(r2, d), alpha);
            Tensor projected = owm.project(g);        // G Pᵀ
            double residual = 0;
            for (double[] r : new double[][] {r1, r2}) {
                // each row of G Pᵀ against r, relative to |row| |r|: the change G Pᵀ makes to W rᵀ
                double[] rows = times(projected, r);
                residual = Math.max(residual, norm(rows) / (norm(projected.toDoubleArray()) * norm(r)));
                double pr = norm(times(owm.matrix(), r)) / (norm(owm.matrix().toDoubleArray()) * norm(r));
                if (alpha == 1e-9) {
                    assertThat(pr).as("P rᵀ at alpha %s", alpha).isLessThan(1e-7);
                }
            }
            assertThat(residual).as("alpha %s", alpha).isLessThan(previousResidual);
            previousResidual = residual;
        }
        assertThat(previousResidual).isLessThan(1e-7);
    }

    @Test
    void addModeAddsTheProjection() {
        OwmProjector replace = new OwmProjector(2, false, OwmProjector.Mode.REPLACE);
        OwmProjector add = new OwmProjector(2, false, OwmProjector.Mode.ADD);
        Tensor r = Tensor.of(new double[] {1, 0}, 2);
        replace.update(r, 1.0);   // P = diag(1 - 1/2, 1)
        add.update(r, 1.0);
        Tensor g = Tensor.of(new double[] {2, 3}, 1, 2);
        assertThat(replace.project(g).toDoubleArray()).containsExactly(1.0, 3.0);
        assertThat(add.project(g).toDoubleArray()).containsExactly(3.0, 6.0);
    }

    @Test
    void owmTransformProjectsOnlyTheWeightThroughTheOptimizer() {
        Parameter weight = new Parameter(Tensor.zeros(DType.FLOAT64, 2, 2));
        Parameter bias = new Parameter(Tensor.zeros(DType.FLOAT64, 2));
        SGD sgd = new SGD(List.of(weight, bias), SGD.options().lr(1.0));
        OwmProjector owm = new OwmProjector(2, false, OwmProjector.Mode.REPLACE);
        owm.update(Tensor.of(new double[] {0, 1}, 2), 1e-12);   // removes direction e2 (almost) entirely
        sgd.addGradientTransform(owm.transformFor(weight));
        weight.grad(Tensor.of(new double[] {1, 1, 2, 2}, 2, 2));
        bias.grad(Tensor.of(new double[] {1, 1}, 2));
        sgd.step();
        assertThat(weight.data().toDoubleArray()).containsExactly(new double[] {-1, 0, -2, 0}, within(1e-9));
        assertThat(bias.data().toDoubleArray()).containsExactly(-1.0, -1.0);
    }

    @Test
    void owmStateRoundTripsAndResets() {
        OwmProjector owm = new OwmProjector(3);
        owm.update(Tensor.of(new double[] {1, 2, 3}, 3), OwmProjector.mlaAlpha(5, 10));
        OwmProjector copy = new OwmProjector(3);
        copy.loadStateDict(owm.stateDict());
        assertThat(copy.matrix().toDoubleArray()).containsExactly(owm.matrix().toDoubleArray());
        assertThat(copy.updates()).isEqualTo(1);
        copy.reset();
        assertThat(copy.matrix().toDoubleArray()).containsExactly(Tensor.eye(3, DType.FLOAT64).toDoubleArray());
        assertThat(OwmProjector.mlaAlpha(0, 10)).isCloseTo(0.1, within(TOL));
        assertThat(OwmProjector.mlaAlpha(5, 10)).isCloseTo(Math.pow(0.1, 1.5), within(TOL));
        assertThatThrownBy(() -> owm.project(Tensor.zeros(DType.FLOAT64, 2, 4))).hasMessageContaining("[out, 3]");
        assertThatThrownBy(() -> owm.update(Tensor.zeros(DType.FLOAT64, 4), 0.1)).hasMessageContaining("[n, 3]");
    }

    // ------------------------------------------------------------------ flat

    @Test
    void flatProjectorPassesUnusedDirectionsAndDampsUsedOnes() {
        FlatProjector flat = new FlatProjector(3);
        flat.accumulate(Tensor.of(new double[] {2, 0, 0, 4, 0, 0}, 2, 3));   // r = [3, 0, 0]: Σ = diag(9, 0, 0)
        assertThat(flat.covariance().toDoubleArray()).containsExactly(9, 0, 0, 0, 0, 0, 0, 0, 0);
        flat.compute(0.4);   // λ̃ = [1, 0, 0]: P = diag(e^-0.4, 1, 1)
        Tensor g = Tensor.of(new double[] {1, 2, 3, -4, 5, -6}, 2, 3);
        double damp = Math.exp(-0.4);
        assertThat(flat.project(g).toDoubleArray()).containsExactly(new double[] {damp, 2, 3, -4 * damp, 5, -6}, within(TOL));
    }

    @Test
    void flatProjectorScalesEachEigenDirectionByItsNormalisedVariance() {
        // U rows along u = (e1 + e2)/√2 (norm 2) and v = (e1 - e2)/√2 (norm 1): Σ = 4 u uᵀ + v vᵀ, λ = {4, 1, 0}
        double s = Math.sqrt(0.5);
        FlatProjector flat = new FlatProjector(3);
        flat.accumulateRows(Tensor.of(new double[] {2 * s, 2 * s, 0, s, -s, 0}, 2, 3));
        Tensor p = flat.compute(1.0);   // λ̃ = {1, 1/4, 0}: P u = e^-1 u, P v = e^-1/4 v, P e3 = e3
        double[] u = {s, s, 0};
        double[] v = {s, -s, 0};
        assertThat(times(p, u)).containsExactly(new double[] {Math.exp(-1) * s, Math.exp(-1) * s, 0}, within(TOL));
        assertThat(times(p, v)).containsExactly(new double[] {Math.exp(-0.25) * s, -Math.exp(-0.25) * s, 0}, within(TOL));
        assertThat(times(p, new double[] {0, 0, 1})).containsExactly(new double[] {0, 0, 1}, within(TOL));
        assertThat(flat.batches()).isEqualTo(1);
    }

    @Test
    void flatProjectorTransformThroughTheOptimizer() {
        Parameter weight = new Parameter(Tensor.zeros(DType.FLOAT32, 1, 2));
        SGD sgd = new SGD(List.of(weight), SGD.options().lr(1.0));
        FlatProjector flat = new FlatProjector(2);
        flat.accumulate(Tensor.of(new float[] {0, 1, 0, 3}, 1, 2, 2));   // inputs [..., 2], mean [0, 2]
        flat.compute();
        sgd.addGradientTransform(flat.transformFor(weight));
        weight.grad(Tensor.of(new float[] {1, 1}, 1, 2));
        sgd.step();
        assertThat(weight.data().toDoubleArray()).containsExactly(new double[] {-1, -Math.exp(-FlatProjector.DEFAULT_TAU)}, within(1e-6));
    }

    @Test
    void flatProjectorWithEqualEigenvaluesIsTheIdentityAndChecksItsInput() {
        FlatProjector flat = new FlatProjector(2);
        assertThatThrownBy(() -> flat.project(Tensor.zeros(DType.FLOAT64, 1, 2))).hasMessageContaining("compute()");
        assertThat(flat.compute().toDoubleArray()).containsExactly(new double[] {1, 0, 0, 1}, within(TOL));
        assertThatThrownBy(() -> flat.accumulate(Tensor.zeros(DType.FLOAT64, 4, 3))).hasMessageContaining("[..., 2]");
        assertThatThrownBy(() -> flat.compute(-1)).hasMessageContaining("tau");

        flat.accumulateRows(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2));
        flat.compute(0.4);
        FlatProjector copy = new FlatProjector(2);
        copy.loadStateDict(flat.stateDict());
        assertThat(copy.matrix().toDoubleArray()).containsExactly(flat.matrix().toDoubleArray());
        assertThat(copy.covariance().toDoubleArray()).containsExactly(10, 14, 14, 20);
    }
}
