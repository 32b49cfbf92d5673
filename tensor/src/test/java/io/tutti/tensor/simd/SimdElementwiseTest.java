package io.tutti.tensor.simd;

import io.tutti.tensor.BinaryOp;
import io.tutti.tensor.DType;
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
import static io.tutti.tensor.simd.SimdTesting.SPECIAL;
import static io.tutti.tensor.simd.SimdTesting.assertClose;
import static io.tutti.tensor.simd.SimdTesting.assertSame;
import static io.tutti.tensor.simd.SimdTesting.filled;
import static io.tutti.tensor.simd.SimdTesting.layouts;
import static io.tutti.tensor.simd.SimdTesting.onReference;
import static io.tutti.tensor.simd.SimdTesting.output;
import static io.tutti.tensor.simd.SimdTesting.random;
import static org.assertj.core.api.Assertions.assertThat;

/** The simd backend's copy, fill, unary, binary and where against the reference backend. */
class SimdElementwiseTest {
    private static final int[][] SHAPES = {{1}, {7}, {17}, {3, 5}, {4, 33}, {2, 3, 17}, {300, 257}, {100_003}};

    /** Relative tolerance per unary op: a few float ulps, wider where the float formula differs from the double one. */
    private static double rtol(UnaryOp op) {
        switch (op) {
            case NEG: case ABS: case SIGN: case RELU: case SQUARE: case SQRT:
                return 0;
            case RECIPROCAL: case RSQRT:
                return 1.2e-7;
            case EXP: case LOG: case TANH:
                return 3e-7;
            default:
                return 2e-6;
        }
    }

    private static double atol(UnaryOp op) {
        switch (op) {
            case NEG: case ABS: case SIGN: case RELU: case SQUARE: case SQRT: case RECIPROCAL: case RSQRT: case EXP:
                return 0;
            case LOG: case TANH:
                return 1e-7;
            default:
                return 1e-6;
        }
    }

