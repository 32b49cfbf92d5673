package io.tutti.tensor.simd;

import io.tutti.tensor.DType;
import io.tutti.tensor.ReduceOp;
import io.tutti.tensor.Tensor;
import io.tutti.tensor.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static io.tutti.tensor.simd.SimdTesting.REF;
import static io.tutti.tensor.simd.SimdTesting.SIMD;
import static io.tutti.tensor.simd.SimdTesting.assertClose;
import static io.tutti.tensor.simd.SimdTesting.assertSame;
import static io.tutti.tensor.simd.SimdTesting.filled;
import static io.tutti.tensor.simd.SimdTesting.layouts;
import static io.tutti.tensor.simd.SimdTesting.random;
import static org.assertj.core.api.Assertions.assertThat;

/** The simd backend's reduce and argReduce against the reference backend. */
class SimdReduceTest {
    private static final int[][] SHAPES = {{1}, {7}, {17}, {100_003}, {3, 5}, {17, 33}, {300, 257}, {4, 1, 6}, {2, 3, 4, 5}};

    private static Tensor input(ReduceOp op, Random random, int... shape) {
        // Products stay finite and meaningful near 1.
        return op == ReduceOp.PROD ? random(random, 0.97f, 1.03f, shape) : random(random, -5f, 5f, shape);
    }

    /** Every output shape of {@code shape}: each subset of axes reduced. */
    private static int[][] outputShapes(int[] shape) {
        int r = shape.length;
        int[][] outs = new int[1 << r][];
        for (int mask = 0; mask < 1 << r; mask++) {
            int[] o = shape.clone();
            for (int d = 0; d < r; d++) {
                if ((mask & 1 << d) != 0) {
                    o[d] = 1;
                }
            }
            outs[mask] = o;
        }
        return outs;
    }

