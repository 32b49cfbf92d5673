package io.tutti.tensor.simd;

import io.tutti.tensor.Pooling;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static io.tutti.tensor.simd.SimdTesting.assertSame;
import static io.tutti.tensor.simd.SimdTesting.filled;
import static io.tutti.tensor.simd.SimdTesting.layouts;
import static io.tutti.tensor.simd.SimdTesting.onReference;
import static io.tutti.tensor.simd.SimdTesting.onSimd;
import static io.tutti.tensor.simd.SimdTesting.random;
import static org.assertj.core.api.Assertions.assertThat;

/** The simd backend's direct max pool against the unfold-and-argmax composite on the reference backend. */
class SimdMaxPoolTest {
    /** kernel, stride, padding, dilation (height, width each) and ceil mode (1 = on). */
    private static final int[][] GEOMETRIES = {
        {2, 2, 2, 2, 0, 0, 1, 1, 0},
        {3, 3, 1, 1, 1, 1, 1, 1, 0},
        {3, 2, 2, 1, 1, 1, 1, 1, 1},
        {2, 3, 3, 2, 1, 1, 2, 1, 1},
        {3, 3, 2, 2, 1, 0, 2, 2, 0},
        {1, 1, 2, 2, 0, 0, 1, 1, 1},
        // The common small windows: 2x2 stride 2 with ceil mode, 3x3 stride 2 and 1 with and without padding.
        {2, 2, 2, 2, 0, 0, 1, 1, 1},
        {3, 3, 2, 2, 0, 0, 1, 1, 0},
        {3, 3, 2, 2, 1, 1, 1, 1, 0},
        {3, 3, 2, 2, 1, 1, 1, 1, 1},
        {3, 3, 1, 1, 0, 0, 1, 1, 0},
        // Strides wider than the kernel, and padding on one axis only.
        {2, 2, 3, 3, 0, 0, 1, 1, 1},
        {2, 3, 2, 4, 0, 1, 1, 1, 0},
    };

    private static void check(String what, Tensor x) {
        for (int[] g : GEOMETRIES) {
            int[] k = {g[0], g[1]};
            int[] s = {g[2], g[3]};
            int[] p = {g[4], g[5]};
            int[] d = {g[6], g[7]};
            boolean ceil = g[8] == 1;
            String label = what + " geometry " + Arrays.toString(g);
            Pooling.MaxPoolResult expected = onReference(() -> Pooling.maxPool2d(x, k, s, p, d, ceil));
            for (Map.Entry<String, Tensor> in : layouts(x).entrySet()) {
                Pooling.MaxPoolResult actual = onSimd(() -> Pooling.maxPool2d(in.getValue(), k, s, p, d, ceil));
                assertSame(label + " values " + in.getKey(), actual.values(), expected.values());
                assertThat(bits(actual.values())).as(label + " value bits " + in.getKey()).containsExactly(bits(expected.values()));
                assertThat(actual.indices().toIntArray()).as(label + " indices " + in.getKey())
                        .containsExactly(expected.indices().toIntArray());
            }
        }
    }

    /** The float bits of every element, so that -0 and 0 differ (NaNs are made canonical). */
    private static int[] bits(Tensor t) {
        float[] v = onReference(t::toFloatArray);
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToIntBits(v[i]);
        }
        return b;
    }

    /** A tensor of values drawn from a few, so that most windows hold ties, NaNs, both zeros or infinities. */
    private static Tensor specials(Random random, int... shape) {
        float[] pool = {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f, -0f, 1f, -1f, 1f, -0f, 0f};
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = pool[random.nextInt(pool.length)];
        }
        return Tensor.of(v, shape);
    }

    @Test
    void matchesTheCompositeOnRandomPlanes() {
        Random random = new Random(8);
        // Widths up to 150 give the vector path (16 lanes at most) whole vectors of interior windows at every stride.
        for (int[] shape : new int[][] {{2, 3, 7, 9}, {1, 1, 5, 5}, {4, 6, 8}, {3, 2, 12, 13}, {2, 2, 6, 75}, {1, 1, 4, 150}}) {
            check(Arrays.toString(shape), random(random, -3f, 3f, shape));
        }
    }

    @Test
    void matchesTheCompositeOnTheReferenceCnnShapesAndNarrowOddPlanes() {
        Random random = new Random(10);
        // The CNNs' planes (28 and 14 wide, 40 x 100 and 20 x 50, fewer channels), then odd and tiny ones where output
        // rows hold fewer windows than a vector has lanes and the last rows of the array are done one by one.
        for (int[] shape : new int[][] {{2, 3, 28, 28}, {2, 4, 14, 14}, {1, 2, 40, 100}, {2, 2, 20, 50}, {3, 5, 7}, {1, 1, 5, 5},
            {2, 1, 9, 17}, {1, 2, 11, 33}}) {
            check(Arrays.toString(shape), random(random, -3f, 3f, shape));
        }
    }

    @Test
    void windowsFullOfTiesNaNsZerosAndInfinitiesAgreeBitForBit() {
        Random random = new Random(11);
        for (int[] shape : new int[][] {{2, 2, 14, 14}, {1, 3, 9, 40}, {2, 1, 5, 6}}) {
            check("specials " + Arrays.toString(shape), specials(random, shape));
        }
    }

    @Test
    void planesAtAnOffsetInTheirStorageArePooledFromThere() {
        Random random = new Random(12);
        Tensor big = random(random, -2f, 2f, 5, 3, 10, 14);
        // A contiguous view that starts one plane-batch in and ends one before the end: the kernel reads from an offset.
        Tensor view = onReference(() -> big.narrow(0, 1, 3));
        for (int[] g : GEOMETRIES) {
            int[] k = {g[0], g[1]};
            int[] s = {g[2], g[3]};
            int[] p = {g[4], g[5]};
            int[] d = {g[6], g[7]};
            Pooling.MaxPoolResult expected = onReference(() -> Pooling.maxPool2d(view, k, s, p, d, g[8] == 1));
            Pooling.MaxPoolResult actual = onSimd(() -> Pooling.maxPool2d(view, k, s, p, d, g[8] == 1));
            assertSame("offset view " + Arrays.toString(g), actual.values(), expected.values());
            assertThat(actual.indices().toIntArray()).as("offset view indices " + Arrays.toString(g))
                    .containsExactly(expected.indices().toIntArray());
        }
    }

    @Test
    void tiesNaNAndAllMinusInfinityWindowsAgreeWithTheComposite() {
        float ninf = Float.NEGATIVE_INFINITY;
        for (int width : new int[] {7, 101}) {
            check("ties", filled(new float[] {1f, 1f, 0f, 1f, 2f, 2f, 0f}, 2, 2, 6, width));
            check("NaN", filled(new float[] {1f, Float.NaN, 3f, -1f, Float.NaN, 0f, 5f, Float.NaN}, 1, 2, 7, width));
            check("minus infinity", filled(new float[] {ninf, ninf, ninf, 1f, ninf, ninf, ninf, ninf, ninf, ninf, ninf}, 1, 2, 9,
                    width));
        }
    }

    @Test
    void maxPool1dUsesTheSameKernel() {
        Tensor x = random(new Random(9), -1f, 1f, 3, 4, 17);
        Pooling.MaxPoolResult expected = onReference(() -> Pooling.maxPool1d(x, 3, 2, 1, 1, true));
        Pooling.MaxPoolResult actual = onSimd(() -> Pooling.maxPool1d(x, 3, 2, 1, 1, true));
        assertSame("values", actual.values(), expected.values());
        assertThat(actual.indices().toIntArray()).containsExactly(expected.indices().toIntArray());
    }
}
