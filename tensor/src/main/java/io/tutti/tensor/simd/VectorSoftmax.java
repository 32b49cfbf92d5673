package io.tutti.tensor.simd;

import io.tutti.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused softmax and log-softmax over the rows of a contiguous float32 matrix: per row one pass for
 * the maximum, one for the sum of exp(x - max), one to write the result, rows in parallel. Same
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
        for (int r = from; r < to; r++) {
            int xo = xOffset + r * n;
            int yo = yOffset + r * n;
            float max = VectorReduce.max(x, xo, n);
            if (log) {
                logSoftmaxRow(x, xo, y, yo, n, max);
            } else {
                softmaxRow(x, xo, y, yo, n, max);
            }
        }
    }

    private static void softmaxRow(float[] x, int xo, float[] y, int yo, int n, float max) {
        FloatVector sum = FloatVector.zero(S);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector e = FloatVector.fromArray(S, x, xo + i).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(y, yo + i);
            sum = sum.add(e);
        }
        float total = sum.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xo + i] - max);
            y[yo + i] = e;
            total += e;
        }
        i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector.fromArray(S, y, yo + i).div(total).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] /= total;
        }
    }

    private static void logSoftmaxRow(float[] x, int xo, float[] y, int yo, int n, float max) {
        FloatVector sum = FloatVector.zero(S);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            sum = sum.add(FloatVector.fromArray(S, x, xo + i).sub(max).lanewise(VectorOperators.EXP));
        }
        float total = sum.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            total += (float) Math.exp(x[xo + i] - max);
        }
        float logSum = (float) Math.log(total);
        i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector.fromArray(S, x, xo + i).sub(max).sub(logSum).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = (x[xo + i] - max) - logSum;
        }
    }
}
