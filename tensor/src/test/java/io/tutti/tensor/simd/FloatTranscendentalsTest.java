package io.tutti.tensor.simd;

import io.tutti.tensor.Tensor;
import io.tutti.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import static io.tutti.tensor.simd.SimdTesting.SPECIAL;
import static io.tutti.tensor.simd.SimdTesting.onSimd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FloatTranscendentals}: accuracy in ulps against double {@code Math}, special values, and the
 * property the class exists for: a vector lane, a scalar tail and the kernels behind {@code Tensor}
 * all give the same bits as the scalar formula (which is also what an uncompiled JVM computes).
 */
class FloatTranscendentalsTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Function under test: its unary op (whose kernel runs the vector form), its scalar form, its double-precision truth. */
    private enum Fn {
        EXP(UnaryOp.EXP, FloatTranscendentals::exp, Math::exp),
        LOG(UnaryOp.LOG, FloatTranscendentals::log, Math::log),
        TANH(UnaryOp.TANH, FloatTranscendentals::tanh, Math::tanh);

        final UnaryOp op;
        final ScalarForm scalar;
        final DoubleUnaryOperator truth;

        Fn(UnaryOp op, ScalarForm scalar, DoubleUnaryOperator truth) {
            this.op = op;
            this.scalar = scalar;
            this.truth = truth;
        }
    }

    private interface ScalarForm {
        float apply(float x);
    }

    /** Error of y in units of the float spacing at the true value (the subnormal spacing below MIN_NORMAL). */
    private static double ulps(float y, double truth) {
        if (Double.isNaN(truth) || Float.isNaN(y)) {
            return Double.isNaN(truth) && Float.isNaN(y) ? 0 : Double.POSITIVE_INFINITY;
        }
        float rounded = (float) truth;
        if (Float.isInfinite(rounded) || Float.isInfinite(y)) {
            return y == rounded ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(y - truth) / Math.ulp(rounded);
    }

    /** Every 2003rd float bit pattern (about 2.1 million values, both signs, all exponents), then SPECIAL. */
    private static float[] sweep() {
        int stride = 2003;
        float[] values = new float[(int) ((1L << 32) / stride) + 1 + SPECIAL.length];
        int n = 0;
        for (long bits = 0; bits <= 0xffffffffL; bits += stride) {
            values[n++] = Float.intBitsToFloat((int) bits);
        }
        for (float s : SPECIAL) {
            values[n++] = s;
        }
        return java.util.Arrays.copyOf(values, n);
    }

    private static double maxUlps(Fn fn, float[] xs) {
        double worst = 0;
        for (float x : xs) {
            worst = Math.max(worst, ulps(fn.scalar.apply(x), fn.truth.applyAsDouble(x)));
        }
        return worst;
    }

    @Test
    void accuracyOverASweepOfAllFloats() {
        float[] xs = sweep();
        // The bounds the class Javadoc states (measured there on a 30x denser sweep).
        assertThat(maxUlps(Fn.EXP, xs)).as("exp").isLessThan(1.0);
        assertThat(maxUlps(Fn.LOG, xs)).as("log").isLessThan(1.0);
        assertThat(maxUlps(Fn.TANH, xs)).as("tanh").isLessThan(1.55);
    }

    @Test
    void accuracyWhereTheFormulasSwitch() {
        // Consecutive floats around the branch points: exp's fast-path limit and overflow/underflow
        // edges, log's subnormal limit and mantissa split, tanh's polynomial/exp split.
        float[] centres = {87f, -87f, 88.72283f, -87.33654f, -103.27893f, 1.1754944e-38f, 0.70710677f, 1.4142135f, 0.55f, -0.55f};
        for (float c : centres) {
            float[] xs = new float[4001];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = Float.intBitsToFloat(Float.floatToRawIntBits(c) + i - 2000);
            }
            for (Fn fn : Fn.values()) {
                double bound = fn == Fn.TANH ? 1.55 : 1.0;
                assertThat(maxUlps(fn, xs)).as(fn + " around " + c).isLessThan(bound);
            }
        }
    }

    @Test
    void specialValuesOfExp() {
        assertThat(FloatTranscendentals.exp(Float.NaN)).isNaN();
        assertThat(FloatTranscendentals.exp(Float.POSITIVE_INFINITY)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(FloatTranscendentals.exp(Float.NEGATIVE_INFINITY)).isEqualTo(0f);
        assertThat(FloatTranscendentals.exp(0f)).isEqualTo(1f);
        assertThat(FloatTranscendentals.exp(-0f)).isEqualTo(1f);
        assertThat(FloatTranscendentals.exp(Float.MIN_VALUE)).isEqualTo(1f);
        assertThat(FloatTranscendentals.exp(88.72283f)).isEqualTo((float) Math.exp(88.72283f)).isLessThan(Float.POSITIVE_INFINITY);
        assertThat(FloatTranscendentals.exp(88.72284f)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(FloatTranscendentals.exp(1e30f)).isEqualTo(Float.POSITIVE_INFINITY);
        // The smallest subnormal and the last value that rounds to it rather than to zero.
        assertThat(FloatTranscendentals.exp(-103.27893f)).isEqualTo(Float.MIN_VALUE);
        assertThat(FloatTranscendentals.exp(-103.97f)).isEqualTo(Float.MIN_VALUE);
        assertThat(FloatTranscendentals.exp(-103.98f)).isEqualTo(0f);
        assertThat(FloatTranscendentals.exp(-1e30f)).isEqualTo(0f);
    }

    @Test
    void specialValuesOfLog() {
        assertThat(FloatTranscendentals.log(Float.NaN)).isNaN();
        assertThat(FloatTranscendentals.log(Float.POSITIVE_INFINITY)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(FloatTranscendentals.log(Float.NEGATIVE_INFINITY)).isNaN();
        assertThat(FloatTranscendentals.log(-1f)).isNaN();
        assertThat(FloatTranscendentals.log(-Float.MIN_VALUE)).isNaN();
        assertThat(FloatTranscendentals.log(0f)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(FloatTranscendentals.log(-0f)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(FloatTranscendentals.log(1f)).isEqualTo(0f);
        assertThat(FloatTranscendentals.log(2f)).isEqualTo((float) Math.log(2));
        assertThat(FloatTranscendentals.log(Float.MIN_VALUE)).isEqualTo((float) Math.log(Float.MIN_VALUE));
        assertThat(FloatTranscendentals.log(Float.MAX_VALUE)).isEqualTo((float) Math.log(Float.MAX_VALUE));
    }

    @Test
    void specialValuesOfTanh() {
        assertThat(FloatTranscendentals.tanh(Float.NaN)).isNaN();
        assertThat(Float.floatToRawIntBits(FloatTranscendentals.tanh(-0f))).isEqualTo(Float.floatToRawIntBits(-0f));
        assertThat(Float.floatToRawIntBits(FloatTranscendentals.tanh(0f))).isEqualTo(0);
        assertThat(FloatTranscendentals.tanh(Float.MIN_VALUE)).isEqualTo(Float.MIN_VALUE);
        assertThat(FloatTranscendentals.tanh(-1e-30f)).isEqualTo(-1e-30f);
        assertThat(FloatTranscendentals.tanh(Float.POSITIVE_INFINITY)).isEqualTo(1f);
        assertThat(FloatTranscendentals.tanh(Float.NEGATIVE_INFINITY)).isEqualTo(-1f);
        assertThat(FloatTranscendentals.tanh(10f)).isEqualTo(1f);
        assertThat(FloatTranscendentals.tanh(-Float.MAX_VALUE)).isEqualTo(-1f);
    }

    @Test
    void monotonicOverEachFunctionsRange() {
        checkMonotonic(Fn.EXP, -104f, 89f);
        checkMonotonic(Fn.LOG, Float.MIN_VALUE, Float.MAX_VALUE);
        checkMonotonic(Fn.TANH, -10f, 10f);
    }

    /** Every 997th float from {@code from} to {@code to}, in increasing order, gives a non-decreasing result. */
    private static void checkMonotonic(Fn fn, float from, float to) {
        float previousX = from;
        float previous = fn.scalar.apply(from);
        for (long key = orderedKey(from); key <= orderedKey(to); key += 997) {
            float x = fromOrderedKey((int) key);
            float y = fn.scalar.apply(x);
            if (!(y >= previous)) {
                assertThat(y).as(fn + " at " + x + " after " + previousX).isGreaterThanOrEqualTo(previous);
            }
            previous = y;
            previousX = x;
        }
    }

    /** An int that orders floats like their values: the bits for positive floats, mirrored below zero for negative ones. */
    private static int orderedKey(float x) {
        int bits = Float.floatToRawIntBits(x);
        return bits >= 0 ? bits : Integer.MIN_VALUE - bits;
    }

    private static float fromOrderedKey(int key) {
        return Float.intBitsToFloat(key >= 0 ? key : Integer.MIN_VALUE - key);
    }

    /** Through the unary kernel, whose main loop inlines the vector form (a lambda would box the vectors). */
    @ParameterizedTest
    @EnumSource(Fn.class)
    void vectorFormEqualsScalarFormBitForBit(Fn fn) {
        float[] xs = sweep();
        float[] ys = new float[xs.length];
        VectorUnary.apply(fn.op, xs, 0, 1, ys, 0, xs.length);
        for (int i = 0; i < xs.length; i++) {
            if (Float.floatToIntBits(ys[i]) != Float.floatToIntBits(fn.scalar.apply(xs[i]))) {
                assertBitsEqual(fn + " of " + xs[i] + (i < xs.length - xs.length % L ? " in a lane" : " in the tail"),
                        ys[i], fn.scalar.apply(xs[i]));
            }
        }
    }

    /**
     * Every unary kernel (not only exp, log and tanh: sigmoid, GELU and their gradients use exp) on
     * rows of 3L + 5, filled so that each value lands both in vector lanes and in the scalar tail,
     * equals the scalar formula element by element.
     */
    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void laneEqualsTailInEveryUnaryKernel(UnaryOp op) {
        float[] values = testValues();
        int n = 3 * L + 5;
        float[] in = new float[n];
        float[] out = new float[n];
        for (int g = 0; g < values.length; g += 5) {
            for (int i = 0; i < n; i++) {
                in[i] = values[Math.min(values.length - 1, g + i % 5)];
            }
            VectorUnary.apply(op, in, 0, 1, out, 0, n);
            for (int i = 0; i < n; i++) {
                assertBitsEqual(op + " of " + in[i] + (i < 3 * L ? " in a lane" : " in the tail"), out[i], FloatMath.apply(op, in[i]));
            }
        }
    }

    /** SPECIAL, a dense grid over [-12, 12] and values spread over the whole float range. */
    private static float[] testValues() {
        Random random = new Random(17);
        float[] values = new float[SPECIAL.length + 2401 + 500];
        System.arraycopy(SPECIAL, 0, values, 0, SPECIAL.length);
        for (int i = 0; i < 2401; i++) {
            values[SPECIAL.length + i] = -12f + i * 0.01f;
        }
        for (int i = 0; i < 500; i++) {
            values[SPECIAL.length + 2401 + i] = Float.intBitsToFloat(random.nextInt());
        }
        return values;
    }

    /**
     * Tensor.exp/log/tanh/sigmoid/softmax/logSoftmax through the simd backend, against the scalar
     * formulas. This is what makes the results independent of the JIT's state: an interpreted
     * kernel computes exactly the scalar formula.
     */
    @Test
    void tensorOpsOnSimdEqualTheScalarFormulas() {
        int cols = 3 * L + 5;
        int rows = 7;
        Random random = new Random(23);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * 6);
        }
        v[3] = Float.NEGATIVE_INFINITY;
        v[cols + 1] = 90f;
        Tensor x = Tensor.of(v, rows, cols);
        float[] positive = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            positive[i] = Math.abs(v[i]) + 1e-3f;
        }
        Tensor p = Tensor.of(positive, rows, cols);

        float[] exp = onSimd(x::exp).toFloatArray();
        float[] log = onSimd(p::log).toFloatArray();
        float[] tanh = onSimd(x::tanh).toFloatArray();
        float[] sigmoid = onSimd(x::sigmoid).toFloatArray();
        for (int i = 0; i < v.length; i++) {
            assertBitsEqual("exp of " + v[i], exp[i], FloatTranscendentals.exp(v[i]));
            assertBitsEqual("log of " + positive[i], log[i], FloatTranscendentals.log(positive[i]));
            assertBitsEqual("tanh of " + v[i], tanh[i], FloatTranscendentals.tanh(v[i]));
            assertBitsEqual("sigmoid of " + v[i], sigmoid[i], FloatMath.sigmoid(v[i]));
        }

        float[] softmax = onSimd(() -> x.softmax(1)).toFloatArray();
        float[] logSoftmax = onSimd(() -> x.logSoftmax(1)).toFloatArray();
        for (int r = 0; r < rows; r++) {
            float[] row = java.util.Arrays.copyOfRange(v, r * cols, (r + 1) * cols);
            float[] expected = scalarSoftmax(row, false);
            float[] expectedLog = scalarSoftmax(row, true);
            for (int c = 0; c < cols; c++) {
                assertBitsEqual("softmax row " + r + " col " + c, softmax[r * cols + c], expected[c]);
                assertBitsEqual("logSoftmax row " + r + " col " + c, logSoftmax[r * cols + c], expectedLog[c]);
            }
        }
    }

    /** VectorSoftmax's arithmetic, one element at a time: per-lane partial sums, added from lane 0 up, then the tail. */
    private static float[] scalarSoftmax(float[] x, boolean log) {
        int n = x.length;
        int vectorEnd = n - n % L;
        float max = Float.NEGATIVE_INFINITY;
        for (float value : x) {
            max = Math.max(max, value);
        }
        float[] e = new float[n];
        float[] lanes = new float[L];
        for (int i = 0; i < n; i++) {
            e[i] = FloatTranscendentals.exp(x[i] - max);
            if (i < vectorEnd) {
                lanes[i % L] += e[i];
            }
        }
        float total = 0f;
        for (float lane : lanes) {
            total += lane;
        }
        for (int i = vectorEnd; i < n; i++) {
            total += e[i];
        }
        float[] y = new float[n];
        float scale = 1f / total;
        float logSum = FloatTranscendentals.log(total);
        for (int i = 0; i < n; i++) {
            y[i] = log ? (x[i] - max) - logSum : e[i] * scale;
        }
        return y;
    }

    private static void assertBitsEqual(String what, float actual, float expected) {
        assertThat(Float.floatToIntBits(actual)).as(what + ": " + actual + " vs " + expected)
                .isEqualTo(Float.floatToIntBits(expected));
    }
}
