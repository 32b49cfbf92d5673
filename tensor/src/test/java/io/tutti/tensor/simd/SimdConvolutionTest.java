package io.tutti.tensor.simd;

import io.tutti.tensor.Convolution;
import io.tutti.tensor.Parallel;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.tutti.tensor.simd.SimdTesting.assertClose;
import static io.tutti.tensor.simd.SimdTesting.layouts;
import static io.tutti.tensor.simd.SimdTesting.onReference;
import static io.tutti.tensor.simd.SimdTesting.onSimd;
import static io.tutti.tensor.simd.SimdTesting.random;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simd backend's direct convolution (shifted runs at stride 1, per-image unfold otherwise) and
 * its two gradients against the reference backend's unfold-and-matmul composite.
 */
class SimdConvolutionTest {
    /** Input [c, h, w], weight [o, kh, kw], stride, padding, dilation (height, width). */
    private record Case(int c, int h, int w, int o, int kh, int kw, int[] stride, int[] padding, int[] dilation) {
        @Override
        public String toString() {
            return "c" + c + " " + h + "x" + w + " o" + o + " k" + kh + "x" + kw + " s" + List.of(stride[0], stride[1])
                    + " p" + List.of(padding[0], padding[1]) + " d" + List.of(dilation[0], dilation[1]);
        }
    }

    private static int[] p(int a, int b) {
        return new int[] {a, b};
    }

    private static final List<Case> CASES = List.of(
            // The reference CNN's layers: a single input channel, then 14 x 14 (not a multiple of the tile width).
            new Case(1, 28, 28, 8, 3, 3, p(1, 1), p(1, 1), p(1, 1)),
            // Fewer taps than output channels: B picked straight at the output positions.
            new Case(1, 11, 9, 12, 3, 3, p(1, 1), p(1, 1), p(1, 1)),
            new Case(1, 8, 10, 16, 3, 2, p(1, 1), p(0, 1), p(1, 2)),
            new Case(6, 14, 14, 12, 3, 3, p(1, 1), p(1, 1), p(1, 1)),
            // Rectangular kernel and image, uneven padding, dilation: still the shifted path.
            new Case(3, 9, 13, 5, 2, 3, p(1, 1), p(0, 2), p(2, 1)),
            new Case(2, 7, 5, 3, 1, 1, p(1, 1), p(0, 0), p(1, 1)),
            // Depth 41 * 9 = 369 > one packed slice, 17 rows of output channels (three panels, the last partial).
            new Case(41, 6, 5, 17, 3, 3, p(1, 1), p(1, 1), p(1, 1)),
            // At least a panel's width of channels (the channels-last weight gradient), rectangular and dilated.
            new Case(33, 7, 9, 10, 2, 3, p(1, 1), p(0, 2), p(2, 1)),
            // More weight rows (70 outputs, 66 inputs) than PanelProduct reads B in place for: packed B both ways.
            new Case(66, 5, 6, 70, 3, 3, p(1, 1), p(1, 1), p(1, 1)),
            // More than one block of columns (outH * Wp = 48 * 50 > 2048).
            new Case(1, 48, 48, 3, 3, 3, p(1, 1), p(1, 1), p(1, 1)),
            // Strided: per-image unfold and fold.
            new Case(3, 9, 11, 6, 3, 3, p(2, 2), p(1, 1), p(1, 1)),
            new Case(4, 8, 7, 5, 3, 2, p(2, 1), p(1, 0), p(1, 2)),
            new Case(2, 10, 10, 4, 2, 2, p(2, 2), p(0, 0), p(1, 1)));

    private static int batch() {
        return 2 * Parallel.threads() + 1;
    }

    @Test
    void theDirectPathIsTheOneUnderTest() {
        Tensor x = Tensor.zeros(batch(), 1, 4, 4);
        Tensor w = Tensor.zeros(1, 1, 3, 3);
        assertThat(SimdConvolution.supports(1, batch(), x, w, null)).isTrue();
        assertThat(SimdConvolution.supports(2, batch(), x, w, null)).as("grouped").isFalse();
        assertThat(SimdConvolution.supports(1, batch(), x.to(io.tutti.tensor.DType.FLOAT64), w)).as("float64").isFalse();
    }

    @Test
    void forwardMatchesTheCompositeOnEveryLayout() {
        Random random = new Random(11);
        for (Case k : CASES) {
            Tensor x = random(random, -1f, 1f, batch(), k.c, k.h, k.w);
            Tensor w = random(random, -1f, 1f, k.o, k.c, k.kh, k.kw);
            Tensor b = random(random, -1f, 1f, k.o);
            Tensor expected = onReference(() -> Convolution.conv2d(x, w, b, k.stride, k.padding, k.dilation, 1));
            Tensor expectedNoBias = onReference(() -> Convolution.conv2d(x, w, null, k.stride, k.padding, k.dilation, 1));
            for (Map.Entry<String, Tensor> in : layouts(x).entrySet()) {
                Tensor actual = onSimd(() -> Convolution.conv2d(in.getValue(), w, b, k.stride, k.padding, k.dilation, 1));
                assertClose("conv2d " + k + " " + in.getKey(), actual, expected, 1e-5, 1e-5);
            }
            Tensor noBias = onSimd(() -> Convolution.conv2d(x, w, null, k.stride, k.padding, k.dilation, 1));
            assertClose("conv2d without bias " + k, noBias, expectedNoBias, 1e-5, 1e-5);
        }
    }

