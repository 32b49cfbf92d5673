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
                assertThat(actual.indices().toIntArray()).as(label + " indices " + in.getKey())
                        .containsExactly(expected.indices().toIntArray());
            }
        }
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
