package io.tutti.tensor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Element-by-element comparison of a backend's result with the reference backend's: NaN must stay
 * NaN, infinities must match exactly, finite values within a relative tolerance. Shared with other
 * modules' tests through tensor's test-jar.
 */
public final class TensorAssertions {
    private TensorAssertions() {
    }

    /**
     * Compares with the tolerance for computing in {@code dtype}: 2e-5 relative for float32, 1e-12 for
     * float64, exact for int32 unless the op turned the integers into float32.
     */
    public static void assertClose(String what, Tensor expected, Tensor actual, DType dtype) {
        boolean float32 = dtype == DType.FLOAT32 || (dtype == DType.INT32 && expected.dtype() == DType.FLOAT32);
        double tol = float32 ? 2e-5 : dtype == DType.FLOAT64 ? 1e-12 : 0;
        assertClose(what, expected, actual, tol);
    }

    /** Compares with a relative tolerance {@code tol} (absolute below magnitude 1). */
    public static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i])) {
                assertThat(a[i]).as(what + " element " + i).isNaN();
            } else if (Double.isInfinite(e[i])) {
                assertThat(a[i]).as(what + " element " + i).isEqualTo(e[i]);
            } else {
                assertThat(Math.abs(a[i] - e[i])).as(what + " element " + i + ": expected " + e[i] + " got " + a[i])
                        .isLessThanOrEqualTo(tol * Math.max(1, Math.abs(e[i])));
            }
        }
    }
}
