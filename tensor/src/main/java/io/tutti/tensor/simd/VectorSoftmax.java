package io.tutti.tensor.simd;

import io.tutti.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused softmax and log-softmax over the rows of a contiguous float32 matrix: per row one pass for
 * the maximum, one for the sum of exp(x - max), one to write the result (softmax multiplies by
 * 1 / sum), rows in parallel. The softmax gradient ({@link #backward}) is fused the same way: per
 * row one pass for sum(g y), one to write y (g - sum). exp and log are
 * {@link FloatTranscendentals}', and the lanes of the
 * sum are added in a fixed order, so a row's result does not depend on the JIT's state. Same
 * formulas as {@link io.tutti.tensor.Composites} (a NaN anywhere in a row makes the whole row NaN,
 * a row of -inf gives NaN), with the intermediates kept in registers instead of tensors.
 */
final class VectorSoftmax {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorSoftmax() {
    }

    /** Softmax ({@code log == false}) or log-softmax of {@code rows} rows of {@code n} from x into y. */
    static void run(float[] x, int xOffset, float[] y, int yOffset, int rows, int n, boolean log) {
        if ((long) rows * n <= Rows.GRAIN) {
            rows(x, xOffset, y, yOffset, n, log, 0, rows);
        } else {
            Parallel.forRange(rows, Math.max(1, Rows.GRAIN / Math.max(1, n)),
                    (from, to) -> rows(x, xOffset, y, yOffset, n, log, from, to));
        }
    }

    private static void rows(float[] x, int xOffset, float[] y, int yOffset, int n, boolean log, int from, int to) {
        float[] lanes = new float[L];
        for (int r = from; r < to; r++) {
            int xo = xOffset + r * n;
            int yo = yOffset + r * n;
            float max = VectorReduce.max(x, xo, n);
            if (log) {
                logSoftmaxRow(x, xo, y, yo, n, max, lanes);
            } else {
                softmaxRow(x, xo, y, yo, n, max, lanes);
            }
        }
    }

    /** The softmax gradient y (g - sum(g y)) of {@code rows} rows of {@code n}, from y and g into out. */
    static void backward(float[] y, int yOffset, float[] g, int gOffset, float[] out, int outOffset, int rows, int n) {
        if ((long) rows * n <= Rows.GRAIN) {
            backwardRows(y, yOffset, g, gOffset, out, outOffset, n, 0, rows);
        } else {
            Parallel.forRange(rows, Math.max(1, Rows.GRAIN / Math.max(1, n)),
                    (from, to) -> backwardRows(y, yOffset, g, gOffset, out, outOffset, n, from, to));
        }
    }

    private static void backwardRows(float[] y, int yOffset, float[] g, int gOffset, float[] out, int outOffset, int n,
            int from, int to) {
        float[] lanes = new float[L];
        for (int r = from; r < to; r++) {
            int yo = yOffset + r * n;
            int go = gOffset + r * n;
            float dot = dot(y, yo, g, go, n, lanes);
            gradRow(y, yo, g, go, out, outOffset + r * n, n, dot);
        }
    }

    private static float dot(float[] y, int yo, float[] g, int go, int n, float[] lanes) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            acc = FloatVector.fromArray(S, g, go + i).fma(FloatVector.fromArray(S, y, yo + i), acc);
        }
        float total = VectorReduce.addLanes(acc, lanes);
        for (; i < n; i++) {
            total += g[go + i] * y[yo + i];
        }
        return total;
    }

    /** out = y (g - dot). */
    private static void gradRow(float[] y, int yo, float[] g, int go, float[] out, int oo, int n, float dot) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector yv = FloatVector.fromArray(S, y, yo + i);
            yv.mul(FloatVector.fromArray(S, g, go + i).sub(dot)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = y[yo + i] * (g[go + i] - dot);
        }
    }

    // Each loop is its own small method: C2 inlines the vector exp into it (inlined into one large
    // row method it ran out of its node budget, and the vectors were boxed).

    private static void softmaxRow(float[] x, int xo, float[] y, int yo, int n, float max, float[] lanes) {
        int end = S.loopBound(n);
        float total = expVectors(x, xo, y, yo, end, max, lanes);
        for (int i = end; i < n; i++) {
            float e = FloatTranscendentals.exp(x[xo + i] - max);
            y[yo + i] = e;
            total += e;
        }
        scale(y, yo, n, 1f / total);
    }

    private static void logSoftmaxRow(float[] x, int xo, float[] y, int yo, int n, float max, float[] lanes) {
        int end = S.loopBound(n);
        float total = expVectors(x, xo, null, 0, end, max, lanes);
        for (int i = end; i < n; i++) {
            total += FloatTranscendentals.exp(x[xo + i] - max);
        }
        shift(x, xo, y, yo, n, max, FloatTranscendentals.log(total));
    }

    /**
     * exp(x - max) over the first {@code end} elements (a multiple of L), stored into y unless y is
     * null, and their sum: per-lane partial sums, added by {@link VectorReduce#addLanes} from lane 0 up (a
     * different order in compiled and interpreted code would make the result JIT-dependent).
     */
    private static float expVectors(float[] x, int xo, float[] y, int yo, int end, float max, float[] lanes) {
        FloatVector sum = FloatVector.zero(S);
        for (int i = 0; i < end; i += L) {
            FloatVector e = FloatTranscendentals.exp(FloatVector.fromArray(S, x, xo + i).sub(max));
            if (y != null) {
                e.intoArray(y, yo + i);
            }
            sum = sum.add(e);
        }
        return VectorReduce.addLanes(sum, lanes);
    }

    private static void scale(float[] y, int yo, int n, float factor) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector.fromArray(S, y, yo + i).mul(factor).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] *= factor;
        }
    }

    /** y = (x - max) - logSum. */
    private static void shift(float[] x, int xo, float[] y, int yo, int n, float max, float logSum) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector.fromArray(S, x, xo + i).sub(max).sub(logSum).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = (x[xo + i] - max) - logSum;
        }
    }
}
