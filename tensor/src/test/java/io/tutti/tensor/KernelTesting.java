package io.tutti.tensor;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Shared scaffolding for the nn kernel tests: every backend and dtype, random inputs, close comparisons. */
final class KernelTesting {
    private KernelTesting() {
    }

    /** Runs {@code body} once per CPU backend and floating dtype, with that backend active. */
    static void forEachBackendAndDType(Consumer<DType> body) {
        for (Backend b : Backends.cpuBackends()) {
            for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
                try (var s = Backends.use(b)) {
                    body.accept(dt);
                } catch (AssertionError e) {
                    throw new AssertionError("on backend " + b.name() + " with " + dt + ": " + e.getMessage(), e);
                }
            }
        }
    }

    static Tensor random(Generator g, DType dt, int... shape) {
        return g.normal(0, 1, dt, shape);
    }

    /** Elementwise closeness with a tolerance suited to the dtype. */
    static void assertClose(Tensor actual, double[] expected, DType dt) {
        double tol = dt == DType.FLOAT64 ? 1e-10 : 1e-4;
        double[] a = actual.toDoubleArray();
        assertThat(a).hasSize(expected.length);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("element %d", i).isCloseTo(expected[i], within(tol * Math.max(1, Math.abs(expected[i]))));
        }
    }

    static void assertClose(Tensor actual, Tensor expected, DType dt) {
        assertThat(actual.shape()).containsExactly(expected.shape());
        assertClose(actual, expected.toDoubleArray(), dt);
    }

    /** {@code <a, b>} in double precision. */
    static double dot(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        assertThat(x).hasSize(y.length);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
