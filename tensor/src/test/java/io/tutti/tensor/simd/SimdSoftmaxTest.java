package io.tutti.tensor.simd;

import io.tutti.tensor.Composites;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static io.tutti.tensor.simd.SimdTesting.SIMD;
import static io.tutti.tensor.simd.SimdTesting.assertClose;
import static io.tutti.tensor.simd.SimdTesting.filled;
import static io.tutti.tensor.simd.SimdTesting.layouts;
import static io.tutti.tensor.simd.SimdTesting.onReference;
import static io.tutti.tensor.simd.SimdTesting.onSimd;
import static io.tutti.tensor.simd.SimdTesting.random;
import static org.assertj.core.api.Assertions.assertThat;

/** The simd backend's fused softmax, log-softmax and softmax gradient against the composites on the reference backend. */
class SimdSoftmaxTest {

    private static void check(String what, Tensor x, int dim) {
        Tensor expected = onReference(() -> Composites.softmax(x, dim));
        Tensor actual = onSimd(() -> SIMD.softmax(x, dim));
        assertClose("softmax " + what, actual, expected, 2e-6, 1e-8);
        Tensor expectedLog = onReference(() -> Composites.logSoftmax(x, dim));
        Tensor actualLog = onSimd(() -> SIMD.logSoftmax(x, dim));
        assertClose("logSoftmax " + what, actualLog, expectedLog, 2e-6, 2e-6);
    }

    @Test
    void matchesTheCompositeOnEveryDimAndLayout() {
        Random random = new Random(5);
        for (int[] shape : new int[][] {{1}, {7}, {1, 1}, {3, 7}, {5, 17}, {64, 1000}, {2, 3, 33}}) {
            Tensor x = random(random, -20f, 20f, shape);
            for (Map.Entry<String, Tensor> in : layouts(x).entrySet()) {
                for (int dim = 0; dim < shape.length; dim++) {
                    check(Arrays.toString(shape) + " dim " + dim + " " + in.getKey(), in.getValue(), dim);
                }
            }
        }
    }

    @Test
    void handlesLargeValuesInfinitiesNaNAndEmptyRows() {
        float inf = Float.POSITIVE_INFINITY;
        check("large values", filled(new float[] {1000f, 999f, -1000f, 3e38f, -3e38f, 0f, 88f}, 3, 19), 1);
        check("-inf entries", filled(new float[] {-inf, 1f, 2f, -inf, 0f}, 4, 5), 1);
        check("all -inf row", filled(new float[] {-inf}, 2, 17), 1);
        check("+inf entry", filled(new float[] {inf, 1f, 2f}, 2, 21), 1);
        check("NaN entry", filled(new float[] {1f, Float.NaN, 2f, 3f, 4f}, 3, 5), 1);
        Tensor empty = Tensor.zeros(0, 5);
        assertThat(SIMD.softmax(empty, 1).shape()).containsExactly(0, 5);
        assertThat(SIMD.logSoftmax(Tensor.zeros(4, 0), 1).shape()).containsExactly(4, 0);
    }

    @Test
    void tensorSoftmaxUsesTheFusedKernel() {
        Tensor x = random(new Random(3), -3, 3, 8, 40);
        Tensor viaTensor = onSimd(() -> x.softmax(-1));
        Tensor rowSums = onReference(() -> viaTensor.sum(1, false));
        for (float s : rowSums.toFloatArray()) {
            assertThat((double) s).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
        }
        assertClose("Tensor.softmax", viaTensor, onReference(() -> Composites.softmax(x, 1)), 2e-6, 1e-8);
    }

    private static void checkBackward(String what, Tensor y, Tensor grad, int dim) {
        Tensor expected = onReference(() -> Composites.softmaxBackward(y, grad, dim));
        Tensor actual = onSimd(() -> SIMD.softmaxBackward(y, grad, dim));
        assertClose("softmaxBackward " + what, actual, expected, 2e-5, 1e-6);
    }

    @Test
    void gradientMatchesTheCompositeOnEveryDimAndLayout() {
        Random random = new Random(11);
        for (int[] shape : new int[][] {{1}, {7}, {3, 7}, {5, 17}, {3, 64}, {64, 1000}, {2, 3, 33}, {4, 2, 5, 32}}) {
            Tensor x = random(random, -4f, 4f, shape);
            Tensor g = random(random, -2f, 2f, shape);
            for (int dim = 0; dim < shape.length; dim++) {
                int d = dim;
                Tensor y = onReference(() -> Composites.softmax(x, d));
                for (Map.Entry<String, Tensor> yIn : layouts(y).entrySet()) {
                    for (Map.Entry<String, Tensor> gIn : layouts(g).entrySet()) {
                        checkBackward(Arrays.toString(shape) + " dim " + dim + " y " + yIn.getKey() + " grad " + gIn.getKey(),
                                yIn.getValue(), gIn.getValue(), dim);
                    }
                }
            }
        }
    }

    @Test
    void gradientPropagatesNaNAndInfinityAsTheCompositeDoes() {
        Tensor y = onReference(() -> Composites.softmax(filled(new float[] {1f, 2f, Float.NaN, 0f, -1f}, 3, 20), 1));
        Tensor g = filled(new float[] {1f, -2f, 0.5f, Float.POSITIVE_INFINITY, 3f, 0f, -1f}, 3, 20);
        checkBackward("NaN in y, inf in grad", y, g, 1);
        assertThat(SIMD.softmaxBackward(Tensor.zeros(0, 5), Tensor.zeros(0, 5), 1).shape()).containsExactly(0, 5);
    }
}
