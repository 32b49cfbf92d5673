package io.tutti.tensor.simd;

import io.tutti.tensor.Backend;
import io.tutti.tensor.Backends;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Shared helpers for comparing the simd backend with the reference backend on many layouts. */
final class SimdTesting {
    static final Backend REF = Backends.reference();
    static final Backend SIMD = requireSimd();

    /** Values every elementwise op is checked on, besides random ones. */
    static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1f, -1f, 0.5f, -0.5f,
        1e-30f, -1e-30f, Float.MIN_VALUE, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE, 88.8f, -88.8f, 100f, -100f, 20f, -20f,
        1e4f, -1e4f, 3e19f, -3e19f, 0.7071f, -0.7071f, 1.4142f, -1.4142f, 5f, -5f, 9f, -9f};

    private SimdTesting() {
    }

    private static Backend requireSimd() {
        Backend b = Backends.simd();
        assertThat(b).as("the simd backend (JVM started with --add-modules jdk.incubator.vector)").isNotNull();
        return b;
    }

    /** Runs {@code body} with the reference backend as this thread's CPU backend (for trusted setup and expectations). */
    static <T> T onReference(Supplier<T> body) {
        try (Backends.Scope s = Backends.use(REF)) {
            return body.get();
        }
    }

    static <T> T onSimd(Supplier<T> body) {
        try (Backends.Scope s = Backends.use(SIMD)) {
            return body.get();
        }
    }

    static Tensor random(Random random, float lo, float hi, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * random.nextFloat();
        }
        return Tensor.of(v, shape);
    }

    /**
     * Views with the same shape and values as the contiguous tensor {@code c}, laid out differently:
     * contiguous, permuted (reversed dimension order in memory), and every other element of a wider
     * last dimension.
     */
    static Map<String, Tensor> layouts(Tensor c) {
        return onReference(() -> {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("contiguous", c);
            int r = c.dim();
            if (r >= 2) {
                int[] rev = new int[r];
                for (int i = 0; i < r; i++) {
                    rev[i] = r - 1 - i;
                }
                m.put("transposed", c.permute(rev).contiguous().permute(rev));
            }
            if (r >= 1) {
                int[] wide = c.shape();
                wide[r - 1] = 2 * wide[r - 1] + 1;
                Tensor big = Tensor.full(-7, c.dtype(), wide);
                Tensor view = big.slice(r - 1, 1, wide[r - 1], 2);
                view.copyFrom(c);
                m.put("sliced", view);
            }
            return m;
        });
    }

    /** A zero output of {@code shape}, either contiguous or a transposed (strided) view. */
    static Tensor output(boolean strided, int... shape) {
        if (!strided || shape.length < 2) {
            return Tensor.zeros(shape);
        }
        int r = shape.length;
        int[] rev = new int[r];
        int[] revShape = new int[r];
        for (int i = 0; i < r; i++) {
            rev[i] = r - 1 - i;
            revShape[i] = shape[r - 1 - i];
        }
        return Tensor.zeros(revShape).permute(rev);
    }

    /** A float32 tensor holding {@code values} repeated or cut to fill {@code shape}. */
    static Tensor filled(float[] values, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = values[i % values.length];
        }
        return Tensor.of(v, shape);
    }

    /** Asserts elementwise closeness: same NaNs, same infinities, else |a - e| <= atol + rtol |e|. */
    static void assertClose(String what, Tensor actual, Tensor expected, double rtol, double atol) {
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        double[] a = onReference(actual::toDoubleArray);
        double[] e = onReference(expected::toDoubleArray);
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < a.length && bad.size() < 5; i++) {
            boolean ok;
            if (Double.isNaN(e[i]) || Double.isNaN(a[i])) {
                ok = Double.isNaN(e[i]) && Double.isNaN(a[i]);
            } else if (Double.isInfinite(e[i]) || Double.isInfinite(a[i])) {
                ok = a[i] == e[i];
            } else {
                ok = Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
            }
            if (!ok) {
                bad.add("[" + i + "] got " + a[i] + " expected " + e[i]);
            }
        }
        if (!bad.isEmpty()) {
            fail(what + ": " + bad);
        }
    }

    /** Asserts exact equality (NaN equals NaN). */
    static void assertSame(String what, Tensor actual, Tensor expected) {
        assertClose(what, actual, expected, 0, 0);
    }
}