    /**
     * Sums may differ from the double reference by float rounding, which scales with the sum of the
     * magnitudes reduced into each output: compare against that.
     */
    private static void assertReduced(String what, ReduceOp op, Tensor x, Tensor actual, Tensor expected) {
        if (op == ReduceOp.MAX || op == ReduceOp.MIN) {
            assertSame(what, actual, expected);
            return;
        }
        if (op == ReduceOp.PROD) {
            assertClose(what, actual, expected, 2e-5, 0);
            return;
        }
        Tensor magnitude = Tensor.zeros(expected.shape());
        Tensor abs = Tensor.zeros(x.shape());
        REF.unary(UnaryOp.ABS, x, abs);
        REF.reduce(ReduceOp.SUM, abs, magnitude);
        double[] m = magnitude.toDoubleArray();
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertThat(Math.abs(a[i] - e[i])).as(what + " element " + i + ": " + a[i] + " vs " + e[i])
                    .isLessThanOrEqualTo(2e-6 * m[i] + 1e-30);
        }
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reduceMatchesReferenceOverEveryAxisSetAndLayout(ReduceOp op) {
        Random random = new Random(op.ordinal());
        for (int[] shape : SHAPES) {
            Tensor x = input(op, random, shape);
            for (Map.Entry<String, Tensor> in : layouts(x).entrySet()) {
                for (int[] outShape : outputShapes(shape)) {
                    Tensor expected = Tensor.zeros(outShape);
                    REF.reduce(op, in.getValue(), expected);
                    Tensor out = Tensor.zeros(outShape);
                    SIMD.reduce(op, in.getValue(), out);
                    assertReduced(op + " " + Arrays.toString(shape) + " -> " + Arrays.toString(outShape) + " " + in.getKey(), op,
                            in.getValue(), out, expected);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reduceOfExpandedInputIntoStridedOutput(ReduceOp op) {
        Random random = new Random(10 + op.ordinal());
        Tensor row = input(op, random, 1, 37);
        Tensor x = row.expand(9, 37);
        Tensor expected = Tensor.zeros(1, 37);
        REF.reduce(op, x, expected);
        Tensor out = Tensor.zeros(1, 37);
        SIMD.reduce(op, x, out);
        assertReduced(op + " of an expanded row", op, x, out, expected);

        // Broadcast along the innermost axis (the gradient of a mean over it): copied, then the fast path.
        Tensor column = input(op, random, 6, 5, 1);
        Tensor wide = column.expand(6, 5, 40);
        Tensor expectedWide = Tensor.zeros(1, 1, 40);
        REF.reduce(op, wide, expectedWide);
        Tensor outWide = Tensor.zeros(1, 1, 40);
        SIMD.reduce(op, wide, outWide);
        assertReduced(op + " of a tensor broadcast along its last axis", op, wide, outWide, expectedWide);

        Tensor y = input(op, random, 40, 3, 50);
        Tensor strided = Tensor.zeros(50, 1, 40).permute(2, 1, 0);
        Tensor expectedStrided = Tensor.zeros(40, 1, 50);
        REF.reduce(op, y, expectedStrided);
        SIMD.reduce(op, y, strided);
        assertReduced(op + " into a transposed output", op, y, strided, expectedStrided);
    }

    @Test
    void reductionsPropagateNaNAndInfinity() {
        Tensor x = filled(new float[] {1, 2, Float.NaN, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, 3, 19);
        Tensor y = filled(new float[] {1, Float.POSITIVE_INFINITY, 3, Float.NEGATIVE_INFINITY, 5}, 4, 37);
        for (ReduceOp op : ReduceOp.values()) {
            for (Tensor t : new Tensor[] {x, y}) {
                for (int[] outShape : outputShapes(t.shape())) {
                    Tensor expected = Tensor.zeros(outShape);
                    REF.reduce(op, t, expected);
                    Tensor out = Tensor.zeros(outShape);
                    SIMD.reduce(op, t, out);
                    assertClose(op + " special " + Arrays.toString(outShape), out, expected, 1e-6, 0);
                }
            }
        }
    }

    @Test
    void emptyReductionsGiveTheIdentity() {
        Tensor empty = Tensor.zeros(0, 4);
        Tensor sum = Tensor.full(9, DType.FLOAT32, 1, 4);
        SIMD.reduce(ReduceOp.SUM, empty, sum);
        assertThat(sum.toFloatArray()).containsOnly(0f);
        Tensor prod = Tensor.zeros(1, 4);
        SIMD.reduce(ReduceOp.PROD, empty, prod);
        assertThat(prod.toFloatArray()).containsOnly(1f);
    }

    @Test
    void largeSumsStayAccurate() {
        // 100003 values of 0.1: one running float sum would be off by ~1e-3 relative.
        Tensor x = Tensor.full(0.1, DType.FLOAT32, 100_003);
        Tensor out = Tensor.zeros(1);
        SIMD.reduce(ReduceOp.SUM, x, out);
        assertThat((double) out.toFloatArray()[0]).isCloseTo(100_003 * (double) 0.1f, org.assertj.core.api.Assertions.within(1e-2));
        Tensor columns = Tensor.full(0.1, DType.FLOAT32, 100_000, 3);
        Tensor colOut = Tensor.zeros(1, 3);
        SIMD.reduce(ReduceOp.SUM, columns, colOut);
        for (float v : colOut.toFloatArray()) {
            assertThat((double) v).isCloseTo(100_000 * (double) 0.1f, org.assertj.core.api.Assertions.within(1e-2));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReduceOp.class, names = {"MAX", "MIN"})
    void argReduceMatchesReferenceWithTiesAndNaN(ReduceOp op) {
        Random random = new Random(20 + op.ordinal());
        for (int[] shape : new int[][] {{1}, {7}, {40}, {5, 17}, {300, 257}, {3, 4, 33}}) {
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextInt(9) - 4;   // many ties
                if (random.nextInt(97) == 0) {
                    v[i] = Float.NaN;
                }
            }
            Tensor x = Tensor.of(v, shape);
            for (Map.Entry<String, Tensor> in : layouts(x).entrySet()) {
                for (int axis = 0; axis < shape.length; axis++) {
                    int[] outShape = shape.clone();
                    outShape[axis] = 1;
                    Tensor expected = Tensor.zeros(DType.INT32, outShape);
                    REF.argReduce(op, in.getValue(), axis, expected);
                    Tensor out = Tensor.zeros(DType.INT32, outShape);
                    SIMD.argReduce(op, in.getValue(), axis, out);
                    assertThat(out.toIntArray()).as(op + " " + Arrays.toString(shape) + " axis " + axis + " " + in.getKey())
                            .containsExactly(expected.toIntArray());
                }
            }
        }
    }
}