    private static Tensor unaryInput(UnaryOp op, Random random, int... shape) {
        boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT;
        return positive ? random(random, 0.01f, 50f, shape) : random(random, -9f, 9f, shape);
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryMatchesReferenceOnEveryLayout(UnaryOp op) {
        Random random = new Random(op.ordinal());
        for (int[] shape : SHAPES) {
            Tensor x = unaryInput(op, random, shape);
            Tensor expected = Tensor.zeros(shape);
            REF.unary(op, x, expected);
            for (Map.Entry<String, Tensor> in : layouts(x).entrySet()) {
                for (boolean stridedOut : new boolean[] {false, true}) {
                    Tensor out = output(stridedOut, shape);
                    SIMD.unary(op, in.getValue(), out);
                    assertClose(op + " " + Arrays.toString(shape) + " " + in.getKey() + (stridedOut ? " strided out" : ""), out,
                            expected, rtol(op), atol(op));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryMatchesReferenceOnSpecialValuesAndADenseGrid(UnaryOp op) {
        float[] grid = new float[4001];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = -12f + 24f * i / (grid.length - 1);
        }
        for (float[] values : new float[][] {SPECIAL, grid}) {
            // Odd length so that values land both in vector lanes and in the scalar tail.
            Tensor x = filled(values, values.length * 2 + 3);
            Tensor expected = Tensor.zeros(x.shape());
            REF.unary(op, x, expected);
            Tensor out = Tensor.zeros(x.shape());
            SIMD.unary(op, x, out);
            assertClose(op + " on " + (values == SPECIAL ? "special values" : "grid"), out, expected, rtol(op), atol(op));
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryInPlaceAndOnBroadcastInput(UnaryOp op) {
        Random random = new Random(100 + op.ordinal());
        Tensor x = unaryInput(op, random, 5, 37);
        Tensor expected = Tensor.zeros(5, 37);
        REF.unary(op, x, expected);
        for (Tensor view : layouts(x).values()) {
            Tensor target = onReference(view::copy);
            Tensor inPlace = view.dim() == 2 && !view.isContiguous() ? layouts(target).get("sliced") : target;
            SIMD.unary(op, inPlace, inPlace);
            assertClose(op + " in place", inPlace, expected, rtol(op), atol(op));
        }
        Tensor row = unaryInput(op, random, 1, 37);
        Tensor broadcastExpected = Tensor.zeros(5, 37);
        REF.unary(op, row.expand(5, 37), broadcastExpected);
        Tensor out = Tensor.zeros(5, 37);
        SIMD.unary(op, row.expand(5, 37), out);
        assertClose(op + " of an expanded row", out, broadcastExpected, rtol(op), atol(op));
        Tensor scalar = unaryInput(op, random, 1).reshape();
        Tensor scalarExpected = Tensor.zeros(5, 37);
        REF.unary(op, scalar.expand(5, 37), scalarExpected);
        Tensor scalarOut = Tensor.zeros(5, 37);
        SIMD.unary(op, scalar.expand(5, 37), scalarOut);
        assertClose(op + " of an expanded scalar", scalarOut, scalarExpected, rtol(op), atol(op));
    }

    private static double rtol(BinaryOp op) {
        switch (op) {
            case ADD: case SUB: case DIV:
                return 1.2e-7;   // the reference rounds twice (double, then float): at most one ulp apart
            case POW:
                return 3e-7;
            default:
                return 0;
        }
    }

    private static Tensor binaryInput(BinaryOp op, Random random, boolean first, int... shape) {
        if (op == BinaryOp.POW) {
            return first ? random(random, 0.05f, 4f, shape) : random(random, -3f, 3f, shape);
        }
        if (op.isComparison()) {
            // Few distinct values, so that equal pairs occur.
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (random.nextInt(7) - 3) * 0.5f;
            }
            return Tensor.of(v, shape);
        }
        return random(random, -5f, 5f, shape);
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryMatchesReferenceOnEveryLayoutPair(BinaryOp op) {
        Random random = new Random(1000 + op.ordinal());
        for (int[] shape : SHAPES) {
            Tensor a = binaryInput(op, random, true, shape);
            Tensor b = binaryInput(op, random, false, shape);
            Tensor expected = Tensor.zeros(shape);
            REF.binary(op, a, b, expected);
            Map<String, Tensor> as = layouts(a);
            Map<String, Tensor> bs = layouts(b);
            for (Map.Entry<String, Tensor> va : as.entrySet()) {
                for (Map.Entry<String, Tensor> vb : bs.entrySet()) {
                    for (boolean stridedOut : new boolean[] {false, true}) {
                        Tensor out = output(stridedOut, shape);
                        SIMD.binary(op, va.getValue(), vb.getValue(), out);
                        assertClose(op + " " + Arrays.toString(shape) + " " + va.getKey() + " with " + vb.getKey()
                                + (stridedOut ? " into strided out" : ""), out, expected, rtol(op), 0);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryBroadcastsScalarsRowsAndColumns(BinaryOp op) {
        Random random = new Random(2000 + op.ordinal());
        for (int[] shape : new int[][] {{7}, {4, 33}, {300, 257}, {3, 4, 17}}) {
            int r = shape.length;
            Tensor full = binaryInput(op, random, true, shape);
            int[] rowShape = shape.clone();
            rowShape[0] = 1;
            int[] columnShape = shape.clone();
            columnShape[r - 1] = 1;
            Tensor[] partners = {
                binaryInput(op, random, false, 1).reshape().expand(shape),
                binaryInput(op, random, false, rowShape).expand(shape),
                binaryInput(op, random, false, columnShape).expand(shape),
            };
            for (Tensor partner : partners) {
                for (boolean partnerFirst : new boolean[] {false, true}) {
                    Tensor a = partnerFirst ? partner : full;
                    Tensor b = partnerFirst ? full : partner;
                    Tensor expected = Tensor.zeros(shape);
                    REF.binary(op, a, b, expected);
                    Tensor out = Tensor.zeros(shape);
                    SIMD.binary(op, a, b, out);
                    assertClose(op + " " + Arrays.toString(shape) + " with strides " + Arrays.toString(partner.strides())
                            + (partnerFirst ? " first" : " second"), out, expected, rtol(op), 0);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryMatchesReferenceOnAllPairsOfSpecialValues(BinaryOp op) {
        int n = SPECIAL.length;
        float[] av = new float[n * n];
        float[] bv = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                av[i * n + j] = SPECIAL[i];
                bv[i * n + j] = SPECIAL[j];
            }
        }
        Tensor a = Tensor.of(av, n * n);
        Tensor b = Tensor.of(bv, n * n);
        Tensor expected = Tensor.zeros(n * n);
        REF.binary(op, a, b, expected);
        Tensor out = Tensor.zeros(n * n);
        SIMD.binary(op, a, b, out);
        assertClose(op + " on special values", out, expected, rtol(op), 0);
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryInPlaceIntoEitherOperand(BinaryOp op) {
        Random random = new Random(3000 + op.ordinal());
        Tensor a = binaryInput(op, random, true, 6, 41);
        Tensor b = binaryInput(op, random, false, 6, 41);
        Tensor bias = binaryInput(op, random, false, 41);
        Tensor expected = Tensor.zeros(6, 41);
        REF.binary(op, a, b, expected);
        Tensor expectedBias = Tensor.zeros(6, 41);
        REF.binary(op, a, bias.expand(6, 41), expectedBias);
        for (String layout : new String[] {"contiguous", "transposed", "sliced"}) {
            Tensor target = layouts(onReference(a::copy)).get(layout);
            SIMD.binary(op, target, b, target);
            assertClose(op + " into a (" + layout + ")", target, expected, rtol(op), 0);
            Tensor targetB = layouts(onReference(b::copy)).get(layout);
            SIMD.binary(op, a, targetB, targetB);
            assertClose(op + " into b (" + layout + ")", targetB, expected, rtol(op), 0);
            Tensor targetBias = layouts(onReference(a::copy)).get(layout);
            SIMD.binary(op, targetBias, bias.expand(6, 41), targetBias);
            assertClose(op + " with a broadcast row into a (" + layout + ")", targetBias, expectedBias, rtol(op), 0);
        }
    }

    @Test
    void tensorApiRunsOnSimdAndMatchesReference() {
        Random random = new Random(7);
        Tensor a = random(random, -2, 2, 16);
        Tensor b = random(random, -2, 2, 16);
        Tensor expected = onReference(() -> a.add(b).mul(a).sub(1.5).relu());
        Tensor actual = SimdTesting.onSimd(() -> a.add(b).mul(a).sub(1.5).relu());
        assertClose("add, mul, sub, relu through Tensor", actual, expected, 1e-6, 1e-7);
    }

    @Test
    void emptyTensorsAreNoOps() {
        Tensor empty = Tensor.zeros(0, 5);
        Tensor out = Tensor.zeros(0, 5);
        SIMD.unary(UnaryOp.EXP, empty, out);
        SIMD.binary(BinaryOp.ADD, empty, empty, out);
        SIMD.where(empty, empty, empty, out);
        SIMD.copy(empty, out);
        SIMD.fill(out, 3);
        assertThat(out.numel()).isZero();
    }

    @Test
    void whereMatchesReferenceWithNaNAndBroadcastConditions() {
        Random random = new Random(11);
        for (int[] shape : new int[][] {{7}, {4, 33}, {300, 257}}) {
            Tensor cond = filled(new float[] {0f, 1f, Float.NaN, -0f, -2f, 0f, 0f, 3f, 0f}, shape);
            Tensor a = random(random, -5, 5, shape);
            Tensor b = random(random, -5, 5, shape);
            int[] rowShape = shape.clone();
            rowShape[0] = 1;
            Tensor rowCond = filled(new float[] {1f, 0f, 0f}, rowShape).expand(shape);
            Tensor scalar = Tensor.scalar(-42).expand(shape);
            Tensor[][] cases = {{cond, a, b}, {rowCond, a, b}, {cond, scalar, b}, {cond, a, scalar}};
            for (Tensor[] c : cases) {
                for (Map.Entry<String, Tensor> va : layouts(c[1].isContiguous() ? c[1] : onReference(c[1]::copy)).entrySet()) {
                    Tensor expected = Tensor.zeros(shape);
                    REF.where(c[0], va.getValue(), c[2], expected);
                    Tensor out = output(shape.length > 1, shape);
                    SIMD.where(c[0], va.getValue(), c[2], out);
                    assertSame("where " + Arrays.toString(shape) + " " + va.getKey(), out, expected);
                }
            }
        }
        Tensor intCond = Tensor.of(new int[] {0, 1, 0}, 3);
        Tensor out = Tensor.zeros(3);
        SIMD.where(intCond, Tensor.vector(1, 2, 3), Tensor.vector(4, 5, 6), out);
        assertThat(out.toFloatArray()).containsExactly(4, 2, 6);
    }

    @Test
    void copyAndFillOnEveryLayout() {
        Random random = new Random(13);
        for (int[] shape : SHAPES) {
            Tensor x = random(random, -5, 5, shape);
            for (Map.Entry<String, Tensor> in : layouts(x).entrySet()) {
                for (boolean stridedOut : new boolean[] {false, true}) {
                    Tensor out = output(stridedOut, shape);
                    SIMD.copy(in.getValue(), out);
                    assertSame("copy " + Arrays.toString(shape) + " " + in.getKey(), out, x);
                }
            }
        }
        Tensor column = Tensor.vector(1, 2, 3).reshape(3, 1);
        Tensor out = Tensor.zeros(3, 4);
        SIMD.copy(column.expand(3, 4), out);
        assertThat(out.toFloatArray()).containsExactly(1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);

        Tensor ints = Tensor.of(new int[] {1, -2, 3}, 3);
        Tensor converted = Tensor.zeros(3);
        SIMD.copy(ints, converted);
        assertThat(converted.toFloatArray()).containsExactly(1, -2, 3);

        Tensor base = Tensor.zeros(4, 9);
        Tensor view = base.slice(1, 1, 9, 2);
        SIMD.fill(view, 2.5);
        float[] v = base.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            assertThat(v[i]).as("element " + i).isEqualTo(i % 9 % 2 == 1 ? 2.5f : 0f);
        }
        Tensor big = Tensor.zeros(100_003);
        SIMD.fill(big, -1);
        assertThat(onReference(() -> big.sum().item())).isEqualTo(-100_003.0);
    }

    @Test
    void otherDtypesFallBackToReference() {
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3);
        Tensor out = Tensor.zeros(DType.FLOAT64, 3);
        SIMD.binary(BinaryOp.MUL, a, a, out);
        assertThat(out.toDoubleArray()).containsExactly(1, 4, 9);
        Tensor i = Tensor.of(new int[] {-1, 2, -3}, 3);
        Tensor iOut = Tensor.zeros(DType.INT32, 3);
        SIMD.unary(UnaryOp.ABS, i, iOut);
        assertThat(iOut.toIntArray()).containsExactly(1, 2, 3);
    }
}
