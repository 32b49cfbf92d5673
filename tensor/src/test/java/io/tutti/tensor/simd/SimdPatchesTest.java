package io.tutti.tensor.simd;

import io.tutti.tensor.Tensor;
import io.tutti.tensor.Window2d;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.tutti.tensor.simd.SimdTesting.REF;
import static io.tutti.tensor.simd.SimdTesting.SIMD;
import static io.tutti.tensor.simd.SimdTesting.assertClose;
import static io.tutti.tensor.simd.SimdTesting.assertSame;
import static io.tutti.tensor.simd.SimdTesting.layouts;
import static io.tutti.tensor.simd.SimdTesting.onReference;
import static io.tutti.tensor.simd.SimdTesting.onSimd;
import static io.tutti.tensor.simd.SimdTesting.random;
import static org.assertj.core.api.Assertions.assertThat;

/** The simd backend's direct unfold (im2col) and fold (col2im) against the index-map composites. */
class SimdPatchesTest {
    /** Windows that exercise padding, strides, dilation, rectangular kernels and windows lying wholly on padding. */
    private static final List<Window2d> WINDOWS = List.of(
            new Window2d(3, 3, 1, 1, 1, 1, 1, 1),
            new Window2d(1, 1, 1, 1, 0, 0, 1, 1),
            new Window2d(2, 3, 2, 1, 1, 0, 1, 2),
            new Window2d(3, 2, 3, 2, 2, 1, 2, 1),
            new Window2d(1, 1, 2, 3, 2, 2, 1, 1),
            new Window2d(2, 2, 2, 2, 0, 0, 1, 1));

    private static final int[][] SHAPES = {{2, 3, 5, 7}, {1, 1, 1, 1}, {3, 2, 8, 4}, {1, 4, 6, 11}};

    @Test
    void unfoldEqualsTheCompositeOnEveryLayout() {
        Random random = new Random(3);
        for (int[] shape : SHAPES) {
            Tensor x = random(random, -2f, 2f, shape);
            for (Window2d w : WINDOWS) {
                if (w.outputHeight(shape[2]) <= 0 || w.outputWidth(shape[3]) <= 0) {
                    continue;
                }
                Tensor expected = onReference(() -> REF.unfold2d(x, w));
                for (Map.Entry<String, Tensor> in : layouts(x).entrySet()) {
                    Tensor actual = onSimd(() -> SIMD.unfold2d(in.getValue(), w));
                    assertSame("unfold " + java.util.Arrays.toString(shape) + " " + w + " " + in.getKey(), actual, expected);
                }
            }
        }
    }

    @Test
    void foldMatchesTheCompositeOnEveryLayout() {
        Random random = new Random(4);
        for (int[] shape : SHAPES) {
            for (Window2d w : WINDOWS) {
                int oh = w.outputHeight(shape[2]);
                int ow = w.outputWidth(shape[3]);
                if (oh <= 0 || ow <= 0) {
                    continue;
                }
                Tensor cols = random(random, -2f, 2f, shape[0], shape[1] * w.taps(), oh * ow);
                Tensor expected = onReference(() -> REF.fold2d(cols, shape[2], shape[3], w));
                for (Map.Entry<String, Tensor> in : layouts(cols).entrySet()) {
                    Tensor actual = onSimd(() -> SIMD.fold2d(in.getValue(), shape[2], shape[3], w));
                    assertClose("fold " + java.util.Arrays.toString(shape) + " " + w + " " + in.getKey(), actual, expected, 1e-6,
                            1e-6);
                }
            }
        }
    }

    @Test
    void aLargeBatchSplitOverThreadsGivesTheSameColumns() {
        Window2d w = new Window2d(3, 3, 1, 1, 1, 1, 1, 1);
        Tensor x = random(new Random(5), -1f, 1f, 16, 8, 12, 12);
        assertSame("unfold", onSimd(() -> SIMD.unfold2d(x, w)), onReference(() -> REF.unfold2d(x, w)));
        Tensor cols = random(new Random(6), -1f, 1f, 16, 8 * 9, 144);
        assertClose("fold", onSimd(() -> SIMD.fold2d(cols, 12, 12, w)), onReference(() -> REF.fold2d(cols, 12, 12, w)), 1e-6,
                1e-6);
    }

    @Test
    void anEmptyBatchGivesEmptyResults() {
        Window2d w = new Window2d(3, 3, 1, 1, 1, 1, 1, 1);
        assertThat(SIMD.unfold2d(Tensor.zeros(0, 2, 4, 4), w).shape()).containsExactly(0, 18, 16);
        assertThat(SIMD.fold2d(Tensor.zeros(0, 18, 16), 4, 4, w).shape()).containsExactly(0, 2, 4, 4);
    }
}