    @Test
    void inputGradientMatchesTheComposite() {
        Random random = new Random(12);
        for (Case k : CASES) {
            Tensor x = random(random, -1f, 1f, batch(), k.c, k.h, k.w);
            Tensor w = random(random, -1f, 1f, k.o, k.c, k.kh, k.kw);
            Tensor y = onReference(() -> Convolution.conv2d(x, w, null, k.stride, k.padding, k.dilation, 1));
            Tensor g = random(random, -1f, 1f, y.shape());
            Tensor expected = onReference(() -> Convolution.conv2dInputGrad(g, w, x.shape(), k.stride, k.padding, k.dilation, 1));
            for (Map.Entry<String, Tensor> in : layouts(g).entrySet()) {
                Tensor actual = onSimd(() -> Convolution.conv2dInputGrad(in.getValue(), w, x.shape(), k.stride, k.padding,
                        k.dilation, 1));
                assertClose("conv2dInputGrad " + k + " " + in.getKey(), actual, expected, 1e-5, 1e-5);
            }
        }
    }

    @Test
    void weightGradientMatchesTheComposite() {
        Random random = new Random(13);
        for (Case k : CASES) {
            Tensor x = random(random, -1f, 1f, batch(), k.c, k.h, k.w);
            Tensor w = random(random, -1f, 1f, k.o, k.c, k.kh, k.kw);
            Tensor y = onReference(() -> Convolution.conv2d(x, w, null, k.stride, k.padding, k.dilation, 1));
            Tensor g = random(random, -1f, 1f, y.shape());
            Tensor expected = onReference(() -> Convolution.conv2dWeightGrad(x, g, w.shape(), k.stride, k.padding, k.dilation, 1));
            Tensor actual = onSimd(() -> Convolution.conv2dWeightGrad(x, g, w.shape(), k.stride, k.padding, k.dilation, 1));
            assertClose("conv2dWeightGrad " + k, actual, expected, 1e-4, 1e-4);
            Tensor strided = onSimd(() -> Convolution.conv2dWeightGrad(x.transpose(2, 3).contiguous().transpose(2, 3), g,
                    w.shape(), k.stride, k.padding, k.dilation, 1));
            assertClose("conv2dWeightGrad of a transposed input " + k, strided, expected, 1e-4, 1e-4);
        }
    }

    @Test
    void weightGradientOfAnInputWithInfinitiesMatchesTheComposite() {
        Random random = new Random(15);
        // 2, 8 and 32 channels: the dot-product, packed-column and channels-last kernels.
        for (int channels : new int[] {2, 8, 32}) {
            Tensor x = random(random, -1f, 1f, batch(), channels, 6, 6);
            // An infinity in column 0, which the shifted runs would also read into dropped columns.
            x.set(Float.POSITIVE_INFINITY, 1, 1, 3, 0);
            Tensor g = random(random, -1f, 1f, batch(), 3, 4, 4);
            int[] shape = {3, channels, 3, 3};
            Tensor expected = onReference(() -> Convolution.conv2dWeightGrad(x, g, shape, p(1, 1), p(0, 0), p(1, 1), 1));
            Tensor actual = onSimd(() -> Convolution.conv2dWeightGrad(x, g, shape, p(1, 1), p(0, 0), p(1, 1), 1));
            assertClose("conv2dWeightGrad with an infinite input, " + channels + " channels", actual, expected, 1e-4, 1e-4);
        }
    }

    @Test
    void weightGradientIsTheSameWhateverTheCallOrder() {
        Random random = new Random(14);
        Tensor x = random(random, -1f, 1f, 9, 5, 8, 8);
        Tensor g = random(random, -1f, 1f, 9, 7, 8, 8);
        Tensor first = onSimd(() -> Convolution.conv2dWeightGrad(x, g, new int[] {7, 5, 3, 3}, p(1, 1), p(1, 1), p(1, 1), 1));
        for (int i = 0; i < 5; i++) {
            Tensor again = onSimd(() -> Convolution.conv2dWeightGrad(x, g, new int[] {7, 5, 3, 3}, p(1, 1), p(1, 1), p(1, 1), 1));
            assertThat(again.toFloatArray()).containsExactly(first.toFloatArray());
        }
    }
}
